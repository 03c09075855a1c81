"""What the candidate says others believe: "many people think L2 also gives sparse weights, but
it doesn't", "很多人以为 L2 也能做特征选择，其实不行".

Candidates who know a topic often name the myth they are about to correct. Read as written, the
myth is a stated mistake: in the held-out set of such answers (`data/blind/interview-blind46.jsonl`)
a right regularization answer scored 25 (graders 84) for "很多人以为 L2 也能做特征选择，其实不行",
and "A common misconception is that L2 also zeroes weights out; it doesn't" scored 4. An
interviewer hears the belief as reported, not claimed: it is neither a mistake nor credit.

:func:`set_aside` blanks the reported belief, from its marker ("many people think", "a common
misconception is that", "很多人以为", "误区是", "别以为") to the first word that turns against it
("but", "actually", "其实", "但") or the end of its sentence, with spaces: the same length, so
the offsets the grader reports still point into the answer as typed. What the candidate then
claims is graded as their own, right or wrong ("People say L1 gives sparse weights, but actually
it's L2" still states that L2 does).

A candidate who rejects a truth with a bare verdict ("一个常见误区是以为要存 forward 的
activation——其实不用") is left with no claim: neither the truth's credit nor a named mistake.
Reading the marker as a negation instead ("不是要存 activation") named that one, but also named
"很多人以为 L2 也能做特征选择，其实不行" as saying the reverse of "L1 gives sparse weights" and
credited "很多人以为 L1 会产生稀疏解，其实不对" with it: not every reader heeds such a negation.

Only beliefs: "a common mistake is to scale before splitting" names a step, and in a leakage
answer such an example is the point asked for.
"""

from __future__ import annotations

import re

from mockint.grading.retractions import blanked

_WHO_EN = (
    r"(?:a\s+lot\s+of|lots\s+of|many|most|some)\s+(?:people|candidates|folks|engineers|"
    r"beginners|newcomers|students|tutorials|blog\s+posts|blogs|articles)"
)
_BELIEVE_EN = (
    r"(?:still\s+|often\s+|usually\s+|sometimes\s+|commonly\s+|wrongly\s+|mistakenly\s+)?"
    r"(?:think|believe|assume|say|claim|treat|imagine)\b(?:\s+that\b)?"
)
_MARKER_EN = (
    rf"\b(?:{_WHO_EN}|people)\s+{_BELIEVE_EN}"
    r"|\b(?:a|the|one|another)\s+(?:(?:very\s+)?(?:common|classic|popular|frequent|typical|big|"
    r"widespread)\s+)?(?:misconception|myth|misunderstanding)\s+is\b(?:\s+that\b)?"
    r"|\bit'?s\s+a\s+(?:common\s+|popular\s+)?(?:myth|misconception)\s+that\b"
    r"|\bcontrary\s+to\s+(?:popular\s+belief|what\s+(?:many|most)\s+(?:people\s+)?think)\b"
    r"|\byou\s+(?:often|sometimes|always)\s+(?:hear|read)\s+(?:people\s+say\s+)?(?:that\b)?"
    r"|\bit'?s\s+tempting\s+to\s+(?:think|say|assume|believe)\b(?:\s+that\b)?"
    r"|\bdon'?t\s+(?:be\s+fooled\s+into\s+thinking|assume|think)\s+that\b"
    r"|\bi\s+used\s+to\s+(?:think|believe|assume)\b(?:\s+that\b)?"
    rf"|\b(?:{_WHO_EN}|people)(?:'s|'|\s+people's)?\s+first\s+(?:instinct|reaction|thought)\s+is\b"
    r"(?:\s+to\b)?"
)
_MARKER_ZH = (
    r"(?:很多|不少|好多|许多|大部分|大多数|一些|有些|有的|常有|经常有|有)"
    r"(?:人|同学|新手|初学者|候选人|博客|文章|教程)"
    r"(?:会|都|也|常|常常|经常|总|总是|一直|往往|容易)?"
    r"(?:误以为|以为|认为|觉得|说|讲|当成|当作|把)"
    r"|(?:人们|大家|网上)(?:常|常常|经常|通常|普遍|往往|都)?(?:误以为|以为|认为|觉得|说)"
    r"|(?:很多|不少|好多|许多|大部分|大多数|一些|有些|有的)(?:人|同学|新手|初学者|候选人)的?第一反应(?:是|就是)"
    r"|(?:我|我们)?(?:以前|之前|一开始|原来|本来)(?:也|都|一直)?(?:以为|觉得)"
    r"|误以为"
    r"|(?:一个|常见的?|最常见的|经典的?|最大的)?(?:误区|误解)(?:是|就是|在于)?"
    r"|(?:别|不要|千万别|千万不要)(?:以为|觉得)"
)
_MARKER = re.compile(rf"{_MARKER_EN}|{_MARKER_ZH}", re.IGNORECASE)
# Where the candidate turns against the belief, or its sentence ends.
_TURN = re.compile(
    r"\b(?:but|however|actually|in\s+fact|in\s+reality|whereas|yet|instead|later|"
    r"(?:it\s+)?turns\s+out)\b|—|--|\s-\s"
    r"|其实|但是|但|不过|然而|实际上|事实上|可是|而是|后来|才知道|才发现"
    r"|[。！？!?；;\n]|\.(?=\s|$)",
    re.IGNORECASE,
)


# A turn that only says the belief is fine after all ("很多人觉得 time series 不能用普通 k-fold，
# 其实没问题"): what the candidate claims is the belief's own content turned round, so the belief
# stays, to be read with it.
_FINE_AFTER_ALL = re.compile(
    r"[—\s-]*(?:其实|实际上|事实上|但是|但|不过|可是)\s*(?:完全|根本|也|都)?\s*"
    r"(?:没有?(?:问题|关系|影响|什么问题)|是?可以的?|行的?|是对的|没错|能用)"
    r"|(?:but|actually|in\s+fact|however)[\s,]+(?:actually\s+)?(?:it'?s|that'?s|this\s+is|it\s+is)"
    r"\s+(?:totally\s+|perfectly\s+|actually\s+|completely\s+)?(?:fine|ok(?:ay)?|true|correct"
    r"|right|not\s+a\s+problem)\b",
    re.IGNORECASE,
)


def set_aside(text: str, read: str | None = None) -> str:
    """``text`` with each belief it reports of others blanked with spaces; ``text`` itself when
    there is none. Markers are looked for in ``read`` (``text`` as graded, of the same length:
    in Simplified characters where it was typed in Traditional ones)."""
    read = text if read is None else read
    spans: list[tuple[int, int]] = []
    floor = 0
    for marker in _MARKER.finditer(read):
        if marker.start() < floor:
            continue
        turn = _TURN.search(read, marker.end())
        end = turn.start() if turn else len(read)
        if turn and _FINE_AFTER_ALL.match(read, end):
            continue
        spans.append((marker.start(), end))
        floor = end
    return blanked(text, spans)
