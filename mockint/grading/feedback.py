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
        "covered": "{total} 个要点中讲到了 {n} 个。",
        "missed": "最大的缺口：{point}",
        "wrong": "注意：“{text}”是不对的。{correction}",
    },
}


def verdict_for(score: float, text: str, notes: Sequence[str]) -> str:
    """One word for the score band, or ``empty`` / ``off-topic`` when that is what happened."""
    if not text.strip():
        return "empty"
    if any("different question" in n for n in notes) and score < 15:
        return "off-topic"
    for threshold, word in VERDICTS:
        if score >= threshold:
            return word
    return "poor"


def compose_feedback(
    verdict: str,
    key_points: Sequence[KeyPointResult],
    misconceptions: Sequence[MisconceptionResult],
    notes: Sequence[str],
    language: str,
) -> str:
    """A short paragraph: verdict, what was covered, what was missed, what was wrong."""
    words = _TEXT.get(language, _TEXT["en"])
    parts = [words[verdict]]
    if verdict != "empty":
        covered = sum(1 for kp in key_points if kp.status == "hit")
        parts.append(words["covered"].format(n=covered, total=len(key_points)))
        gaps = [kp for kp in key_points if kp.status != "hit"]
        if gaps:
            biggest = max(gaps, key=lambda kp: (kp.weight, -kp.credit))
            parts.append(words["missed"].format(point=biggest.text))
    for mc in misconceptions:
        parts.append(words["wrong"].format(text=mc.text, correction=mc.correction))
    parts.extend(n for n in notes if "different question" not in n and "No answer" not in n)
    return " ".join(parts)
