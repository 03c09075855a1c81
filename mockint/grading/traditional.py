"""Traditional characters and Taiwan or Hong Kong terms, read as the words the rubrics use.

Candidates from Taiwan, Hong Kong and Macau write 學習率太大的話 loss 會發散 and call the data
資料, variance 變異數 and overfitting 過度配適. The rubrics' Chinese terms, the opposites and
directions readers and the judge's training answers are all in Simplified characters and Mainland
words, so a right answer in Traditional characters scored 25 where the same answer in Simplified
scored 62. Before grading, :func:`simplified` writes the characters as Simplified (OpenCC's
``t2s``, one character for one, so offsets do not move) and :func:`regional_terms` finds the
regional words that have a different Mainland word, for notation.py to replace and map back.

Only text with Traditional characters is touched: OpenCC leaves every Simplified answer of
`data/` as it is, and a Mainland 资料 ("materials") is not data, so the regional words are
read only in an answer written in Traditional characters.
"""

from __future__ import annotations

import functools
import re

from mockint.grading.segmenter import has_cjk

# Taiwan and Hong Kong words (after ``t2s``) whose Mainland word differs, for the ideas the
# banks ask about. Not OpenCC's ``tw2sp`` phrases: they are general vocabulary and read
# 正規化 as 范式 and 向量 as 矢量, which are wrong in machine learning.
# 正規化 is left as it is: in Taiwan it says normalization and regularization both.
REGIONAL: dict[str, str] = {
    # data, information
    "资料集": "数据集",
    "资料库": "数据库",
    "资料": "数据",
    "资讯": "信息",
    "档案": "文件",
    "载入": "加载",
    "记忆体": "内存",
    "硬碟": "硬盘",
    "程式码": "代码",
    "程式": "程序",
    "函式": "函数",
    "物件": "对象",
    "执行绪": "线程",
    "产生器": "生成器",
    "预设": "默认",
    "乱数": "随机数",
    "影像": "图像",
    "取样": "采样",
    "杂讯": "噪声",
    "讯号": "信号",
    "解析度": "分辨率",
    "萃取": "提取",
    "搜寻": "搜索",
    "串流": "流式",
    "磁碟": "磁盘",
    "模组": "模块",
    "伺服器": "服务器",
    "辨识": "识别",
    # fitting, bias and variance
    "过度配适": "过拟合",
    "过度拟合": "过拟合",
    "过配适": "过拟合",
    "配适不足": "欠拟合",
    "拟合不足": "欠拟合",
    "低度拟合": "欠拟合",
    "欠配适": "欠拟合",
    "共变异数": "协方差",
    "变异数": "方差",
    "变异": "方差",
    "偏误": "偏差",
    "事前机率": "先验概率",
    "事后机率": "后验概率",
    "机率": "概率",
    "概似": "似然",
    "常态": "正态",
    "一般化": "泛化",
    # networks and training
    "类神经网路": "神经网络",
    "网路": "网络",
    "批次正规化": "批归一化",
    "批量正规化": "批归一化",
    "激励函数": "激活函数",
    "启动函数": "激活函数",
    "活化函数": "激活函数",
    "倒传递": "反向传播",
    "反向传递": "反向传播",
    "前向传递": "前向传播",
    "正向传递": "前向传播",
    "正向传播": "前向传播",
    "连锁律": "链式法则",
    "链锁律": "链式法则",
    "学习速率": "学习率",
    "叠代": "迭代",
    "最佳化": "优化",
    "演算法": "算法",
    "全连结": "全连接",
    "步幅": "步长",
    "填补": "填充",
    # models and metrics
    "支援向量机": "支持向量机",
    "单纯贝氏": "朴素贝叶斯",
    "朴素贝氏": "朴素贝叶斯",
    "贝氏": "贝叶斯",
    "逻辑斯谛回归": "逻辑回归",
    "逻辑斯回归": "逻辑回归",
    "罗吉斯回归": "逻辑回归",
    "丛集": "聚类",
    "分群": "聚类",
    "整体学习": "集成学习",
    "主成份": "主成分",
    "吉尼": "基尼",
    "最近邻居": "最近邻",
    "精准率": "精确率",
    "正确率": "准确率",
    "门槛值": "阈值",
    "门槛": "阈值",
    "平行": "并行",
}


@functools.lru_cache(maxsize=1)
def _converter():
    import opencc  # imported here: most answers have no Chinese at all

    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=1)
def _regional_pattern() -> re.Pattern:
    # Longest first, so 资料集 is one word and not 资料 + 集.
    words = sorted(REGIONAL, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


def simplified(text: str) -> str:
    """``text`` in Simplified characters, of the same length (offsets stay valid); ``text``
    itself when it has no Traditional character."""
    if not has_cjk(text):
        return text
    convert = _converter().convert
    out = convert(text)
    if out == text:
        return text
    if len(out) != len(text):
        # OpenCC's t2s phrases keep their length; were one not to, one character at a time.
        out = "".join(convert(ch) if len(convert(ch)) == 1 else ch for ch in text)
    return out


def regional_terms(text: str) -> list[tuple[int, int, str]]:
    """(start, end, Mainland word) of each Taiwan or Hong Kong word in ``text``, an answer
    already made Simplified by :func:`simplified`."""
    return [(m.start(), m.end(), REGIONAL[m.group()]) for m in _regional_pattern().finditer(text)]
