"""The Markdown report: the HTML report's content as headings, tables and lists.

Readable as plain text in a notes app and rendered on code-hosting sites. User text is escaped
with :func:`md_escape` (Markdown punctuation backslashed, ``<``/``>``/``&`` as entities, so
a ``<script>`` or a ``|`` in an answer neither runs nor breaks a table).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from mockint.export.html import group_asked
from mockint.export.model import AnswerRecord, ReportData, SessionRecord, Sessions
from mockint.export.text import (
    POINT_WORDS,
    SECTION_INTROS,
    START_STEPS,
    TITLE,
    answer_meta,
    describe_filters,
    empty_message,
    fmt_datetime,
    fmt_duration,
    fmt_percent,
    fmt_score,
    fmt_trend,
    plural,
    point_status,
    progress_intro,
    provenance_lines,
    subtitle,
)

# One translate() pass: much faster than a regex over the thousands of texts of a big report.
_TABLE = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", **{ch: "\\" + ch for ch in "\\`*_[]|~"}}
)
# Characters that only mean something at the start of a line: headings, lists, rules.
_LINE_START = re.compile(r"^(\s*)([#+\-=]|\d+[.)])")
_BLOCKS = "▁▂▃▄▅▆▇█"


@lru_cache(maxsize=8192)
def md_escape(text: str, *, inline: bool = True) -> str:
    """``text`` made inert in Markdown; ``inline`` also folds newlines (for table cells).

    Only what can change the document is escaped, so the plain text stays readable: emphasis,
    code, links, table pipes and HTML everywhere; heading and list marks at the start of a line.
    """
    text = text.translate(_TABLE)
    if inline:
        return _LINE_START.sub(_escape_mark, " ".join(text.split()))
    return "\n".join(_LINE_START.sub(_escape_mark, line) for line in text.split("\n"))


def _escape_mark(match: re.Match) -> str:
    indent, mark = match.groups()
    # "1." is a list item; only its punctuation can take a backslash ("1\.").
    return indent + (mark[:-1] + "\\" + mark[-1] if mark[0].isdigit() else "\\" + mark)


def md_quote(text: str) -> str:
    """A block quote of ``text``, keeping its line breaks."""
    lines = [md_escape(line) for line in text.strip().splitlines()] or [""]
    return "\n".join(f"> {line}" if line else ">" for line in lines)


def spark(values: list[float]) -> str:
    """A text sparkline of 0-100 scores: ``▃▄▆▇``."""
    return "".join(_BLOCKS[min(int(v / 100 * len(_BLOCKS)), len(_BLOCKS) - 1)] for v in values)


def bar(score: float, width: int = 10) -> str:
    """A horizontal bar of a 0-100 score, ``width`` characters at 100: ``█████▌``."""
    eighths = round(min(max(score, 0.0), 100.0) / 100 * width * 8)
    return "█" * (eighths // 8) + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[eighths % 8]


def _table(headers: list[str], rows: list[list[str]], align: str = "") -> list[str]:
    align = align or "l" * len(headers)
    marks = {"l": "---", "r": "--:", "c": ":-:"}
    return [
        "| " + " | ".join(headers) + " |",
        "| " + " | ".join(marks[a] for a in align) + " |",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def _summary(report: ReportData) -> list[str]:
    s = report.summary
    trend = (
        f"{fmt_trend(s.trend)} (last {s.trend_window} vs first {s.trend_window} answers)"
        if s.trend is not None
        else "– (shown from six graded answers)"
    )
    rows = [
        ["Sessions", f"{s.sessions:,}"],
        ["Practice days", f"{s.practice_days:,} (longest streak {s.longest_streak})"],
        [
            "Answers",
            f"{s.answers:,} ({plural(s.questions, 'question')}"
            + (f", {s.spoken_answers} spoken" if s.spoken_answers else "")
            + (f", {s.skipped} skipped" if s.skipped else "")
            + ")",
        ],
        ["Time practised", fmt_duration(s.time_practised_s)],
        ["Mean score", f"{fmt_score(s.mean_score)} / 100"],
        ["Trend", trend],
        ["Recent scores", f"`{spark(s.recent_scores)}`" if s.recent_scores else "–"],
    ]
    return ["## Summary", "", *_table(["", ""], rows, "lr"), ""]


def _progress(report: ReportData) -> list[str]:
    lines = ["## Score over time", "", md_escape(progress_intro(report)), ""]
    lines += _table(
        ["When", "Answers", "Mean score", ""],
        [
            [md_escape(p.label.split(":")[0]), str(p.answers), fmt_score(p.score), bar(p.score)]
            for p in report.overall
        ],
        "lrrl",
    )
    if report.topics:
        lines += ["", "### By topic", ""]
        lines += _table(
            ["Topic", "Answers", "Mean", "Trend", "Over time"],
            [
                [
                    md_escape(report.topic_title(t.topic)),
                    str(t.answers),
                    fmt_score(t.mean_score),
                    fmt_trend(t.trend),
                    f"`{spark([p.score for p in t.points])}`",
                ]
                for t in report.topics
            ],
            "lrrrl",
        )
    return [*lines, ""]


def _mastery(report: ReportData) -> list[str]:
    if not report.mastery:
        return []
    width = max(len(r.cells) for r in report.mastery)
    rows = []
    for row in report.mastery:
        cells = [f"{fmt_percent(c.rate)} {md_escape(c.key_point_id)}" for c in row.cells] + [""] * (
            width - len(row.cells)
        )
        topic = report.topic_title(row.topic)
        rows.append([md_escape(row.question), md_escape(topic), str(row.answers), *cells])
    lines = ["## Mastery of key points", "", md_escape(SECTION_INTROS["mastery"]), ""]
    lines += _table(
        ["Question", "Topic", "Answers", *[f"Key point {i}" for i in range(1, width + 1)]],
        rows,
        "llr" + "l" * width,
    )
    return [*lines, ""]


def _focus(report: ReportData) -> list[str]:
    if not report.weakest:
        return []
    lines = ["## Focus next: the weakest key points", "", md_escape(SECTION_INTROS["focus"]), ""]
    for n, weak in enumerate(report.weakest, start=1):
        lines.append(
            f"{n}. **{md_escape(weak.text)}**  \n"
            f"   {fmt_percent(weak.rate)} covered over {plural(weak.attempts, 'answer')} · "
            f"{md_escape(weak.question)} ({md_escape(report.topic_title(weak.topic))})"
            + (
                f"  \n   *An interviewer would ask:* {md_escape(weak.follow_up)}"
                if weak.follow_up
                else ""
            )
        )
    return [*lines, ""]


def _speech(report: ReportData) -> list[str]:
    speech = report.speech
    if speech is None:
        return []
    rows = [
        ["Spoken answers", f"{speech.spoken_answers} ({fmt_duration(speech.total_duration_s)})"],
        ["Pace", f"{speech.mean_wpm:.0f} words/min" if speech.mean_wpm is not None else "–"],
        [
            "Fillers",
            f"{speech.filler_count}"
            + (
                f" ({speech.fillers_per_minute:.1f}/min)"
                if speech.fillers_per_minute is not None
                else ""
            ),
        ],
        [
            "Long pauses (> 2 s)",
            str(speech.long_pauses)
            + (
                f" (longest {speech.longest_pause_s:.1f} s)"
                if speech.longest_pause_s is not None
                else ""
            ),
        ],
    ]
    if speech.top_fillers:
        rows.append(
            [
                "Most frequent fillers",
                ", ".join(f"{md_escape(w)} × {c}" for w, c in speech.top_fillers),
            ]
        )
    return ["## Speech", "", *_table(["", ""], rows, "ll"), ""]


def _answer_lines(answer: AnswerRecord, heading: str) -> list[str]:
    score = fmt_score(answer.score)
    verdict = answer.verdict or ("ungraded" if answer.score is None else "")
    if answer.skipped:
        return [f"{heading} — *skipped: no answer given*", ""]
    if answer.override_score is not None:
        verdict = f"set by you, graded {fmt_score(answer.graded_score)}"
    point = answer.focus_point
    if point is not None:
        # A follow-up judged on the point it asked about: covered or not, not a score.
        mark, word = POINT_WORDS[point_status(point)]
        lines = [f"{heading} — **{mark} {word}**", ""]
    else:
        lines = [f"{heading} — **{score}**" + (f" ({md_escape(verdict)})" if verdict else ""), ""]
    lines += [md_quote(answer.text), "", f"*{md_escape(' · '.join(answer_meta(answer)))}*", ""]
    for kp in answer.key_points:
        status = point_status(kp)
        quoted = kp.evidence and status in ("hit", "partial")
        evidence = f" — “{md_escape(kp.evidence)}”" if quoted else ""
        mark, word = POINT_WORDS[status]
        if status == "barely":
            word = "barely touched on"
        lines.append(f"- {mark} {word}: {md_escape(kp.text)}{evidence}")
    for m in answer.misconceptions:
        lines.append(
            f"- ⚠ misconception: {md_escape(m.evidence or m.text)}"
            + (f" — {md_escape(m.correction)}" if m.correction else "")
        )
    if answer.key_points or answer.misconceptions:
        lines.append("")
    return lines


def _session_lines(report: ReportData, session: SessionRecord) -> list[str]:
    bank = report.banks.get(session.bank_id or "", session.bank_id or "")
    details = [x for x in (session.mode, bank) if x]
    skips = sum(1 for a in session.answers if a.skipped)
    details.append(plural(len(session.answers) - skips, "answer"))
    if skips:
        details.append(f"{skips} skipped")
    details.append(fmt_duration(session.active_s))
    if session.mean_score is not None:
        details.append(f"mean {fmt_score(session.mean_score)}")
    lines = [
        f"### Session {session.id} · {md_escape(fmt_datetime(session.started_at))}",
        "",
        md_escape(" · ".join(details)),
        "",
    ]
    for main, follow_ups in group_asked(session):
        first = main or follow_ups[0]
        title = md_escape(main.asked if main else first.question)
        topic = md_escape(report.topic_title(first.topic))
        lines += [f"#### {title}", "", f"`{first.question_id}` · {topic}", ""]
        if main is not None:
            lines += _answer_lines(main, "Answer")
        for follow_up in follow_ups:
            lines += _answer_lines(follow_up, f"Follow-up: *{md_escape(follow_up.asked)}*")
        last = follow_ups[-1] if follow_ups else main
        if last is not None and last.follow_up:
            lines += [f"↳ Follow-up to prepare: *{md_escape(last.follow_up)}*", ""]
    return lines


def markdown_chunks(report: ReportData, sessions: Sessions) -> Iterator[str]:
    """The report as one Markdown document, in pieces (the sessions one at a time)."""
    lines = [f"# {TITLE}", ""]
    sub = subtitle(report)
    if sub:
        lines += [md_escape(sub), ""]
    filters = describe_filters(report.filters, report.banks)
    if filters:
        lines += [f"*Showing {md_escape(filters)}*", ""]
    if report.empty:
        heading, sentence = empty_message(report)
        lines += [f"## {md_escape(heading)}", "", md_escape(sentence, inline=False), ""]
        lines += [f"{n}. {what}: `{command}`" for n, (what, command) in enumerate(START_STEPS, 1)]
        lines.append("")
    else:
        lines += _summary(report) + _progress(report) + _mastery(report) + _focus(report)
        lines += _speech(report)
        lines += ["## Sessions", "", md_escape(SECTION_INTROS["sessions"]) + " Latest first.", ""]
        # Every piece ends with a line break, so the pieces join as the lines would.
        yield "\n".join(lines) + "\n"
        lines = []
        for session in sessions(True):
            yield "\n".join(_session_lines(report, session)) + "\n"
    lines += [
        "---",
        "",
        f"*Generated by {md_escape(report.generator)} on "
        f"{md_escape(fmt_datetime(report.generated_at))}, offline. "
        "Times are in local time.*",
        "",
    ]
    for line in provenance_lines(report):
        lines += [f"*{md_escape(line)}*", ""]
    yield "\n".join(lines)


def render_markdown(report: ReportData) -> str:
    """The whole report as one Markdown document."""
    return "".join(markdown_chunks(report, report.iter_sessions))
