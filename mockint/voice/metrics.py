"""Delivery coaching from a transcript's word timings: pace, filler words, long pauses, length.

Decisions, so the figures mean the same thing everywhere they are shown:

- ``duration_s`` is the whole clip, as an interviewer's clock would run; it is what is compared
  with the question's time limit.
- ``wpm`` is words per minute of *speaking time*: from the first word's start to the last
  word's end, so the silence before pressing stop does not make anyone sound slow. Chinese is
  counted in characters (each Han character is one syllable), English in words; a mixed answer
  adds both. :data:`PACE` holds the comfortable ranges the notes compare against.
- A long pause is a gap of more than :data:`LONG_PAUSE_S` seconds *between two words*. The
  silence before the first word and after the last is not a pause: it is the time between
  pressing the record key and speaking, which the app controls, not the speaker.
  It is reported separately as ``leading_silence_s``.
- Filler words are counted where they are hesitations, not grammar: see :func:`count_fillers`.
"""

from __future__ import annotations

import json
import re
from collections import Counter

from pydantic import BaseModel, ConfigDict

from mockint.voice.transcript import Transcript

LONG_PAUSE_S = 2.0
"""Gaps between words longer than this count as long pauses."""
CJK_PAUSE_AS_COMMA_S = 0.5
"""Whisper often leaves Chinese unpunctuated: a gap this long between Chinese words counts as a
comma when deciding whether 那个 or 然后 stood alone as a filler."""

# Comfortable speaking rates, per minute: English words, Chinese characters.
PACE = {"en": (110.0, 170.0), "zh": (160.0, 300.0)}

_HESITATIONS_EN = {
    "um": "um", "umm": "um", "ummm": "um", "uhm": "um",
    "uh": "uh", "uhh": "uh", "uhhh": "uh",
    "er": "er", "err": "er", "erm": "er",
    "hmm": "hmm", "hm": "hmm", "hmmm": "hmm", "mm": "hmm", "mmm": "hmm",
}  # fmt: skip
# "So far", "so much"...: "so" starting a sentence that is an adverb, not a filler.
_SO_NOT_FILLER_BEFORE = {"far", "much", "many", "long", "few", "little"}
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_EN_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_SENTENCE_END = re.compile(r"[.?!。？！]")
# A hyphen only breaks with a space beside it: "like-minded" is one word.
_SOFT_BREAK = re.compile(r"[,;:，、；：…—–]|\.\.|\s-|-\s")
# Whisper writes some Chinese in traditional characters; fillers are reported in simplified.
_TO_SIMPLIFIED = str.maketrans({"個": "个", "後": "后"})
_ZH_HESITATIONS = ("嗯", "呃")
# Longest first, so 就是说 is matched before 就是.
_ZH_CANDIDATES = (
    ("就是说", "就是"), ("那个", "那个"), ("就是", "就是"), ("然后", "然后"), ("啊", "啊"),
)  # fmt: skip


class _Model(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True)


class Pause(_Model):
    """A silence between two words."""

    start: float
    """When the word before it ends, in seconds from the start of the clip."""
    end: float
    """When the word after it starts."""

    @property
    def duration_s(self) -> float:
        return self.end - self.start


class SpeechMetrics(_Model):
    """How an answer was delivered, measured from its transcript."""

    duration_s: float
    """Length of the whole clip, in seconds (compared with the time limit)."""
    speaking_s: float
    """From the first word's start to the last word's end, in seconds."""
    words: int
    """Words said (Chinese: characters), fillers included."""
    wpm: float
    """Words (Chinese: characters) per minute of speaking time; 0 when nothing was timed."""
    filler_count: int
    """Filler words in all."""
    fillers: dict[str, int]
    """Each filler word (um, uh, like, you know, basically, so, 嗯, 啊, 那个...) and its count."""
    long_pauses: int
    """Gaps of more than two seconds between words."""
    pauses: list[Pause]
    """Those long pauses, in order, for highlighting in the transcript."""
    longest_pause_s: float
    """The longest gap between two words, however short (0 with fewer than two words)."""
    leading_silence_s: float
    """Silence before the first word (not counted as a pause)."""
    time_limit_s: float | None = None
    """The question's suggested time, when known."""
    over_time_s: float | None = None
    """How far the clip ran past the time limit (0 when within it; None without a limit)."""
    language: str = "en"
    """The transcript's language, which sets the pace bands and the wording of notes."""

    def as_dict(self) -> dict[str, object]:
        """The figures stored with the answer: the columns of the ``speech_metrics`` table."""
        return {
            "duration_s": self.duration_s,
            "words": self.words,
            "wpm": self.wpm,
            "filler_count": self.filler_count,
            "fillers_json": json.dumps(self.fillers, ensure_ascii=False, sort_keys=True),
            "long_pauses": self.long_pauses,
            "longest_pause_s": self.longest_pause_s,
        }

    def notes(self, language: str | None = None) -> list[str]:
        """Short coaching sentences for the feedback screen, in ``language`` (en or zh)."""
        zh = (language or self.language) == "zh"
        low, high = PACE.get(self.language, PACE["en"])
        unit = "字/分钟" if self.language == "zh" else "words per minute"
        out: list[str] = []
        if self.wpm:
            if self.wpm < low:
                out.append(
                    f"语速偏慢：{self.wpm:.0f} {unit}（舒适区间 {low:.0f}–{high:.0f}）。"
                    if zh
                    else f"Slow pace: {self.wpm:.0f} {unit} (comfortable: {low:.0f}-{high:.0f})."
                )
            elif self.wpm > high:
                out.append(
                    f"语速偏快：{self.wpm:.0f} {unit}（舒适区间 {low:.0f}–{high:.0f}），放慢一点。"
                    if zh
                    else f"Fast pace: {self.wpm:.0f} {unit} (comfortable: {low:.0f}-{high:.0f}); "
                    "slow down a little."
                )
            else:
                good = f"语速合适：{self.wpm:.0f} {unit}。"
                out.append(good if zh else f"Good pace: {self.wpm:.0f} {unit}.")
        if self.filler_count:
            top = ", ".join(
                f"{word} ×{count}"
                for word, count in sorted(self.fillers.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
            )
            out.append(
                f"口头禅 {self.filler_count} 次（{top}）：停顿一下比说填充词更好。"
                if zh
                else f"{self.filler_count} filler words ({top}): a short silence beats a filler."
            )
        if self.long_pauses:
            out.append(
                f"{self.long_pauses} 次超过 2 秒的停顿（最长 {self.longest_pause_s:.1f} 秒）。"
                if zh
                else f"{self.long_pauses} pause{'s' if self.long_pauses > 1 else ''} over 2 s "
                f"(longest {self.longest_pause_s:.1f} s)."
            )
        if self.over_time_s:
            out.append(
                f"超时 {self.over_time_s:.0f} 秒（建议 {self.time_limit_s:.0f} 秒内）。"
                if zh
                else f"{self.over_time_s:.0f} s over the suggested {self.time_limit_s:.0f} s."
            )
        return out


def speech_metrics(transcript: Transcript, time_limit_s: float | None = None) -> SpeechMetrics:
    """Measure pace, fillers, pauses and length of a transcribed answer.

    ``time_limit_s`` is the question's suggested time (``question.time_limit``); without it
    ``over_time_s`` is None. A transcript without word timings (typed text) gives word and
    filler counts with zero timings.
    """
    words = transcript.words
    gaps = [
        (words[i].end, words[i + 1].start)
        for i in range(len(words) - 1)
        if words[i + 1].start > words[i].end
    ]
    long_gaps = [Pause(start=a, end=b) for a, b in gaps if b - a > LONG_PAUSE_S]
    speaking = max(0.0, transcript.speech_end_s - transcript.speech_start_s)
    text = _text_with_pauses(transcript) if words else transcript.text
    count = count_words(transcript.text)
    fillers = count_fillers(text)
    over = None
    if time_limit_s is not None:
        over = round(max(0.0, transcript.duration_s - time_limit_s), 2)
    return SpeechMetrics(
        duration_s=round(transcript.duration_s, 2),
        speaking_s=round(speaking, 2),
        words=count,
        wpm=round(count / (speaking / 60), 1) if speaking > 0 else 0.0,
        filler_count=sum(fillers.values()),
        fillers=fillers,
        long_pauses=len(long_gaps),
        pauses=long_gaps,
        longest_pause_s=round(max((b - a for a, b in gaps), default=0.0), 2),
        leading_silence_s=round(transcript.speech_start_s, 2),
        time_limit_s=time_limit_s,
        over_time_s=over,
        language=transcript.language,
    )


def count_words(text: str) -> int:
    """English words plus Chinese characters (the unit Chinese speaking rates are given in)."""
    return len(_EN_WORD.findall(text)) + len(_CJK_CHAR.findall(text)) + _count_digit_groups(text)


def _count_digit_groups(text: str) -> int:
    return len(re.findall(r"\d+(?:[.,]\d+)*", text))


def _text_with_pauses(transcript: Transcript) -> str:
    """The transcript rebuilt from its words, with a comma where a Chinese speaker paused."""
    parts: list[str] = []
    previous = None
    for word in transcript.words:
        if previous is not None:
            both_cjk = _CJK_CHAR.search(previous.word[-1:]) and _CJK_CHAR.search(word.word[:1])
            if both_cjk and word.start - previous.end >= CJK_PAUSE_AS_COMMA_S:
                parts.append("，")
            elif not both_cjk:
                parts.append(" ")
        parts.append(word.word)
        previous = word
    return "".join(parts)


def count_fillers(text: str) -> dict[str, int]:
    """Filler words in a transcript, ``{filler: count}``, English and Chinese alike.

    English: um/uh/er/hmm (and their spellings: umm, uhh, erm...) and "basically" always;
    "like" only as an aside Whisper's punctuation sets off ("it's, like, fast", "like, you
    know"), so "I like it" and "looks like a curve" never count; "you know" likewise ("you know,"
    but not "do you know what"); "so" at the start of a sentence ("So, the gradient...") except
    "so far", "so much"...

    Chinese has no spaces, so words are found by matching, and their role by what surrounds
    them: 嗯 and 呃 always count (a run like 嗯嗯 once). 啊 counts at the start of a clause or on
    its own, not as the particle ending one (是啊, 好啊). 那个, 就是 (就是说) and 然后 count when
    they stand alone between punctuation or pauses ("然后，嗯，"), when repeated (那个那个) or
    when a hesitation follows; before content they are grammar ("然后我们…", "那个模型",
    "这就是原因") and do not count.
    """
    counts: Counter[str] = Counter()
    _count_english(text, counts)
    _count_chinese(text.translate(_TO_SIMPLIFIED), counts)
    return dict(counts)


def _count_english(text: str, counts: Counter[str]) -> None:
    matches = list(_EN_WORD.finditer(text))
    tokens = [m.group().lower().replace("’", "'") for m in matches]
    # What lies between token i-1 and token i (gaps[0] is before the first word).
    edges = [0, *(m.end() for m in matches)]
    gaps = [text[edges[i] : m.start()] for i, m in enumerate(matches)]
    gaps.append(text[matches[-1].end() :] if matches else text)

    def sentence_end_before(i: int) -> bool:
        return i == 0 or bool(_SENTENCE_END.search(gaps[i]))

    def soft_break_after(i: int) -> bool:
        return bool(_SOFT_BREAK.search(gaps[i + 1]))

    def sentence_end_after(i: int) -> bool:
        return i + 1 >= len(tokens) or bool(_SENTENCE_END.search(gaps[i + 1]))

    def at_sentence_start(i: int) -> bool:
        # "Um, so, ..." still starts the sentence with "so": skip hesitations before it.
        j = i
        while j > 0 and not sentence_end_before(j) and tokens[j - 1] in _HESITATIONS_EN:
            j -= 1
        return sentence_end_before(j)

    def hesitation_at(i: int) -> bool:
        return i < len(tokens) and tokens[i] in _HESITATIONS_EN

    for i, token in enumerate(tokens):
        if token in _HESITATIONS_EN:
            counts[_HESITATIONS_EN[token]] += 1
        elif token == "basically":
            counts["basically"] += 1
        elif token == "like":
            aside = soft_break_after(i) and not sentence_end_after(i)  # "is, like, fast"
            if aside or hesitation_at(i + 1):
                counts["like"] += 1
        elif token == "you" and i + 1 < len(tokens) and tokens[i + 1] == "know":
            know = i + 1
            closing_aside = (
                sentence_end_after(know)
                and "?" not in gaps[know + 1]
                and not sentence_end_before(i)
                and bool(_SOFT_BREAK.search(gaps[i]))
            )
            aside = soft_break_after(know) and not sentence_end_after(know)  # "you know, it"
            if aside or closing_aside or hesitation_at(know + 1):
                counts["you know"] += 1
        elif token == "so" and at_sentence_start(i):
            following = tokens[i + 1] if i + 1 < len(tokens) else ""
            if following not in _SO_NOT_FILLER_BEFORE:
                counts["so"] += 1


def _count_chinese(text: str, counts: Counter[str]) -> None:
    # Tokens: ("H", 嗯) hesitation, ("F", 那个) candidate filler, ("C", ...) content,
    # ("|", "") a break (punctuation, pause comma, whitespace between Chinese characters).
    tokens: list[tuple[str, str]] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char in _ZH_HESITATIONS:
            if not (tokens and tokens[-1] == ("H", char)):  # 嗯嗯嗯 is one hesitation
                tokens.append(("H", char))
            i += 1
            continue
        match = next((c for c in _ZH_CANDIDATES if text.startswith(c[0], i)), None)
        if match:
            tokens.append(("F", match[1]))
            i += len(match[0])
        elif _CJK_CHAR.match(char) or char.isalnum():
            if not (tokens and tokens[-1][0] == "C"):
                tokens.append(("C", ""))
            i += 1
        elif char.isspace() and not _between_latin(text, i):
            tokens.append(("|", ""))
            i += 1
        elif char.isspace():
            i += 1
        else:
            tokens.append(("|", ""))
            i += 1

    def kind(j: int) -> str:
        return tokens[j][0] if 0 <= j < len(tokens) else "|"

    for j, (role, word) in enumerate(tokens):
        if role == "H":
            counts[word] += 1
            continue
        if role != "F":
            continue
        before, after = kind(j - 1), kind(j + 1)
        isolated_before = before in ("|", "H", "F")
        if word == "啊":
            # Clause-initial or standalone; after content it is a particle (是啊).
            filler = isolated_before or after == "H"
        else:
            repeated = after == "F" and tokens[j + 1][1] == word
            filler = repeated or after == "H" or (isolated_before and after in ("|", "F"))
        if filler:
            counts[word] += 1


def _between_latin(text: str, i: int) -> bool:
    # A space inside "batch normalization" or after an English term is not a Chinese pause.
    left, right = text[:i].rstrip()[-1:], text[i:].lstrip()[:1]
    return bool(left and right) and not (_CJK_CHAR.match(left) and _CJK_CHAR.match(right))
