"""Words for a grade: the verdict and the few sentences an interviewer would say."""

from __future__ import annotations

from collections.abc import Sequence

from mockint.grading.models import KeyPointResult, MisconceptionResult

VERDICTS = [(85, "excellent"), (65, "good"), (40, "partial"), (15, "weak")]

_TEXT = {
    "en": {
        "excellent": "Excellent answer: you covered what an interviewer is listening for.",
        "good": "Good answer, with a gap or two.",
        "partial": "A partial answer: some key ideas are there, important ones are missing.",
        "weak": "A weak answer: most of what matters is missing.",
        "poor": "This does not answer the question yet.",
        "off-topic": "This seems to answer a different question.",
        "empty": "No answer was given.",
        "mistaken": "The core of this answer is wrong.",
        "covered": "You covered {n} of {total} key points.",
        "missed": "The biggest gap: {point}",
        "wrong": "Careful: \u201c{text}\u201d is not right. {correction}",
    },
    "zh": {
        "excellent": "回答得很好：面试官想听的要点都讲到了。",
        "good": "回答不错，还有一两处不足。",
        "partial": "回答不完整：有一些要点，但缺少重要内容。",
        "weak": "回答比较薄弱：大部分关键内容没有讲到。",
        "poor": "这个回答还没有回答到问题。",
        "off-topic": "这个回答似乎是在回答另一个问题。",
        "empty": "没有作答。",
        "mistaken": "这个回答的核心内容讲错了。",
        "covered": "{total} 个要点中讲到了 {n} 个。",
        "missed": "最大的缺口：{point}",
        "wrong": "注意：“{text}”是不对的。{correction}",
    },
}


# Why a score is what it is, beyond the key points: one per cap, floor or adjustment, in the
# language of the feedback. Keys are what the grader decides; the texts are what the user reads.
NOTES = {
    "truncated": {
        "en": "Only the first {chars:,} characters were graded.",
        "zh": "只评了前 {chars:,} 个字符。",
    },
    "empty": {"en": "No answer was given.", "zh": "没有作答。"},
    "too-short": {
        "en": "The answer is too short to show understanding; explain in a sentence or two.",
        "zh": "回答太短，看不出是否理解；请用一两句话解释。",
    },
    "dont-know": {
        "en": "You said you don't know: that is honest, and the model answer below shows what "
        "to say next time.",
        "zh": "你说不知道：这很诚实，下面的参考答案告诉你下次可以怎么答。",
    },
    "keyword-list": {
        "en": "The answer reads as a list of terms; explain how they connect.",
        "zh": "回答像是一串术语；请说明它们之间的关系。",
    },
    # Worded as the verdict's sentence, which says it: `mockint grade` prints it once.
    "off-topic": {
        "en": "This seems to answer a different question.",
        "zh": "这个回答似乎是在回答另一个问题。",
    },
    "answers-instead": {
        "en": "It reads as an answer to \u201c{prompt}\u201d",
        "zh": "它更像是在回答：\u201c{prompt}\u201d",
    },
    "shallow": {
        "en": "Each point gets a line: explain how and why they work to earn full marks.",
        "zh": "每个要点只说了一句：讲清楚它们怎么起作用、为什么，才能拿满分。",
    },
    "brief": {
        "en": "The answer is very brief; explain the how and why to earn more.",
        "zh": "回答非常简短；讲清楚怎么做、为什么，才能得更高的分。",
    },
    "hints": {
        "en": "{n} hint{s} used: -{cost:.0f}.",
        "zh": "用了 {n} 次提示：-{cost:.0f} 分。",
    },
    "corrected": {
        "en": "You corrected yourself: what you took back was not graded, what you settled on was.",
        "zh": "你中途改口了：收回的那句不算，按改正后的说法评分。",
    },
    "unsure": {
        "en": "You said you weren't sure: only what you stated earns credit.",
        "zh": "你说了自己不确定：只有明确说出的内容才得分。",
    },
    "floor": {
        "en": "On topic but without specifics: {floor:.0f} for addressing it.",
        "zh": "切题但没有具体内容：回答了问题，得 {floor:.0f} 分。",
    },
}
# Notes the verdict already says; the feedback paragraph does not repeat them.
_SAID_BY_VERDICT = {"off-topic", "empty"}


def note(key: str, language: str, **values) -> str:
    """The text of note ``key`` in ``language`` (English when there is no translation)."""
    template = NOTES[key].get(language, NOTES[key]["en"])
    if "{s}" in template:  # an English plural of a count n, as the app's words write it
        values = {**values, "s": "" if values["n"] == 1 else "s"}
    return template.format(**values)


def verdict_for(score: float, text: str, off_topic: bool = False) -> str:
    """One word for the score band, or ``empty`` / ``off-topic`` when that is what happened."""
    if not text.strip():
        return "empty"
    if off_topic and score < 15:
        return "off-topic"
    for threshold, word in VERDICTS:
        if score >= threshold:
            return word
    return "poor"


def compose_feedback(
    verdict: str,
    key_points: Sequence[KeyPointResult],
    misconceptions: Sequence[MisconceptionResult],
    notes: Sequence[tuple[str, dict]],
    language: str,
) -> str:
    """A short paragraph: verdict, what was covered, what was missed, what was wrong, and the
    notes (``(key, values)`` pairs of :data:`NOTES`) the verdict does not already say."""
    words = _TEXT.get(language, _TEXT["en"])
    # A confident wrong answer does answer the question, wrongly: saying it "does not answer the
    # question yet" would send the candidate looking for what to add, not what to correct.
    mistaken = verdict in ("poor", "weak") and misconceptions
    parts = [words["mistaken" if mistaken else verdict]]
    if verdict != "empty":
        covered = sum(1 for kp in key_points if kp.status == "hit")
        parts.append(words["covered"].format(n=covered, total=len(key_points)))
        gaps = [kp for kp in key_points if kp.status != "hit"]
        if gaps:
            biggest = max(gaps, key=lambda kp: (kp.weight, -kp.credit))
            parts.append(words["missed"].format(point=biggest.text))
    for mc in misconceptions:
        parts.append(words["wrong"].format(text=mc.text, correction=mc.correction))
    parts.extend(note(k, language, **v) for k, v in notes if k not in _SAID_BY_VERDICT)
    return " ".join(parts)
