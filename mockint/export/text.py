"""Wording and number formats shared by the human-readable writers (HTML and Markdown)."""

from __future__ import annotations

from datetime import datetime

from mockint.export.model import AnswerRecord, KeyPointOutcome, ReportData, ReportFilters
from mockint.progress import trend_label

TITLE = "Interview practice report"

START_STEPS = [
    ("Open the interview app", "mockint"),
    ("Or answer in the terminal, line by line", "mockint interview --plain"),
    ("Then come back for this report", "mockint report"),
]
"""How to start practising, shown by an empty report: (what, command)."""

SECTION_INTROS = {
    "progress": "Mean score of the graded answers in each {unit}. The shaded band is 80 and "
    "above: what a strong candidate scores.",
    "mastery": "Each row is a question, each cell one of its key points, coloured by how much of "
    "it the latest answers covered (up to five per question).",
    "focus": "The key points missed most often in recent answers, with the model answer's "
    "wording for each: the fastest way to a better score.",
    "speech": "How the spoken answers were delivered.",
    "sessions": "Every answer with its score, the key points it covered and missed, and the "
    "follow-up questions.",
}


def local(moment: datetime) -> datetime:
    """A stored UTC time in the reader's local time zone."""
    return moment.astimezone()


def fmt_date(moment: datetime | None) -> str:
    """``3 Mar 2025``."""
    return local(moment).strftime("%d %b %Y").lstrip("0") if moment else "–"


def fmt_datetime(moment: datetime | None) -> str:
    """``Mon 3 Mar 2025, 14:05``."""
    if moment is None:
        return "–"
    value = local(moment)
    return f"{value:%a} {value.day} {value:%b %Y, %H:%M}"


def fmt_time(moment: datetime | None) -> str:
    """``14:05``."""
    return local(moment).strftime("%H:%M") if moment else "–"


def fmt_range(first: datetime | None, last: datetime | None) -> str:
    """``3 Mar – 10 Apr 2025`` (the year once when both are in it)."""
    if first is None or last is None:
        return ""
    a, b = local(first), local(last)
    if a.date() == b.date():
        return fmt_date(a)
    if a.year == b.year:
        return f"{a.day} {a:%b} – {fmt_date(b)}"
    return f"{fmt_date(a)} – {fmt_date(b)}"


def fmt_duration(seconds: float | None) -> str:
    """``45 s``, ``12 min``, ``3 h 05 min``."""
    if seconds is None:
        return "–"
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes >= 600:
        return f"{round(minutes / 60):,} h"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def fmt_score(score: float | None) -> str:
    return "–" if score is None else f"{score:.0f}"


def fmt_trend(trend: float | None) -> str:
    """``▲ +12`` / ``▼ −5`` / ``● 0`` points, or ``–`` when there is no trend yet."""
    label = trend_label(trend)
    if label == "up":
        return f"▲ +{trend:.0f}"
    if label == "down":
        return f"▼ −{abs(trend):.0f}"
    return "● 0" if label == "flat" else "–"


def trend_class(trend: float | None) -> str:
    """The CSS class of a trend: up, down or flat (also for no trend yet)."""
    label = trend_label(trend)
    return "flat" if label == "new" else label


def fmt_percent(rate: float | None) -> str:
    return "–" if rate is None else f"{rate * 100:.0f}%"


POINT_WORDS = {
    "hit": ("✓", "covered"),
    "partial": ("◐", "partly"),
    "barely": ("◌", "barely"),
    "miss": ("✗", "missed"),
}
"""How a report marks and names a key point's status (``barely``: a sliver of credit)."""


def point_status(kp: KeyPointOutcome) -> str:
    """``hit``, ``partial``, ``barely`` or ``miss``: a sliver of credit is not covering."""
    return "barely" if kp.barely else kp.status


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 answer``, ``10,000 answers``."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def progress_intro(report: ReportData) -> str:
    """The score chart's caption, naming what one point is (a session, a day, a week...)."""
    return SECTION_INTROS["progress"].format(unit=report.chart_unit)


def describe_filters(filters: ReportFilters, banks: dict[str, str]) -> str:
    """``since 1 Mar 2025 · bank deep-learning`` (empty when nothing is filtered)."""
    parts = []
    if filters.since:
        parts.append(f"since {fmt_date(filters.since)}")
    if filters.until:
        parts.append(f"before {fmt_datetime(filters.until)}")
    if filters.bank_id:
        parts.append(f"bank {banks.get(filters.bank_id, filters.bank_id)}")
    if filters.session_id is not None:
        parts.append(f"session {filters.session_id}")
    return " · ".join(parts)


def subtitle(report: ReportData) -> str:
    """The date range and the banks the report covers."""
    parts = [fmt_range(report.summary.first_at, report.summary.last_at)]
    parts.extend(report.banks.values())
    return " · ".join(p for p in parts if p)


def empty_message(report: ReportData) -> tuple[str, str]:
    """(heading, sentence) of a report with no answers."""
    if report.filters.active():
        return (
            "No answers match these filters",
            "Nothing was answered "
            + describe_filters(report.filters, report.banks)
            + ". Try a wider date range, or run `mockint history` to see your sessions.",
        )
    return (
        "No answers yet: your first session starts here",
        "Every answer you give in mockint is graded against a rubric and saved on this machine. "
        "Answer a few questions and this report fills with your scores, the key points you "
        "have mastered and the ones to work on next.",
    )


def provenance_lines(report: ReportData) -> list[str]:
    """What the grades come from, one line each: the question banks (declared version and
    content hash, as ``mockint --version`` shows them) and the grading models."""
    lines = []
    banks = []
    for bank in report.provenance.banks:
        if bank.version is None:
            banks.append(f"{bank.id} (no longer loaded)")
            continue
        edited = (
            f", {plural(bank.earlier_versions, 'answer')} to questions edited since"
            if bank.earlier_versions
            else ""
        )
        banks.append(f"{bank.id} v{bank.version} ({bank.content_hash}{edited})")
    if banks:
        lines.append("Question banks: " + "; ".join(banks) + ".")
    models = [
        f"{m.model} ({plural(m.answers, 'answer')}, {fmt_range(m.first_at, m.last_at)})"
        for m in report.provenance.models
    ]
    if models:
        lines.append("Graded by " + "; ".join(models) + ".")
    return lines


def source_label(source: str) -> str:
    return {"voice": "spoken", "typed": "typed"}.get(source, source)


def answer_meta(answer: AnswerRecord) -> list[str]:
    """The facts shown under an answer: ``14:05``, ``spoken``, ``answered in 45 s``, the
    language, hints, and for a spoken answer its pace, fillers and long pauses."""
    items = [fmt_time(answer.created_at), source_label(answer.source)]
    if answer.duration_s:
        items.append(f"answered in {fmt_duration(answer.duration_s)}")
    if answer.language:
        items.append(answer.language)
    if answer.hints_used:
        items.append(plural(answer.hints_used, "hint"))
    speech = answer.speech
    if speech is not None:
        if speech.wpm is not None:
            items.append(f"{speech.wpm:.0f} wpm")
        items.append(plural(speech.filler_count, "filler"))
        if speech.long_pauses:
            items.append(plural(speech.long_pauses, "long pause"))
    return items
