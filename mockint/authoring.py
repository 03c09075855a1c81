"""Writing question banks: a commented template, import from Markdown or CSV, and a linter.

Everything here is plain text processing over :mod:`mockint.rubric`, except the linter's
model-based checks, which take a loaded grader (see :func:`lint_bank`). No UI code.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mockint.grading.segmenter import MAX_WORDS, detect_language, segment, word_count
from mockint.rubric import LANGUAGES, Bank, Problem, field_locator, field_name

# The grader matches key points against answer sentences of up to MAX_WORDS words, and against
# pairs of neighbouring ones; a key point much longer than one such unit matches nothing well.
LONG_KEY_POINT_WORDS = 1.5 * MAX_WORDS

if TYPE_CHECKING:
    from mockint.grading import Grader


class ImportFailed(ValueError):
    """The source file cannot be turned into a bank; the message says what to fix."""


def slugify(text: str, max_words: int = 4, max_length: int = 40) -> str:
    """A rubric id from the main (non-stop) words: ``"What is L1 loss?"`` gives ``l1-loss``.

    Only ASCII letters and digits survive, so a Chinese text gives ``""`` unless it contains
    Latin terms; callers supply a fallback.
    """
    words = [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP_WORDS]
    slug = ""
    for word in words[:max_words]:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug


def name_slug(name: str, max_length: int = 40) -> str:
    """An id from a name the user chose (a file name, an id column): every word kept."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:max_length].strip("-")


def unique_id(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is not in ``taken`` (which it joins)."""
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


# Words that carry no meaning of their own in an id or a follow-up question.
_STOP_WORDS = frozenset(
    """\
    a an the and or but if then so of to in on at by for with from into onto over under as is
    are was were be been being it its this that these those there their they them we you your our
    i me my he she his her do does did doing done can could should would will shall may might must
    what which who whom whose when where why how not no yes also just very more most less much many
    some any each every such than too about between through during before after above below up
    down out off again further once here all both few other own same only has have had having
    explain describe tell us me give example examples please define difference differences
    between versus vs across along among around behind beyond within without via per whether
    while because since although though until upon
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string (one line, every control character escaped)."""
    out = ['"']
    for char in text:
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def toml_key(key: str) -> str:
    """``key`` as a TOML key: bare when it can be, quoted otherwise (a topic id may have
    spaces or dots: ``[topics."deep learning"]``)."""
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else toml_string(key)


# The template bank -----------------------------------------------------------------------------

_TEMPLATE_QUESTION = {
    "prompt": {
        "en": "What is overfitting, and how do you detect and reduce it?",
        "zh": "什么是过拟合？怎么发现它、怎么缓解它？",
    },
    "model_answer": {
        "en": "Overfitting is when a model learns the noise of its training data instead of the "
        "general pattern, so it does well on the training set and badly on new data. You detect "
        "it by comparing training and validation error: a growing gap means overfitting. You "
        "reduce it with more data, a simpler model, regularisation such as L2 or dropout, and "
        "early stopping.",
        "zh": "过拟合是指模型学到了训练数据里的噪声而不是普遍规律，"
        "所以在训练集上表现好、在新数据上表现差。"
        "比较训练误差和验证误差就能发现它：两者差距越来越大就是过拟合。"
        "缓解的方法有：增加数据、用更简单的模型、L2 或 dropout 等正则化，以及早停。",
    },
    "key_points": [
        {
            "id": "memorises-noise",
            "weight": 2,
            "text": {
                "en": "An overfit model learns the noise of the training data, so it does well on "
                "training data but badly on new data.",
                "zh": "过拟合的模型学到了训练数据的噪声，在训练集上表现好，在新数据上表现差。",
            },
            "paraphrases": [
                "the model memorises the training set instead of generalising",
                "模型把训练集背下来了，泛化能力差",
            ],
            "terms": ["noise", "memorise", "memorize", "generalise", "generalize", "噪声", "泛化"],
            "follow_up": {
                "en": "What exactly goes wrong in an overfit model?",
                "zh": "过拟合的模型到底出了什么问题？",
            },
        },
        {
            "id": "validation-gap",
            "weight": 1,
            "text": {
                "en": "You detect overfitting by a growing gap between training and validation "
                "error.",
                "zh": "训练误差和验证误差之间的差距越来越大，就说明过拟合了。",
            },
            "paraphrases": ["validation loss goes up while training loss keeps going down"],
            "terms": ["validation", "验证"],
            "follow_up": {
                "en": "How would you notice overfitting while training?",
                "zh": "训练的时候你怎么发现模型过拟合了？",
            },
        },
        {
            "id": "remedies",
            "weight": 1,
            "text": {
                "en": "More data, a simpler model, regularisation and early stopping all reduce "
                "overfitting.",
                "zh": "增加数据、简化模型、正则化和早停都能缓解过拟合。",
            },
            "paraphrases": ["add dropout or weight decay", "用 dropout 或者 L2 正则"],
            "direction": {"cause": ["data", "数据"], "less_of": ["overfit", "过拟合"]},
            "follow_up": {
                "en": "What can you do about it?",
                "zh": "那你会怎么解决？",
            },
        },
    ],
    "misconceptions": [
        {
            "id": "more-epochs",
            "penalty": 15,
            "contradicts": ["remedies"],
            "text": {
                "en": "Training for more epochs fixes overfitting.",
                "zh": "多训练几个 epoch 就能解决过拟合。",
            },
            "correction": {
                "en": "Training longer usually makes overfitting worse; stop early instead.",
                "zh": "训练更久通常会让过拟合更严重，应该早停。",
            },
        }
    ],
}


def template_bank(bank_id: str, languages: Sequence[str] = ("en",)) -> str:
    """A commented bank with one worked example question; it passes ``mockint rubrics check``."""
    langs = [lang for lang in LANGUAGES if lang in languages] or ["en"]
    q = _TEMPLATE_QUESTION
    lang_list = ", ".join(f'"{lang}"' for lang in langs)
    title = {"en": "My interview questions", "zh": "我的面试题"}

    def texts(key: str, value: dict[str, str], indent: str = "") -> list[str]:
        return [f"{indent}{key}.{lang} = {toml_string(value[lang])}" for lang in langs]

    lines = [
        "# A mockint question bank: one TOML file, any number of questions.",
        "# Check it with:  mockint rubrics check PATH   (add --lint for the model-based checks)",
        "# Texts a candidate reads are written once per language listed in `languages`:",
        '#   prompt.en = "..."  and  prompt.zh = "..."   (languages: en, zh)',
        "",
        "# Stable id of the bank: lowercase letters, digits, '-' and '_'.",
        f'id = "{bank_id}"',
        *texts("title", title),
        f"languages = [{lang_list}]",
        '# Optional: description.en = "...", source = "where the questions come from"',
        "",
        "# Optional: how a topic id is shown (interview, progress, reports), one table per",
        "# topic the questions use; a topic without one is shown by its id.",
        "[topics.fundamentals]",
        *texts("title", {"en": "Fundamentals", "zh": "基础概念"}),
        "",
        "# One [[questions]] table per question, in the order they are normally asked.",
        "[[questions]]",
        "# Unique across all your banks: your history and review schedule refer to it.",
        'id = "overfitting"',
        "# A topic id: groups questions in progress reports (title it under [topics.<id>]).",
        'topic = "fundamentals"',
        "# easy | medium | hard",
        'difficulty = "easy"',
        "# Suggested time to answer, in seconds.",
        "time_limit = 150",
        *texts("prompt", q["prompt"]),
        '# What you hope to hear, shown after the answer. Long texts may use """...""".',
        *texts("model_answer", q["model_answer"]),
        "",
        "# What a good answer must say: 3 to 6 key points, each ONE sentence.",
        "# The score is the weighted share of key points the answer covers.",
    ]
    for i, kp in enumerate(q["key_points"]):
        lines += ["", "[[questions.key_points]]"]
        if i == 0:
            lines.append("# Unique within the question.")
        lines.append(f'id = "{kp["id"]}"')
        if i == 0:
            lines.append("# Importance relative to the question's other points (> 0; default 1).")
        lines.append(f"weight = {kp['weight']}")
        lines += texts("text", kp["text"])
        if i == 0:
            lines.append("# Optional: how candidates actually say it, in any language.")
        if kp.get("paraphrases"):
            lines.append("paraphrases = [" + ", ".join(map(toml_string, kp["paraphrases"])) + "]")
        if i == 0:
            lines.append("# Optional: an answer mentioning none of these cannot fully cover it.")
        if kp.get("terms"):
            lines.append("terms = [" + ", ".join(map(toml_string, kp["terms"])) + "]")
        if i == 0:
            lines.append("# What the interviewer asks when the point is missing.")
        lines += texts("follow_up", kp["follow_up"])
        if kp.get("direction"):
            lines.append(
                "# Optional: which way the point says one thing moves another (cause; up, down,"
            )
            lines.append(
                '# same, more_of, less_of), so "more data makes it overfit" is read as wrong.'
            )
            for key, terms in kp["direction"].items():
                lines.append(f"direction.{key} = [" + ", ".join(map(toml_string, terms)) + "]")
    lines += [
        "",
        "# Optional: statements that sound right but are wrong; an answer making one loses points.",
    ]
    for mc in q["misconceptions"]:
        lines += ["[[questions.misconceptions]]", f'id = "{mc["id"]}"']
        lines.append("# Points (out of 100) taken off when an answer says it.")
        lines.append(f"penalty = {mc['penalty']}")
        lines += texts("text", mc["text"])
        lines.append(
            "# Optional: the key points the mistake denies ([] for none); an answer stating it"
        )
        lines.append("# earns them only where it also states them more clearly.")
        lines.append("contradicts = [" + ", ".join(map(toml_string, mc["contradicts"])) + "]")
        lines.append("# Shown to the candidate who made the mistake.")
        lines += texts("correction", mc["correction"])
    return "\n".join(lines) + "\n"


# Import from Markdown and CSV -----------------------------------------------------------------


DEFAULT_TOPIC = "general"
"""The topic of an imported question whose list gives it none."""
DEFAULT_TOPIC_TITLES = {"en": "General", "zh": "综合"}
"""How the imported bank titles :data:`DEFAULT_TOPIC`."""


@dataclass
class DraftKeyPoint:
    """A key point proposed by the importer, for the author to edit."""

    id: str
    text: str
    follow_up: str


@dataclass
class DraftQuestion:
    """One imported question with its candidate key points."""

    id: str
    prompt: str
    answer: str
    language: str
    key_points: list[DraftKeyPoint]
    topic: str = DEFAULT_TOPIC
    topic_title: str | None = None
    """The topic as the list wrote it (its id is that, lowercased); None for the default."""
    difficulty: str = "medium"
    time_limit: int = 180


@dataclass
class DraftBank:
    """What an import produced: the questions, the bank's languages and anything to point out."""

    id: str
    title: str
    questions: list[DraftQuestion]
    languages: list[str]
    notes: list[str] = field(default_factory=list)

    @property
    def needs_translation(self) -> bool:
        """Questions came in different languages: some texts are missing until translated."""
        return any(q.language != lang for q in self.questions for lang in self.languages)

    def to_toml(self, source: str | None = None) -> str:
        """The bank as a TOML file, in the layout of the built-in banks."""
        return _draft_toml(self, source)


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_NUMBERING = re.compile(r"^(?:(?:q(?:uestion)?\s*)?\d+[.):、]\s*|q[.:]\s*)", re.IGNORECASE)
_ANSWER_LABEL = re.compile(
    r"^\s*(?:\*\*|__)?(?:expected answer|model answer|answer|a|答案|参考答案|回答)"
    r"\s*[:：]\s*(?:\*\*|__)?\s*",
    re.IGNORECASE,
)
_MARKUP = re.compile(r"(\*\*|__|`|~~)")


def parse_markdown(text: str) -> tuple[str | None, list[tuple[str, str]]]:
    """(title from the ``#`` heading, [(question, expected answer)]) from a Markdown file.

    Each ``##`` heading is a question; everything up to the next ``#``/``##`` heading is its
    expected answer (deeper headings and lists are kept as answer text; code blocks are left
    out, since nobody says code aloud in an interview).
    """
    title: str | None = None
    items: list[tuple[str, list[str]]] = []
    in_fence = False
    for raw in text.splitlines():
        if raw.strip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        heading = _HEADING.match(raw)
        if heading and len(heading.group(1)) <= 2:
            name = _clean_inline(heading.group(2))
            if len(heading.group(1)) == 1:
                title = title or name
                items.append(("", []))  # text under a `#` heading belongs to no question
            else:
                items.append((_NUMBERING.sub("", name).strip(), []))
            continue
        if items:
            items[-1][1].append(raw)
    return title, [(q, _clean_answer(lines)) for q, lines in items if q]


def _clean_inline(text: str) -> str:
    return _MARKUP.sub("", text).strip()


def _clean_answer(lines: list[str]) -> str:
    """The answer's text: markup and list markers removed, one paragraph or item per line."""
    kept = []
    for line in lines:
        line = _HEADING.sub(lambda m: m.group(2), line)
        line = _ANSWER_LABEL.sub("", _clean_inline(line))
        line = _BULLET.sub("", line).strip()
        if line:
            kept.append(line)
    return "\n".join(kept)


_BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")


def parse_csv(text: str) -> list[dict[str, str]]:
    """Rows of a CSV with (at least) ``question`` and ``answer`` columns, header names lowercased.

    Optional columns: ``id``, ``topic``, ``difficulty``, ``time_limit``. Comma, semicolon and tab
    separated files are accepted.
    """
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    if "question" not in header or "answer" not in header:
        found = ", ".join(h for h in header if h) or "none"
        raise ImportFailed(
            f"the CSV needs a header row with 'question' and 'answer' columns (found: {found})"
        )
    rows = []
    for raw in reader:
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        if row.get("question") or row.get("answer"):
            rows.append(row)
    return rows


def split_key_points(answer: str) -> list[str]:
    """Candidate key points: one per sentence (or list item) of the expected answer.

    A sentence too long to be one key point (see :data:`LONG_KEY_POINT_WORDS`) is cut into
    clauses by the grader's own segmenter. Fragments of two words or fewer are not worth a
    point.
    """
    points = []
    for line in answer.split("\n"):
        for sentence in _SENTENCES.split(_BULLET.sub("", line)):
            sentence = sentence.strip()
            if not sentence:
                continue
            pieces = (
                [sentence]
                if word_count(sentence) <= LONG_KEY_POINT_WORDS
                else [s.text for s in segment(sentence)]
            )
            points += [p.strip().rstrip(",;:，；：").strip() for p in pieces]
    return [p for p in points if word_count(p) > 2]


def follow_up_for(point: str, language: str) -> str:
    """A draft follow-up question about ``point``: 'Can you say more about "..."?'.

    It quotes the start of the point's first clause: enough for the author to see which point
    it is about, meant to be rewritten as a question that does not give the answer away.
    """
    clause = re.split(r"[，,。；;：:！!？?]", point, maxsplit=1)[0].strip()
    if word_count(clause) < 3:
        clause = point
    if language == "zh":
        short = clause[:16] + ("…" if len(clause) > 16 else "")
        return f"能再具体说说“{short}”这一点吗？"
    words = clause.rstrip(".!?").split()
    short = " ".join(words[:7]) + ("…" if len(words) > 7 else "")
    return f'Can you say more about "{short}"?'


def draft_question(
    prompt: str,
    answer: str,
    taken_ids: set[str],
    *,
    question_id: str | None = None,
    fallback_id: str = "question",
) -> DraftQuestion:
    """A question whose key points are drafted from ``answer``; its id joins ``taken_ids``."""
    language = detect_language(f"{prompt}\n{answer}")
    base = name_slug(question_id or "") or slugify(prompt) or fallback_id
    qid = unique_id(base, taken_ids)
    point_ids: set[str] = set()
    points = []
    for n, sentence in enumerate(split_key_points(answer), start=1):
        pid = unique_id(slugify(sentence, max_words=3) or f"point-{n}", point_ids)
        points.append(DraftKeyPoint(pid, sentence, follow_up_for(sentence, language)))
    model_answer = _join_lines(answer, language)
    # About 40 seconds per key point to say it, within sensible bounds.
    time_limit = max(90, min(600, 30 * round(40 * len(points) / 30)))
    return DraftQuestion(qid, prompt, model_answer, language, points, time_limit=time_limit)


def _join_lines(answer: str, language: str) -> str:
    """The answer's lines (paragraphs, list items) as running text, each ending a sentence."""
    stop, sep = ("。", "") if language == "zh" else (".", " ")
    lines = [line.strip() for line in answer.split("\n") if line.strip()]
    return sep.join(line if line[-1] in ".!?。！？;；:：" else line + stop for line in lines)


def import_bank(path: Path, bank_id: str | None = None, taken_ids: Iterable[str] = ()) -> DraftBank:
    """Read a Markdown (``.md``) or CSV (``.csv``) question list and draft a bank from it.

    ``taken_ids`` are question ids already used by other banks: new ids avoid them.
    """
    from mockint.rubric import MAX_BANK_BYTES, read_regular_file

    try:
        text = read_regular_file(path, MAX_BANK_BYTES, "a question list").decode("utf-8-sig")
    except OSError as exc:
        raise ImportFailed(f"{path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ImportFailed(f"{path} is not UTF-8 text (save it as UTF-8)") from None
    suffix = path.suffix.lower()
    title = None
    extras: list[dict[str, str]] = []
    if suffix in (".md", ".markdown", ".txt"):
        title, pairs = parse_markdown(text)
        if not pairs:
            raise ImportFailed(f"{path}: no '## question' headings found")
        extras = [{} for _ in pairs]
    elif suffix in (".csv", ".tsv"):
        rows = parse_csv(text)
        pairs = [(r.get("question", ""), r.get("answer", "")) for r in rows]
        extras = rows
    else:
        raise ImportFailed(f"{path}: unknown format (use a .md or .csv file)")
    bank_id = bank_id or name_slug(path.stem) or "my-questions"
    taken = set(taken_ids)
    notes: list[str] = []
    questions: list[DraftQuestion] = []
    for n, ((prompt, answer), extra) in enumerate(zip(pairs, extras, strict=True), start=1):
        if not prompt:
            notes.append(f"entry {n}: no question text, skipped")
            continue
        if not split_key_points(answer):
            notes.append(f"{prompt[:60]!r}: no expected answer to draft key points from, skipped")
            continue
        q = draft_question(
            prompt, answer, taken, question_id=extra.get("id"), fallback_id=f"{bank_id}-{n}"
        )
        written = " ".join(extra.get("topic", "").split())
        if written:
            q.topic, q.topic_title = written.lower(), written
        if extra.get("difficulty", "").lower() in ("easy", "medium", "hard"):
            q.difficulty = extra["difficulty"].lower()
        if extra.get("time_limit", "").isdigit() and 0 < int(extra["time_limit"]) <= 3600:
            q.time_limit = int(extra["time_limit"])
        questions.append(q)
    if not questions:
        raise ImportFailed(f"{path}: no question with an expected answer found")
    languages = [lang for lang in LANGUAGES if any(q.language == lang for q in questions)]
    if len(languages) > 1:
        # A bank needs every text in every language it declares: list what needs translating.
        for q in questions:
            missing = [lang for lang in languages if lang != q.language]
            notes.append(f"{q.id}: written in {q.language}; add the {', '.join(missing)} text")
    return DraftBank(
        bank_id,
        title or path.stem.replace("-", " ").replace("_", " ").strip(),
        questions,
        languages,
        notes,
    )


def _draft_toml(bank: DraftBank, source: str | None) -> str:
    langs = ", ".join(f'"{lang}"' for lang in bank.languages)
    lines = [
        "# Imported by `mockint rubrics import`. The key points are drafts, one per sentence of",
        "# the expected answer: merge, reword, weigh them (the main point weighs most), add",
        "# paraphrases, terms and misconceptions, then run `mockint rubrics check --lint` on it.",
        "",
        f'id = "{bank.id}"',
    ]
    for lang in bank.languages:
        # A title in one language stands in for the others until the author translates it.
        lines.append(f"title.{lang} = {toml_string(bank.title)}")
    if source:
        lines.append(f"source = {toml_string(source)}")
    lines.append(f"languages = [{langs}]")
    lines += _topic_tables(bank)
    for q in bank.questions:
        lang = q.language
        lines += [
            "",
            "[[questions]]",
            f'id = "{q.id}"',
            f"topic = {toml_string(q.topic)}",
            f'difficulty = "{q.difficulty}"',
            f"time_limit = {q.time_limit}",
            f"prompt.{lang} = {toml_string(q.prompt)}",
            f"model_answer.{lang} = {toml_string(q.answer)}",
        ]
        for kp in q.key_points:
            lines += [
                "",
                "[[questions.key_points]]",
                f'id = "{kp.id}"',
                "weight = 1",
                f"text.{lang} = {toml_string(kp.text)}",
                f"follow_up.{lang} = {toml_string(kp.follow_up)}",
            ]
    return "\n".join(lines) + "\n"


def _topic_tables(bank: DraftBank) -> list[str]:
    """A titled ``[topics.<id>]`` table for each topic the questions use, so the app shows a
    title, never an id: the default topic in English and Chinese, a topic the list named as
    it wrote it, in each of the bank's languages until the author translates it."""
    titles: dict[str, dict[str, str]] = {}
    for q in bank.questions:
        if q.topic not in titles:
            titles[q.topic] = (
                {lang: q.topic_title for lang in bank.languages}
                if q.topic_title
                else DEFAULT_TOPIC_TITLES
            )
    lines = []
    for topic, title in titles.items():
        lines += ["", f"[topics.{toml_key(topic)}]"]
        lines += [f"title.{lang} = {toml_string(text)}" for lang, text in title.items()]
    return lines


# The linter ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LintThresholds:
    """When the linter speaks up. Similarities are cosines of the grader's main embedder for the
    language (all-MiniLM-L6-v2 for English, the multilingual encoder for Chinese)."""

    # Measured on the built-in banks: distinct key points of one question reach 0.84 (en) and
    # 0.70 (zh); the same statement reworded scores 0.93 (en) and 0.67-0.80 (zh).
    near_duplicate: dict[str, float] = field(default_factory=lambda: {"en": 0.85, "zh": 0.75})
    """Two key points of one question more similar than this say nearly the same thing."""
    # With the int8 model: the built-in banks' closest misconception is at 0.84 (en), a mistake
    # that changes one word of its key point ("neurons" -> "weights") at 0.845.
    misconception: dict[str, float] = field(default_factory=lambda: {"en": 0.84, "zh": 0.75})
    """A misconception more similar than this to a correct key point is easily confused with it."""
    self_score: float = 90.0
    """The model answer graded against its own rubric must score at least this."""
    # Of the built-in banks' 403 misconceptions, 145 had their two nearest points within 0.05
    # before each said which it denies; the nearer was the wrong one for some of them.
    denial_margin: float = 0.05
    """A misconception whose two nearest key points are closer than this should say which one
    it denies (``contradicts``)."""
    max_words: float = LONG_KEY_POINT_WORDS
    """A key point longer than this (in words, a Chinese character counting half) is too long
    to be matched by one sentence of an answer: the grader cuts long sentences into clauses."""


DEFAULT_THRESHOLDS = LintThresholds()


class _Where:
    """Builds warnings located in a bank's file."""

    def __init__(self, bank: Bank):
        self.file = str(bank.path) if bank.path else bank.id
        text = ""
        if bank.path:
            try:
                text = bank.path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                text = ""
        self.line_of = field_locator(text.removeprefix("\ufeff"))

    def warn(self, loc: tuple, question_id: str | None, message: str) -> Problem:
        return Problem(
            self.file, self.line_of(loc), question_id, field_name(loc), message, severity="warning"
        )


def static_warnings(bank: Bank, thresholds: LintThresholds = DEFAULT_THRESHOLDS) -> list[Problem]:
    """Warnings that need no model: topics without a title, key points too long to be matched
    by a single sentence, directions that read the question's own texts as wrong."""
    where = _Where(bank)
    warnings = (
        _untitled_topics(bank, where)
        + _self_contradicting_directions(bank, where)
        + _wordings_about_something_else(bank, where)
    )
    for qi, question in enumerate(bank.questions):
        for ki, kp in enumerate(question.key_points):
            for lang in kp.text.languages():
                text = kp.text.get(lang)
                words = word_count(text)
                sentences = len([s for s in _SENTENCES.split(text) if s.strip()])
                if sentences > 1:
                    size = f"{sentences} sentences"
                elif words > thresholds.max_words:
                    size = f"{words:.0f} words, over {thresholds.max_words:.0f}"
                else:
                    continue
                warnings.append(
                    where.warn(
                        ("questions", qi, "key_points", ki, "text", lang),
                        question.id,
                        f"key point {kp.id!r} is too long to match one sentence of an answer "
                        f"({size}): shorten or split it",
                    )
                )
    return warnings


def _self_contradicting_directions(bank: Bank, where: _Where) -> list[Problem]:
    """A key point's direction with a sign the wrong way round (``up`` for ``down``) would call
    every right answer wrong: it must not read the point's own text, its paraphrases or the
    model answer as the wrong way round."""
    from mockint.grading.directions import reversed_direction  # regular expressions only

    warnings = []
    for qi, question in enumerate(bank.questions):
        for ki, kp in enumerate(question.key_points):
            if kp.direction is None:
                continue
            own = [*kp.text.all_texts(), *kp.paraphrases, *question.model_answer.all_texts()]
            for text in own:
                found = reversed_direction(kp.direction, text)
                if found:
                    (first, last), _ = found[0]
                    warnings.append(
                        where.warn(
                            ("questions", qi, "key_points", ki, "direction"),
                            question.id,
                            f"the direction of key point {kp.id!r} reads the question's own "
                            f"text {text[first:last].strip()!r} as said the wrong way round: "
                            "check which terms rise (up, more_of) and which fall (down, less_of)",
                        )
                    )
                    break
    return warnings


def _wordings_about_something_else(bank: Bank, where: _Where) -> list[Problem]:
    """A misconception with ``about`` names is stated only where an answer names one of them:
    a wording of its own that names none could never be recognised as worded."""
    from mockint.grading.grader import mentions_any  # regular expressions only

    warnings = []
    for qi, question in enumerate(bank.questions):
        for mi, mc in enumerate(question.misconceptions):
            if not mc.about:
                continue
            for wording in (*mc.text.all_texts(), *mc.paraphrases):
                if not mentions_any(wording.lower(), mc.about):
                    warnings.append(
                        where.warn(
                            ("questions", qi, "misconceptions", mi, "about"),
                            question.id,
                            f"misconception {mc.id!r} is worded {wording!r}, which names none "
                            "of its 'about' names: add the name it goes by there, or reword",
                        )
                    )
    return warnings


def _untitled_topics(bank: Bank, where: _Where) -> list[Problem]:
    """A topic the questions use with no ``[topics.<id>]`` title is shown by its id (in the
    interview, progress and reports, in every language): one warning per topic, on the first
    question that names it."""
    first: dict[str, int] = {}
    uses: dict[str, int] = {}
    for qi, question in enumerate(bank.questions):
        first.setdefault(question.topic, qi)
        uses[question.topic] = uses.get(question.topic, 0) + 1
    titles = " and ".join(f"title.{lang}" for lang in bank.languages)
    return [
        where.warn(
            ("questions", qi, "topic"),
            bank.questions[qi].id,
            f"topic {topic!r} has no title, so it is shown as {topic!r} "
            f"({uses[topic]} question{'s' * (uses[topic] != 1)}): add a "
            f"[topics.{toml_key(topic)}] table with {titles}",
        )
        for topic, qi in first.items()
        if topic not in bank.topics
    ]


# Full stops only: a semicolon or comma joins clauses of one sentence.
_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])|(?<=[。！？])")


def model_warnings(
    bank: Bank, grader: Grader, thresholds: LintThresholds = DEFAULT_THRESHOLDS
) -> list[Problem]:
    """Warnings that need the grader's embedders: near-duplicate key points, misconceptions close
    to a correct point, and a model answer that its own rubric does not score highly."""
    import numpy as np

    where = _Where(bank)
    warnings: list[Problem] = []
    for qi, question in enumerate(bank.questions):
        base = ("questions", qi)
        for lang in bank.languages:
            kp_texts = [kp.text.get(lang) for kp in question.key_points]
            # The grader's cached encoder: rubric texts rarely change between two lint runs.
            encoder = grader.encoders(lang)[0][0]
            kp_vecs = encoder.encode(kp_texts)
            sims = kp_vecs @ kp_vecs.T
            for j in range(len(kp_texts)):
                for i in range(j):
                    if sims[i, j] > thresholds.near_duplicate[lang]:
                        a, b = question.key_points[i].id, question.key_points[j].id
                        warnings.append(
                            where.warn(
                                base + ("key_points", j, "text", lang),
                                question.id,
                                f"key points {a!r} and {b!r} say nearly the same thing in {lang} "
                                f"(similarity {sims[i, j]:.2f}); merge them or make them distinct",
                            )
                        )
            if question.misconceptions:
                mc_vecs = encoder.encode([mc.text.get(lang) for mc in question.misconceptions])
                close = mc_vecs @ kp_vecs.T
                for m, mc in enumerate(question.misconceptions):
                    k = int(np.argmax(close[m]))
                    if close[m, k] > thresholds.misconception[lang]:
                        warnings.append(
                            where.warn(
                                base + ("misconceptions", m, "text", lang),
                                question.id,
                                f"misconception {mc.id!r} is very close to the correct key point "
                                f"{question.key_points[k].id!r} in {lang} (similarity "
                                f"{close[m, k]:.2f}): a right answer may be penalised; word the "
                                "mistake more specifically",
                            )
                        )
            warnings += _self_grade(bank, question, qi, lang, grader, where, thresholds)
        warnings += _unclear_denials(question, qi, grader, where, thresholds)
    return warnings


def _unclear_denials(question, qi, grader, where, thresholds) -> list[Problem]:
    """A misconception that does not say which key point it denies, whose two nearest points
    are about as near: the grader would take the nearer one from its credit, a guess."""
    warnings = []
    for m, mc in enumerate(question.misconceptions):
        if mc.contradicts is not None or len(question.key_points) < 2:
            continue
        sims = grader.misconception_point_similarities(question, m)
        first, second = sims.argsort()[::-1][:2]
        if sims[first] - sims[second] < thresholds.denial_margin:
            a, b = question.key_points[first].id, question.key_points[second].id
            warnings.append(
                where.warn(
                    ("questions", qi, "misconceptions", m, "id"),
                    question.id,
                    f"misconception {mc.id!r} is about as near key point {a!r} "
                    f"({sims[first]:.2f}) as {b!r} ({sims[second]:.2f}): say which it denies "
                    f'with contradicts = ["{a}"] (or [] for none)',
                )
            )
    return warnings


def _self_grade(bank, question, qi, lang, grader, where, thresholds) -> list[Problem]:
    """The model answer graded against its own rubric should score (near) 100."""
    answer = question.model_answer.get(lang, fallback=False)
    if not answer:
        return []
    grade = grader.grade(
        question, answer, bank_id=bank.id, language=lang, other_questions=bank.questions
    )
    if grade.score >= thresholds.self_score:
        return []
    gaps = [f"{kp.id} ({kp.status})" for kp in grade.key_points if kp.status != "hit"]
    reasons = []
    if gaps:
        reasons.append("not covered: " + ", ".join(gaps))
    if grade.misconceptions:
        reasons.append("states misconception " + ", ".join(m.id for m in grade.misconceptions))
    reasons += grade.notes
    why = "; ".join(reasons) or "low similarity"
    return [
        where.warn(
            ("questions", qi, "model_answer", lang),
            question.id,
            f"the {lang} model answer scores {grade.score:.0f} against its own rubric "
            f"(want >= {thresholds.self_score:.0f}): {why}",
        )
    ]


def lint_bank(
    bank: Bank, grader: Grader | None = None, thresholds: LintThresholds = DEFAULT_THRESHOLDS
) -> list[Problem]:
    """Every warning for ``bank``: the static ones, plus the model-based ones given a grader."""
    warnings = static_warnings(bank, thresholds)
    if grader is not None:
        warnings += model_warnings(bank, grader, thresholds)
    return sorted(warnings, key=lambda p: p.line or 0)
