"""Question banks: the pydantic models of a rubric file and the loader that reads them.

A bank is one TOML file. Each question carries a prompt, a model answer, weighted key points
(what a good answer must say) and misconceptions (what sounds right but is wrong). Texts users
read come in every language the bank declares (``en``, ``zh``).

Loading never raises a raw exception for a user mistake: every problem becomes a
:class:`Problem` naming the file, the line, the question id and the field.
"""

from __future__ import annotations

import ast
import errno
import hashlib
import json
import os
import re
import stat
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

Language = Literal["en", "zh"]
LANGUAGES: tuple[Language, ...] = ("en", "zh")
SLUG = r"^[a-z0-9][a-z0-9_-]*$"


def _stripped_entries(value: list[str]) -> list[str]:
    """A list of terms or wordings, each stripped; an empty entry is an error."""
    if any(not item.strip() for item in value):
        raise ValueError("has an empty entry")
    return [item.strip() for item in value]


class _Model(BaseModel):
    # Unknown fields are errors (a typo such as `wieght` must not be silently ignored), and
    # field docstrings become the schema's descriptions so the format documents itself.
    # TOML has nan and inf; a weight or penalty that is not a finite number would poison every
    # score computed from it (and the history refuses to store NaN), so they are errors here.
    model_config = ConfigDict(
        extra="forbid", use_attribute_docstrings=True, frozen=True, allow_inf_nan=False
    )


class Localized(_Model):
    """A text in one or more languages; the bank's ``languages`` says which are required."""

    en: str | None = None
    """English text."""
    zh: str | None = None
    """Chinese (Simplified) text."""

    @field_validator("en", "zh")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("is empty")
        return value.strip() if value is not None else None

    def get(self, language: str, fallback: bool = True) -> str:
        """The text in ``language``, or (with ``fallback``) in any language the text has."""
        text = getattr(self, language, None)
        if text is None and fallback:
            text = self.en or self.zh
        return text or ""

    def languages(self) -> list[str]:
        return [lang for lang in LANGUAGES if getattr(self, lang)]

    def all_texts(self) -> list[str]:
        return [getattr(self, lang) for lang in self.languages()]


# Optional fields added after histories were first stored, each with the value that means "not
# set". Left unset they are left out of a content hash, so an upgrade does not make every
# question of every bank look edited (which would mark its schedule and progress as belonging
# to an older version of it). An explicit ``contradicts = []`` is set: it changes the grading.
_LATER_FIELDS = {"direction": (None,), "about": ([],), "contradicts": (None,)}


def hash_payload(data: Any) -> str:
    """``data`` (a model dumped as JSON) as the text a content hash is taken over."""

    def drop_unset(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                key: drop_unset(item)
                for key, item in value.items()
                if not (key in _LATER_FIELDS and any(item == v for v in _LATER_FIELDS[key]))
            }
        if isinstance(value, list):
            return [drop_unset(item) for item in value]
        return value

    return json.dumps(drop_unset(data), sort_keys=True, ensure_ascii=False)


class Direction(_Model):
    """How a key point says one quantity moves others ("raising the decision threshold increases
    precision and lowers recall"), so that an answer saying it the wrong way round ("raise the
    threshold and recall goes up") is read as the mistake it is, in any wording the direction
    words cover (grading/directions.py). Terms are in any language."""

    cause: list[str] = []
    """Terms naming the quantity that moves (``threshold``, ``阈值``); an answer says which way
    with a direction word next to it ("raise the threshold", "阈值调高")."""
    cause_up: list[str] = []
    """Terms that name the cause already moved up ("complex model", "deeper tree")."""
    cause_down: list[str] = []
    """Terms that name the cause already moved down ("simple model", "shallow tree")."""
    given: Literal["up", "down"] | None = None
    """The way the question itself moves the cause ("the input image doubles"), for answers
    that do not say it again."""
    up: list[str] = []
    """Quantities that rise when the cause rises."""
    down: list[str] = []
    """Quantities that fall when the cause rises."""
    same: list[str] = []
    """Quantities the cause does not change."""
    more_of: list[str] = []
    """Things that happen more when the cause rises, said without a direction word ("a deeper
    tree overfits", "the loss diverges")."""
    less_of: list[str] = []
    """Things that happen less when the cause rises ("a high learning rate makes training
    slow" says the reverse)."""
    unless: list[str] = []
    """A sentence naming one of these is about something else and left alone ("the fully
    connected layer's weights do double")."""

    @field_validator(
        "cause", "cause_up", "cause_down", "up", "down", "same", "more_of", "less_of", "unless"
    )
    @classmethod
    def _no_blank_terms(cls, value: list[str]) -> list[str]:
        return _stripped_entries(value)

    @model_validator(mode="after")
    def _says_something(self) -> Direction:
        if not (self.cause or self.cause_up or self.cause_down or self.given):
            raise ValueError("needs a cause (cause, cause_up, cause_down or given)")
        if not (self.up or self.down or self.same or self.more_of or self.less_of):
            raise ValueError("needs something the cause moves (up, down, same, more_of, less_of)")
        return self


class KeyPoint(_Model):
    """One thing a good answer must say. A question's score is the weighted share of these."""

    id: str = Field(pattern=SLUG)
    """Stable id, unique within the question (lowercase letters, digits, ``-``, ``_``)."""
    text: Localized
    """The point, stated as one sentence a strong candidate would say."""
    weight: float = Field(default=1.0, le=1e6)
    """How much the point counts towards the score, relative to the question's other points."""
    paraphrases: list[str] = []
    """Other ways candidates say the same thing, in any language; each widens what counts as a
    hit."""
    terms: list[str] = []
    """Critical terms (any language). Optional: when given, an answer that never mentions any of
    them cannot fully cover the point, however similar it sounds."""
    follow_up: Localized
    """What the interviewer asks when this point is missing from the answer."""
    direction: Direction | None = None
    """Optional: which way the point says one quantity moves others, so an answer that says
    it the wrong way round earns nothing for the point and is told what is true."""

    @field_validator("weight")
    @classmethod
    def _positive(cls, value: float) -> float:
        if value <= 0:
            raise ValueError("must be greater than 0")
        return value

    @field_validator("paraphrases", "terms")
    @classmethod
    def _no_blank_items(cls, value: list[str]) -> list[str]:
        return _stripped_entries(value)


class Misconception(_Model):
    """A statement that sounds right but is wrong; an answer that makes it loses points."""

    id: str = Field(pattern=SLUG)
    """Stable id, unique within the question."""
    text: Localized
    """The wrong statement, worded the way candidates say it."""
    paraphrases: list[str] = []
    """Other wordings of the same mistake, in any language."""
    terms: list[str] = []
    """Words that make the statement wrong (any language; e.g. ``weight`` for "BN normalizes the
    weights"). Optional: when given, only a sentence that uses one of them can state the
    misconception, which keeps correct sentences that merely sound alike from being flagged."""
    about: list[str] = []
    """Names of the narrower thing the mistake is about, when it is not the question's whole
    subject (e.g. ``time series`` for "for time series you can shuffle the rows"; any
    language). Optional: when given, a sentence states the misconception only where it, or the
    sentence before it, names one of them ("You shuffle the data and cut it into k folds" is
    right of k-fold in general)."""
    contradicts: list[str] | None = None
    """Ids of the key points of this question that the mistake denies: an answer that states
    it earns them only where it also states them more clearly. ``[]`` when it denies none (a
    mistake beside the key points, e.g. "SGD uses the whole dataset" under a question on
    epochs); left out, the key point nearest the mistake in meaning is taken, which a mistake
    about another thing can get wrong."""
    correction: Localized
    """What is actually true, shown to the candidate who made the mistake."""
    penalty: float = 15.0
    """Points (out of 100) taken off the score when an answer states this misconception."""

    @field_validator("paraphrases", "terms", "about", "contradicts")
    @classmethod
    def _no_blank_entries(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _stripped_entries(value)

    @field_validator("penalty")
    @classmethod
    def _penalty_range(cls, value: float) -> float:
        if not 0 <= value <= 100:
            raise ValueError("must be between 0 and 100")
        return value


class Question(_Model):
    """One interview question with its rubric."""

    id: str = Field(pattern=SLUG)
    """Stable id, unique across all loaded banks (history and review schedules refer to it)."""
    topic: str = Field(min_length=1)
    """A short topic id used to group progress (e.g. ``training``, ``evaluation``); the bank's
    ``[topics.<id>]`` table may give it a title to show instead."""
    difficulty: Literal["easy", "medium", "hard"] = "medium"
    """How hard a typical interviewer considers the question."""
    time_limit: int = Field(default=180, gt=0, le=3600)
    """Suggested time to answer, in seconds."""
    prompt: Localized
    """The question as the interviewer asks it."""
    model_answer: Localized
    """The answer an interviewer hopes to hear; revealed after the candidate answers."""
    key_points: list[KeyPoint] = Field(min_length=1)
    """What a complete answer covers (3 to 6 is typical)."""
    misconceptions: list[Misconception] = []
    """Common wrong statements for this question."""

    @model_validator(mode="after")
    def _unique_ids(self) -> Question:
        groups = (("key_points", self.key_points), ("misconceptions", self.misconceptions))
        for kind, items in groups:
            seen: set[str] = set()
            for item in items:
                if item.id in seen:
                    raise ValueError(f"duplicate id {item.id!r} in {kind}")
                seen.add(item.id)
        points = {kp.id for kp in self.key_points}
        for mc in self.misconceptions:
            unknown = [i for i in mc.contradicts or () if i not in points]
            if unknown:
                raise ValueError(f"unknown key point {unknown[0]!r} in misconception {mc.id!r}")
        return self

    def key_point(self, key_point_id: str) -> KeyPoint:
        return next(kp for kp in self.key_points if kp.id == key_point_id)

    def content_hash(self) -> str:
        """A hash of everything that defines the question, so an edited question is noticed.

        Computed once per question object (a frozen model; a copy with changes is another
        object): the grader asks for it on every answer, a review schedule some eight times
        per question, at 1 ms each."""
        kept = _HASHES.get(id(self))
        if kept is None:
            if len(_HASHES) >= 4096:  # libraries loaded again and again: forget the old ones
                _HASHES.clear()
            payload = hash_payload(self.model_dump(mode="json"))
            kept = _HASHES[id(self)] = (
                self,
                hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16],
            )
        return kept[1]

    @property
    def total_weight(self) -> float:
        return sum(kp.weight for kp in self.key_points)


# id(question) -> (question, its content hash); the question is kept so its id is not reused.
_HASHES: dict[int, tuple[Question, str]] = {}


class Topic(_Model):
    """How a topic is shown to users; its id (the key of its table) is what questions name."""

    title: Localized
    """The topic's name in each of the bank's languages (``title.en = "Training"``,
    ``title.zh = "训练"``)."""


class Bank(_Model):
    """A question bank: one TOML file of questions on one subject."""

    id: str = Field(pattern=SLUG)
    """Stable id of the bank (unique among loaded banks)."""
    title: Localized
    """Human-readable name shown in lists."""
    description: Localized | None = None
    """A sentence or two on what the bank covers."""
    languages: list[Language] = ["en"]
    """Languages every text in the bank is written in; each must be present in every text."""
    version: int = 1
    """Bump when you change questions substantially (informational)."""
    source: str | None = None
    """Where the questions come from (article, book, your own notes)."""
    topics: dict[str, Topic] = {}
    """Optional titles of the questions' topics, one table per topic id: ``[topics.training]``
    with ``title.en`` and ``title.zh``. A topic without one is shown by its id; the id stays
    what the history records."""
    questions: list[Question] = Field(min_length=1)
    """The questions, in the order they are normally asked."""

    # Not part of the file: where it was loaded from (set by the loader).
    path: Path | None = Field(default=None, exclude=True)

    @model_validator(mode="after")
    def _unique_question_ids(self) -> Bank:
        seen: set[str] = set()
        for question in self.questions:
            if question.id in seen:
                raise ValueError(f"duplicate question id {question.id!r}")
            seen.add(question.id)
        return self

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def topic_ids(self) -> list[str]:
        """The topics of the bank's questions, in the order they first appear."""
        return list(dict.fromkeys(q.topic for q in self.questions))

    def topic_title(self, topic: str, language: str) -> str:
        """What to call ``topic`` in ``language``: its title, else its id."""
        entry = self.topics.get(topic)
        return entry.title.get(language) if entry is not None else topic


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a rubric file, located as precisely as the file allows."""

    file: str
    line: int | None
    question_id: str | None
    field: str | None
    message: str
    severity: Literal["error", "warning"] = "error"
    reason: str | None = dataclass_field(default=None, compare=False)
    """Which problem it is, with ``details`` (the values its sentence names), so that a face
    of the app speaking another language can word it (as :class:`mockint.errors.Reasoned`);
    ``message`` is the English sentence."""
    details: dict[str, object] = dataclass_field(default_factory=dict, compare=False, hash=False)

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        parts = [where, self.severity]
        if self.question_id:
            parts.append(f"question {self.question_id}")
        if self.field:
            parts.append(f"field {self.field}")
        return ": ".join(parts) + f": {self.message}"


class RubricError(Exception):
    """A bank could not be loaded; ``problems`` says exactly why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _Locator:
    """Finds the line of a field in a rubric TOML file.

    ``tomllib`` keeps no positions, so this scans the text for table headers
    (``[[questions]]``, ``[[questions.key_points]]``...) and key assignments. It is only used to
    point at errors, so a best guess (the enclosing table's line) is acceptable.
    """

    _HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\s\"-]+?)\s*\]\]?\s*(#.*)?$")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_\"-]+(?:\s*\.\s*[A-Za-z0-9_\"-]+)*)\s*=")

    def __init__(self, text: str):
        # TOML (and its error messages) count "\n" only; str.splitlines() would also break at
        # form feeds or U+2028 inside a string and shift every line after them.
        self.lines = text.split("\n")
        # (table path with array indexes) -> header line, and (table path, key) -> line
        self.tables: dict[tuple, int] = {(): 1}
        self.keys: dict[tuple, int] = {}
        counters: dict[tuple, int] = {}
        current: tuple = ()
        for number, line in _statement_lines(self.lines):
            header = self._HEADER.match(line)
            if header and not self._KEY.match(line):
                names = [n.strip().strip('"') for n in header.group(1).split(".")]
                is_array = line.strip().startswith("[[")
                current = self._resolve(names, is_array, counters, current)
                self.tables.setdefault(current, number)
                continue
            key = self._KEY.match(line)
            if key:
                dotted = tuple(k.strip().strip('"') for k in key.group(1).split("."))
                for depth in range(1, len(dotted) + 1):
                    self.keys.setdefault(current + dotted[:depth], number)

    @staticmethod
    def _resolve(names: list[str], is_array: bool, counters: dict, current: tuple) -> tuple:
        path: tuple = ()
        for depth, name in enumerate(names):
            last = depth == len(names) - 1
            base = path + (name,)
            if last and is_array:
                index = counters.get(base, -1) + 1
                counters[base] = index
                # A new array element resets the counters of arrays nested inside it.
                for k in [k for k in counters if len(k) > len(base) and k[: len(base)] == base]:
                    del counters[k]
                path = base + (index,)
            elif base in counters and not last:
                path = base + (counters[base],)
            else:
                path = base
        return path

    def line_of(self, loc: tuple) -> int | None:
        for end in range(len(loc), -1, -1):
            prefix = tuple(loc[:end])
            if prefix in self.keys:
                return self.keys[prefix]
            if prefix in self.tables:
                return self.tables[prefix]
        return None


def _statement_lines(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(number, line) of the lines that start a TOML statement (a table header or a key).

    Lines that begin inside a multi-line string or a multi-line array are values, however much
    they look like ``[[questions]]`` or ``weight = 2``: counting them would shift every line
    reported after them.
    """
    quote: str | None = None  # the open multi-line string delimiter, if any
    depth = 0  # open [ and { of a value spanning lines
    for number, line in enumerate(lines, start=1):
        if quote is None and depth == 0:
            yield number, line
        i = 0
        while i < len(line):
            if quote is not None:
                if quote == '"""' and line[i] == "\\":
                    i += 2
                    continue
                if line.startswith(quote, i):
                    i += 3
                    while i < len(line) and line[i] == quote[0]:
                        i += 1  # up to two quotes may end the string's content
                    quote = None
                    continue
                i += 1
                continue
            char = line[i]
            if char == "#":
                break
            if line.startswith('"""', i) or line.startswith("'''", i):
                quote = line[i : i + 3]
                i += 3
            elif char in "\"'":
                i = _string_end(line, i)
            else:
                if char in "[{":
                    depth += 1
                elif char in "]}":
                    depth = max(0, depth - 1)
                i += 1


def _string_end(line: str, start: int) -> int:
    """The index just past the one-line string that starts at ``line[start]``."""
    quote = line[start]
    i = start + 1
    while i < len(line):
        if quote == '"' and line[i] == "\\":
            i += 2
            continue
        if line[i] == quote:
            return i + 1
        i += 1
    return len(line)


def _field_name(loc: tuple) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts[-1:] = [f"{parts[-1]}[{item}]"] if parts else [f"[{item}]"]
        else:
            parts.append(str(item))
    return ".".join(parts)


class _LazyLocator:
    """A :class:`_Locator` built on first use: scanning the file costs more than parsing it,
    and a valid file never needs a line number."""

    def __init__(self, text: str):
        self._text = text
        self._locator: _Locator | None = None

    def line_of(self, loc: tuple) -> int | None:
        if self._locator is None:
            self._locator = _Locator(self._text)
        return self._locator.line_of(loc)


def field_locator(text: str) -> Callable[[tuple], int | None]:
    """For a rubric file's text: the function giving the line of a field such as
    ``("questions", 0, "key_points", 1, "text", "en")`` (the enclosing table's line at worst).
    Linters use it to place their warnings."""
    return _Locator(text).line_of


def field_name(loc: tuple) -> str:
    """A field's location as users read it: ``questions[0].key_points[1].text.en``."""
    return _field_name(loc)


def _question_of(data: Any, loc: tuple) -> str | None:
    if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
        try:
            qid = data["questions"][loc[1]].get("id")
        except (KeyError, IndexError, TypeError, AttributeError):
            return f"#{loc[1] + 1}"
        return str(qid) if qid else f"#{loc[1] + 1}"
    return None


# Pydantic's wording for a few errors, rephrased for someone editing a TOML file.
# The reasons of the validators' own ValueErrors, by their message.
_VALUE_REASONS = {
    "is empty": "empty",
    "must be greater than 0": "not_positive",
    "has an empty entry": "empty_entry",
    "must be between 0 and 100": "not_a_percentage",
}


def _validation_reason(err: Any, message: str) -> tuple[str | None, dict[str, object]]:
    """The reason key and details of one pydantic error: its type (``rubric_missing``,
    ``rubric_literal_error``...) with its context values, or the validator's own reason."""
    if err["type"] == "value_error":
        reason = _VALUE_REASONS.get(message)
        return (f"rubric_{reason}" if reason else None), {}
    details = {k: str(v) for k, v in (err.get("ctx") or {}).items()}
    if "expected" in details:
        # "'easy', 'medium' or 'hard'": the choices alone, for a sentence in any language.
        details["choices"] = " / ".join(re.findall(r"'([^']*)'", details["expected"]))
    return f"rubric_{err['type']}", details


_FRIENDLY = {
    "extra_forbidden": "unknown field (check its spelling; see README for the format)",
    "missing": "missing (this field is required)",
    "string_pattern_mismatch": "must be lowercase letters, digits, '-' or '_', starting with a "
    "letter or digit (e.g. 'batch-norm')",
}


def _problems_from_validation(
    error: ValidationError, data: Any, locator: _Locator, file: str
) -> list[Problem]:
    problems = []
    for err in error.errors():
        loc = tuple(err["loc"])
        message = _FRIENDLY.get(err["type"], err["msg"])
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        if err["type"] == "value_error" and message.startswith(("duplicate ", "unknown key point")):
            # Reported by _duplicate_problems and _reference_problems, at the entry's own line.
            continue
        reason, details = _validation_reason(err, message)
        problems.append(
            Problem(
                file=file,
                line=locator.line_of(loc),
                question_id=_question_of(data, loc),
                field=_field_name(loc) or None,
                message=message,
                reason=reason,
                details=details,
            )
        )
    return problems


def _items(value: Any) -> list[tuple[int, dict]]:
    """(index, table) for the tables of a raw TOML array; anything else is pydantic's to report."""
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _raw_question_id(question: dict, index: int) -> str:
    qid = question.get("id")
    return qid if isinstance(qid, str) and qid else f"#{index + 1}"


def _duplicate_problems(data: dict, locator: _Locator, file: str) -> list[Problem]:
    """Ids used twice within a bank (questions) or a question (key points, misconceptions).

    Checked on the raw data so each duplicate is reported at its own line, with the question it
    belongs to, even when other fields of the same file are wrong.
    """
    problems = []

    def scan(items: list[tuple[int, dict]], base: tuple, qid_of, what: str) -> None:
        first: dict[str, tuple] = {}
        for index, item in items:
            item_id = item.get("id")
            if not isinstance(item_id, str):
                continue
            loc = base + (index, "id")
            if item_id in first:
                first_line = locator.line_of(first[item_id])
                seen = f" (first used on line {first_line})" if first_line else ""
                problems.append(
                    Problem(
                        file,
                        locator.line_of(loc),
                        qid_of(index, item),
                        _field_name(loc),
                        f"duplicate {what} id {item_id!r}{seen}",
                        reason=f"rubric_duplicate_{what.replace(' ', '_')}"
                        + ("" if first_line else "_here"),
                        details={"id": item_id, "line": first_line},
                    )
                )
            else:
                first[item_id] = loc

    questions = _items(data.get("questions"))
    scan(questions, ("questions",), lambda i, q: _raw_question_id(q, i), "question")
    for qi, question in questions:
        qid = _raw_question_id(question, qi)
        for field, what in (("key_points", "key point"), ("misconceptions", "misconception")):
            scan(
                _items(question.get(field)),
                ("questions", qi, field),
                lambda _i, _item, qid=qid: qid,
                what,
            )
    return problems


def _reference_problems(data: dict, locator: _Locator, file: str) -> list[Problem]:
    """A misconception's ``contradicts`` entry that names no key point of its question (most
    likely a misspelt id, which would otherwise leave the point it meant unprotected)."""
    problems = []
    for qi, question in _items(data.get("questions")):
        points = [p.get("id") for _i, p in _items(question.get("key_points"))]
        points = [p for p in points if isinstance(p, str)]
        for mi, mistake in _items(question.get("misconceptions")):
            named = mistake.get("contradicts")
            for ci, point in enumerate(named if isinstance(named, list) else ()):
                if not isinstance(point, str) or point.strip() in points:
                    continue  # pydantic reports a value that is not a string
                loc = ("questions", qi, "misconceptions", mi, "contradicts", ci)
                problems.append(
                    Problem(
                        file,
                        locator.line_of(loc),
                        _raw_question_id(question, qi),
                        _field_name(loc),
                        f"no key point {point!r} in this question (its key points: "
                        f"{', '.join(points)})",
                        reason="rubric_unknown_key_point",
                        details={"id": point, "ids": ", ".join(points)},
                    )
                )
    return problems


def _topic_problems(data: dict, locator: _Locator, file: str) -> list[Problem]:
    """A ``[topics.<id>]`` table whose id no question has: most likely a misspelt id, whose
    title would silently never show."""
    topics = data.get("topics")
    if not isinstance(topics, dict):
        return []  # pydantic reports a `topics` that is not a table
    used = [q.get("topic") for _i, q in _items(data.get("questions"))]
    used = list(dict.fromkeys(t for t in used if isinstance(t, str)))
    return [
        Problem(
            file,
            locator.line_of(("topics", topic)),
            None,
            _field_name(("topics", topic)),
            f"no question has topic {topic!r} (the questions' topics: {', '.join(used)})",
            reason="rubric_unused_topic",
            details={"topic": topic, "topics": ", ".join(used)},
        )
        for topic in topics
        if topic not in used
    ]


def _language_problems(data: dict, locator: _Locator, file: str) -> list[Problem]:
    """Every text must exist in every language the bank declares.

    Works on the raw data, so missing translations are listed together with every other problem
    of the file rather than only once the rest is fixed.
    """
    languages = data.get("languages", ["en"])
    if not isinstance(languages, list) or not all(lang in LANGUAGES for lang in languages):
        return []  # pydantic reports the bad `languages` value itself
    problems = []

    def check(value: Any, loc: tuple, qid: str | None) -> None:
        if not isinstance(value, dict):
            return
        for lang in languages:
            if lang not in value:
                problems.append(
                    Problem(
                        file,
                        locator.line_of(loc + (lang,)),
                        qid,
                        _field_name(loc + (lang,)),
                        f"missing {lang!r} text (the bank declares languages {languages})",
                        reason="rubric_missing_text",
                        details={"language": lang, "languages": ", ".join(languages)},
                    )
                )

    check(data.get("title"), ("title",), None)
    check(data.get("description"), ("description",), None)
    topics = data.get("topics")
    for topic, entry in topics.items() if isinstance(topics, dict) else ():
        if isinstance(entry, dict):
            check(entry.get("title"), ("topics", topic, "title"), None)
    for qi, question in _items(data.get("questions")):
        base = ("questions", qi)
        qid = _raw_question_id(question, qi)
        check(question.get("prompt"), base + ("prompt",), qid)
        check(question.get("model_answer"), base + ("model_answer",), qid)
        for ki, point in _items(question.get("key_points")):
            check(point.get("text"), base + ("key_points", ki, "text"), qid)
            check(point.get("follow_up"), base + ("key_points", ki, "follow_up"), qid)
        for mi, mistake in _items(question.get("misconceptions")):
            check(mistake.get("text"), base + ("misconceptions", mi, "text"), qid)
            check(mistake.get("correction"), base + ("misconceptions", mi, "correction"), qid)
    return problems


# tomllib's messages (before their " (at line L, column C)"), each with the reason that lets
# another language word it; a quoted part (a key, a character) is kept as the ``value`` detail.
# The most specific first: "Expected '=' ..." also matches "Expected (.+)".
_TOML_SYNTAX = (
    ("Invalid statement", "invalid_statement"),
    ("Expected newline or end of document after a statement", "expected_newline"),
    ("Expected '=' after a key in a key/value pair", "expected_equals"),
    ("Expected ']' at the end of a table declaration", "unclosed_table_header"),
    ("Expected ']]' at the end of an array declaration", "unclosed_array_header"),
    ("Expected (?P<value>.+)", "expected"),
    ("Found invalid character (?P<value>.+)", "invalid_character"),
    ("Cannot declare (?P<value>.+) twice", "declared_twice"),
    ("Cannot overwrite a value", "overwrite"),
    ("Cannot mutate immutable namespace (?P<value>.+)", "immutable"),
    ("Cannot redefine namespace (?P<value>.+)", "redefine"),
    ("Invalid initial character for a key part", "invalid_key"),
    ("Unclosed array", "unclosed_array"),
    ("Duplicate inline table key (?P<value>.+)", "duplicate_inline_key"),
    ("Unclosed inline table", "unclosed_inline_table"),
    (r"Unescaped '\\' in a string", "unescaped_backslash"),
    ("Invalid hex value", "invalid_hex"),
    ("Escaped character is not a Unicode scalar value", "invalid_escape"),
    ("Unterminated string", "unterminated_string"),
    # A one-line string whose closing quote is missing runs into the end of its line.
    (r"Illegal character '\\n'", "string_not_closed"),
    ("Illegal character (?P<value>.+)", "illegal_character"),
    ("Invalid date or datetime", "invalid_date"),
    ("Invalid value", "invalid_value"),
)
TOML_SYNTAX_REASONS = tuple(f"rubric_toml_{kind}" for _pattern, kind in _TOML_SYNTAX)
"""The reasons of a bank's TOML syntax errors (each language words them)."""


def _syntax_problem(file: str, text: str, exc: tomllib.TOMLDecodeError) -> Problem:
    """A TOML syntax error as a :class:`Problem` at its line, with a reason per kind of error
    and the line and column among its details; a message tomllib did not have when this was
    written keeps the ``rubric_not_toml`` reason and its English words."""
    message = str(exc)
    where = re.search(r" \(at (?:line (\d+), column (\d+)|end of document)\)$", message)
    what = message[: where.start()] if where else message
    if where and where.group(1):
        line, column = int(where.group(1)), int(where.group(2))
    else:  # the end of the document: its last line, just past its last character
        last = text.split("\n")
        line, column = len(last), len(last[-1]) + 1
    details: dict[str, object] = {"detail": message, "line": line, "column": column}
    reason = "rubric_not_toml"
    for pattern, kind in _TOML_SYNTAX:
        match = re.fullmatch(pattern, what)
        if match:
            reason = f"rubric_toml_{kind}"
            details.update({name: _key_words(v) for name, v in match.groupdict().items()})
            break
    return Problem(
        file, line, None, None, f"not valid TOML: {message}", reason=reason, details=details
    )


def _key_words(value: str) -> str:
    """A key as tomllib names it, ``('questions', 'prompt')``, as a file says it:
    ``'questions.prompt'``; any other value as it is."""
    try:
        key = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return value
    if isinstance(key, tuple) and all(isinstance(part, str) for part in key):
        return repr(".".join(key))
    return value


MAX_BANK_BYTES = 5_000_000
"""A bank file larger than this is refused unread (the built-in banks are about 100 KB)."""


def read_bank_bytes(path: Path) -> bytes:
    """The bytes of a bank file; raises :class:`RubricError` for anything but a regular file
    of at most :data:`MAX_BANK_BYTES` (a FIFO would block for ever, a link to /dev/zero would
    fill the memory)."""
    try:
        return read_regular_file(path, MAX_BANK_BYTES, "a bank")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise RubricError([Problem(str(path), None, None, None, reason)]) from None


def read_regular_file(path: Path, limit: int, what: str) -> bytes:
    """Read a regular file of at most ``limit`` bytes; OSError (whose ``strerror`` says what is
    wrong and what to do) for a missing file, a folder, a FIFO, a device or a larger file.

    Opened without blocking and checked on the open descriptor, so a FIFO put in its place
    between a check and the read cannot hang the reader."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise OSError(errno.ENOENT, "cannot read file: no such file") from None
    except OSError as exc:
        raise OSError(exc.errno, f"cannot read file: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(0, f"not a regular file (a folder, FIFO or device); give {what} file")
        if info.st_size > limit:
            raise OSError(
                0, f"{info.st_size:,} bytes is too large for {what} (limit {limit:,} bytes)"
            )
        data = handle.read(limit + 1)
    if len(data) > limit:  # it grew while being read
        raise OSError(0, f"too large for {what} (limit {limit:,} bytes)")
    return data


def load_bank(path: Path | str) -> Bank:
    """Read and validate one bank file; raise :class:`RubricError` listing every problem."""
    path = Path(path)
    file = str(path)
    raw = read_bank_bytes(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RubricError(
            [
                Problem(
                    file,
                    line,
                    None,
                    None,
                    "file is not valid UTF-8 text (save it as UTF-8)",
                    reason="rubric_not_utf8",
                )
            ]
        ) from None
    text = text.removeprefix("\ufeff")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RubricError([_syntax_problem(file, text, exc)]) from None
    except RecursionError:
        # tomllib recurses once per nesting level of arrays and inline tables.
        raise RubricError(
            [
                Problem(
                    file,
                    None,
                    None,
                    None,
                    "not valid TOML: values are nested too deeply",
                    reason="rubric_too_deep",
                )
            ]
        ) from None
    locator = _LazyLocator(text)
    problems: list[Problem] = []
    bank: Bank | None = None
    try:
        bank = Bank.model_validate(data)
    except ValidationError as exc:
        problems += _problems_from_validation(exc, data, locator, file)
    problems += _duplicate_problems(data, locator, file)
    problems += _reference_problems(data, locator, file)
    problems += _topic_problems(data, locator, file)
    problems += _language_problems(data, locator, file)
    if problems or bank is None:
        problems.sort(key=lambda p: p.line or 0)
        raise RubricError(problems)
    return bank.model_copy(update={"path": path})


def bank_files(paths: Iterable[Path | str]) -> Iterator[Path]:
    """The ``.toml`` files at ``paths`` (files as given, directories searched, sorted)."""
    for entry in paths:
        entry = Path(entry)
        if entry.is_dir():
            yield from sorted(entry.glob("*.toml"))
        else:
            yield entry


@dataclass
class Library:
    """All banks that loaded, and the problems of those that did not."""

    banks: list[Bank]
    problems: list[Problem]

    def bank(self, bank_id: str) -> Bank:
        for bank in self.banks:
            if bank.id == bank_id:
                return bank
        raise KeyError(bank_id)

    def find_question(self, question_id: str) -> tuple[Bank, Question]:
        for bank in self.banks:
            for question in bank.questions:
                if question.id == question_id:
                    return bank, question
        raise KeyError(question_id)

    def questions(self) -> Iterator[tuple[Bank, Question]]:
        for bank in self.banks:
            for question in bank.questions:
                yield bank, question

    def outside(self, bank_id: str) -> list[Question]:
        """The questions of every other bank: an answer meant for one of them is off-topic
        for a question of ``bank_id`` too (Grader.grade's ``elsewhere``)."""
        return [q for bank in self.banks if bank.id != bank_id for q in bank.questions]

    def topic_title(self, topic: str, language: str) -> str:
        """What to call ``topic`` in ``language``: the title the first bank giving one gives
        it (progress groups a topic's questions across banks), else its id."""
        for bank in self.banks:
            if topic in bank.topics:
                return bank.topic_title(topic, language)
        return topic


def default_search_path(extra: Iterable[Path | str] = ()) -> list[Path]:
    """Built-in banks, then the user's own, then any given with ``--rubrics``."""
    from mockint import locations

    user = locations.user_rubrics_dir()
    # It may be missing when the data dir could not be written (a read-only disk).
    return [locations.builtin_rubrics_dir(), *([user] if user.is_dir() else []), *map(Path, extra)]


def load_library(paths: Iterable[Path | str] | None = None) -> Library:
    """Load every bank on the search path; bad files are reported, never fatal.

    A file reached twice (say ``--rubrics rubrics/`` beside the built-in folder) is read once.
    When two files use the same bank or question id, the first one wins and the later one is
    reported and skipped.
    """
    search = default_search_path() if paths is None else list(paths)
    banks: list[Bank] = []
    problems: list[Problem] = []
    bank_ids: dict[str, Path] = {}
    question_ids: dict[str, Path] = {}
    seen_files: set[Path] = set()
    for file in bank_files(search):
        resolved = file.resolve()
        if resolved in seen_files:
            continue
        seen_files.add(resolved)
        try:
            bank = load_bank(file)
        except RubricError as exc:
            problems.extend(exc.problems)
            continue
        duplicate = False
        text = read_bank_bytes(file).decode("utf-8", errors="replace")
        locator = _LazyLocator(text.removeprefix("\ufeff"))
        if bank.id in bank_ids:
            problems.append(
                Problem(
                    str(file),
                    locator.line_of(("id",)),
                    None,
                    "id",
                    f"bank id {bank.id!r} is already used by {bank_ids[bank.id]}",
                    reason="rubric_bank_id_taken",
                    details={"id": bank.id, "file": bank_ids[bank.id]},
                )
            )
            duplicate = True
        for qi, question in enumerate(bank.questions):
            if question.id in question_ids:
                loc = ("questions", qi, "id")
                problems.append(
                    Problem(
                        str(file),
                        locator.line_of(loc),
                        question.id,
                        _field_name(loc),
                        f"question id {question.id!r} is already used in "
                        f"{question_ids[question.id]}",
                        reason="rubric_question_id_taken",
                        details={"id": question.id, "file": question_ids[question.id]},
                    )
                )
                duplicate = True
        if duplicate:
            continue
        bank_ids[bank.id] = file
        question_ids.update({q.id: file for q in bank.questions})
        banks.append(bank)
    return Library(banks=banks, problems=problems)
