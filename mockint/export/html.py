"""The HTML report: one self-contained page to open offline, print to PDF, or send to a mentor.

Inline CSS and inline SVG only: no script, no font or image from the network. A Content
Security Policy forbids scripts and remote loads as a second line of defence; the first is that
every piece of user text (answers, rubric texts, bank titles) goes through :func:`html.escape`.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from html import escape
from pathlib import Path

from mockint.export import charts
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
    trend_class,
)

OPEN_SESSIONS = 5
"""Sessions shown unfolded, latest first; older ones are folded (``<details>``) to keep a long
history browsable."""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

# Topic charts cycle through these so neighbouring topics are told apart at a glance.
TOPIC_COLORS = ["#4f46e5", "#0e9384", "#c2410c", "#7c3aed", "#0369a1", "#be185d", "#4d7c0f"]

# Kept in its own file to be read and edited as CSS; inlined into each report.
CSS = Path(__file__).with_name("report.css").read_text(encoding="utf-8")


@lru_cache(maxsize=16384)
def _escape(text: str) -> str:
    return escape(text, quote=True)


def _e(text: object) -> str:
    """``text`` escaped for HTML text and attributes (cached: rubric texts repeat a lot)."""
    return _escape(text if isinstance(text, str) else str(text))


def _stat(label: str, value: str, sub: str = "", corner: str = "", aside: str = "") -> str:
    """A headline figure card: ``corner`` sits right of the label, ``aside`` right of the value."""
    return (
        f'<div class="stat"><div class="row"><div class="label">{_e(label)}</div>{corner}</div>'
        f'<div class="row"><div class="value">{value}</div>{aside}</div>'
        f'<div class="sub">{sub}</div></div>'
    )


def _summary(report: ReportData) -> str:
    s = report.summary
    trend = (
        f'<span class="chip {trend_class(s.trend)}" title="mean of the last {s.trend_window} '
        f'answers minus the first {s.trend_window}">{_e(fmt_trend(s.trend))}</span>'
        if s.trend is not None
        else ""
    )
    mean = f"{fmt_score(s.mean_score)}<small> /100</small>" if s.mean_score is not None else "–"
    trend_note = (
        f"last {s.trend_window} vs first {s.trend_window} answers"
        if s.trend is not None
        else "trend after six graded answers"
    )
    spoken = f" · {s.spoken_answers} spoken" if s.spoken_answers else ""
    spoken += f" · {s.skipped} skipped" if s.skipped else ""
    return (
        '<div class="stats">'
        + _stat(
            "Sessions",
            f"{s.sessions:,}",
            _e(f"on {plural(s.practice_days, 'day')} · longest streak {s.longest_streak}"),
        )
        + _stat("Answers", f"{s.answers:,}", _e(plural(s.questions, "question")) + _e(spoken))
        + _stat(
            "Time practised",
            _e(fmt_duration(s.time_practised_s)),
            _e(f"over {plural(s.sessions, 'session')}"),
        )
        + _stat(
            "Mean score",
            mean,
            _e(trend_note),
            corner=trend,
            aside=charts.sparkline(s.recent_scores, width=96, height=30),
        )
        + "</div>"
    )


def _progress(report: ReportData) -> str:
    topics = []
    for index, topic in enumerate(report.topics):
        color = TOPIC_COLORS[index % len(TOPIC_COLORS)]
        trend = (
            f' <span class="chip {trend_class(topic.trend)}">{_e(fmt_trend(topic.trend))}</span>'
            if topic.trend is not None
            else ""
        )
        topics.append(
            '<div class="card topic"><header>'
            f"<h4>{_e(report.topic_title(topic.topic))}</h4>"
            f'<div class="figures"><b>{fmt_score(topic.mean_score)}</b> mean · '
            f"{_e(plural(topic.answers, 'answer'))}{trend}</div></header>"
            + charts.score_chart(
                topic.points,
                uid=f"topic{index}",
                width=460,
                height=150,
                color=color,
                compact=True,
                label=f"Score over time: {report.topic_title(topic.topic)}",
            )
            + "</div>"
        )
    by_topic = (
        f'<h3>By topic</h3><div class="topics">{"".join(topics)}</div>' if len(topics) > 1 else ""
    )
    return (
        # Not "major": in print it shares the first page with the summary, a cover page.
        '<section id="progress"><h2>Score over time</h2>'
        f'<p class="intro">{_e(progress_intro(report))}</p>'
        '<div class="card">'
        + charts.score_chart(report.overall, uid="overall", label="Score over time, all topics")
        + "</div>"
        + by_topic
        + "</section>"
    )


def _mastery(report: ReportData) -> str:
    if not report.mastery:
        return ""
    return (
        '<section id="mastery" class="major"><h2>Mastery of key points</h2>'
        f'<p class="intro">{_e(SECTION_INTROS["mastery"])}</p>'
        f'<div class="card">{charts.mastery_grid(report.mastery, report.topic_title)}</div>'
        "</section>"
    )


def _focus(report: ReportData) -> str:
    if not report.weakest:
        return ""
    items = []
    for weak in report.weakest:
        pct = weak.rate * 100
        items.append(
            '<li class="card weak">'
            f'<div class="ring"><div class="pct" style="color:{charts.score_color(pct, 38)}">'
            f"{_e(fmt_percent(weak.rate))}</div>"
            '<div class="of">covered in the last '
            + ("answer" if weak.attempts == 1 else _e(plural(weak.attempts, "answer")))
            + "</div>"
            f'<div class="bar"><span style="width:{max(pct, 3):.0f}%;'
            f'background:{charts.score_color(pct)}"></span></div></div>'
            f'<div><p class="where"><b>{_e(weak.question)}</b> · '
            f"{_e(report.topic_title(weak.topic))}</p>"
            f'<p class="say">{_e(weak.text)}</p>'
            + (
                f'<p class="ask">An interviewer would ask: {_e(weak.follow_up)}</p>'
                if weak.follow_up
                else ""
            )
            + "</div></li>"
        )
    return (
        '<section id="focus" class="major"><h2>Focus next: the weakest key points</h2>'
        f'<p class="intro">{_e(SECTION_INTROS["focus"])}</p>'
        f'<ol class="focus">{"".join(items)}</ol></section>'
    )


def _speech(report: ReportData) -> str:
    speech = report.speech
    if speech is None:
        return ""
    wpm = f"{speech.mean_wpm:.0f}" if speech.mean_wpm is not None else "–"
    fpm = f"{speech.fillers_per_minute:.1f}" if speech.fillers_per_minute is not None else "–"
    longest = (
        f"longest {speech.longest_pause_s:.1f} s" if speech.longest_pause_s is not None else ""
    )
    fillers = "".join(
        f'<span class="chip">{_e(word)} × {count}</span>' for word, count in speech.top_fillers
    )
    return (
        '<section id="speech" class="major"><h2>Speech</h2>'
        f'<p class="intro">{_e(SECTION_INTROS["speech"])}</p>'
        '<div class="speech-stats">'
        + _stat(
            "Spoken answers",
            f"{speech.spoken_answers:,}",
            _e(fmt_duration(speech.total_duration_s)) + " of speech",
        )
        + _stat("Pace", f"{wpm}<small> wpm</small>", "130–160 words a minute is easy to follow")
        + _stat("Fillers", f"{fpm}<small> /min</small>", _e(plural(speech.filler_count, "filler")))
        + _stat("Long pauses", str(speech.long_pauses), _e(longest or "over 2 s"))
        + "</div>"
        + (f'<div class="fillers">Most frequent fillers: {fillers}</div>' if fillers else "")
        + "</section>"
    )


def _badge(answer: AnswerRecord) -> str:
    if answer.score is None:
        word = "skipped" if answer.skipped else "ungraded"
        return f'<div class="badge none"><b>–</b><span>{word}</span></div>'
    point = answer.focus_point
    if point is not None:
        # A follow-up judged on the point it asked about: covered or not, not a score.
        status = point_status(point)
        mark, word = POINT_WORDS[status]
        colour = charts.score_color({"hit": 100, "partial": 60}.get(status, 0), 40)
        return (
            f'<div class="badge" style="background:{colour}"><b>{mark}</b><span>{word}</span></div>'
        )
    verdict = "override" if answer.override_score is not None else (answer.verdict or "")
    return (
        f'<div class="badge" style="background:{charts.score_color(answer.score, 40)}">'
        f"<b>{fmt_score(answer.score)}</b><span>{_e(verdict)}</span></div>"
    )


def _answer_meta(answer: AnswerRecord) -> str:
    # One escape for the whole line (NUL cannot be in any item): 10,000 answers, 50,000 items.
    spans = "<span>" + _e("\0".join(answer_meta(answer))).replace("\0", "</span><span>") + "</span>"
    if answer.override_score is not None:
        spans += (
            f'<span class="override">score set to {fmt_score(answer.override_score)} by you '
            f"(graded {fmt_score(answer.graded_score)})</span>"
        )
    return f'<div class="meta">{spans}</div>'


def _key_points(answer: AnswerRecord) -> str:
    if not answer.key_points:
        return ""
    items = []
    for kp in answer.key_points:
        # kp texts and evidence are always str: the cached escape directly, in the hottest loop.
        if kp.barely:
            items.append(
                f'<li class="barely"><span>{_escape(kp.text)}'
                ' <span class="ev">(barely touched on)</span></span></li>'
            )
            continue
        evidence = (
            f' <span class="ev">— “{_escape(kp.evidence)}”</span>'
            if kp.evidence and kp.status != "miss"
            else ""
        )
        items.append(f'<li class="{kp.status}"><span>{_escape(kp.text)}{evidence}</span></li>')
    return f'<ul class="kps">{"".join(items)}</ul>'


def _misconceptions(answer: AnswerRecord) -> str:
    return "".join(
        '<div class="misconception"><b>Misconception:</b> '
        + (f"“{_e(m.evidence)}” — " if m.evidence else _e(m.text) + " — ")
        + (_e(m.correction) if m.correction else _e(m.text))
        + "</div>"
        for m in answer.misconceptions
    )


def _answer_body(answer: AnswerRecord) -> str:
    if answer.skipped:
        return '<p class="skipped">Skipped: no answer given.</p>' + _answer_meta(answer)
    return (
        f'<blockquote class="text">{_e(answer.text)}</blockquote>'
        + _answer_meta(answer)
        + _key_points(answer)
        + _misconceptions(answer)
    )


def _answer(main: AnswerRecord | None, follow_ups: list[AnswerRecord], report: ReportData) -> str:
    first = main or follow_ups[0]
    parts = [
        '<article class="answer"><div class="head"><div>'
        f'<div class="qmeta"><code>{_e(first.question_id)}</code> · '
        f"{_e(report.topic_title(first.topic) if first.topic else first.bank_id)}</div>"
        f"<h4>{_e(main.asked if main else first.question)}</h4></div>"
        + (_badge(main) if main else "")
        + "</div>"
    ]
    if main is not None:
        parts.append(_answer_body(main))
    for follow_up in follow_ups:
        parts.append(
            '<div class="followup"><div class="head"><div>'
            '<div class="qmeta">Follow-up</div>'
            f"<h4>{_e(follow_up.asked)}</h4></div>{_badge(follow_up)}</div>"
            + _answer_body(follow_up)
            + "</div>"
        )
    last = follow_ups[-1] if follow_ups else main
    # The follow-up the grader chose after the last answer, when it was not answered here.
    if last is not None and last.follow_up:
        parts.append(
            '<div class="fu">Follow-up to prepare: '
            f'<span class="ask">{_e(last.follow_up)}</span></div>'
        )
    parts.append("</article>")
    return "".join(parts)


def group_asked(session: SessionRecord) -> list[tuple[AnswerRecord | None, list[AnswerRecord]]]:
    """The session's answers as (main answer, its follow-up answers), in order asked."""
    groups: dict[int, tuple[list[AnswerRecord], list[AnswerRecord]]] = {}
    for answer in session.answers:
        mains, follow_ups = groups.setdefault(answer.asked_id, ([], []))
        (mains if answer.kind == "main" else follow_ups).append(answer)
    result = []
    for mains, follow_ups in groups.values():
        # A re-answered question keeps every attempt; the follow-ups go with the last one.
        for main in mains[:-1]:
            result.append((main, []))
        result.append((mains[-1] if mains else None, follow_ups))
    return result


def _session_card(report: ReportData, session: SessionRecord, index: int) -> str:
    """One session's card; the first :data:`OPEN_SESSIONS` (``index`` from the newest) open."""
    mode = f"{session.mode} · " if session.mode else ""
    skips = sum(1 for a in session.answers if a.skipped)
    counts = plural(len(session.answers) - skips, "answer") + (
        f" · {skips} skipped" if skips else ""
    )
    bank = report.banks.get(session.bank_id or "", session.bank_id or "")
    mean = (
        f'<div class="badge" style="background:{charts.score_color(session.mean_score, 40)}">'
        f"<b>{fmt_score(session.mean_score)}</b><span>mean</span></div>"
        if session.mean_score is not None
        else ""
    )
    # Every session is in the page; older ones start folded (a click opens them, no script).
    is_open = " open" if index < OPEN_SESSIONS else ""
    return (
        f'<details class="card session"{is_open}><summary><div>'
        f"<h3>Session {session.id} · {_e(fmt_datetime(session.started_at))}</h3>"
        f'<div class="when">{_e(mode)}{_e(bank + " · " if bank else "")}'
        f"{_e(counts)} · {_e(fmt_duration(session.active_s))}"
        f"</div></div>{mean}</summary>"
        + "".join(_answer(main, follow_ups, report) for main, follow_ups in group_asked(session))
        + "</details>"
    )


def _sessions(report: ReportData, sessions: Sessions) -> Iterator[str]:
    """The sessions section, newest first, a card at a time."""
    folded = (
        f" The latest {OPEN_SESSIONS} are open; click an older one to open it."
        if report.summary.sessions > OPEN_SESSIONS
        else ""
    )
    yield (
        '<section id="sessions" class="major"><h2>Sessions</h2>'
        f'<p class="intro">{_e(SECTION_INTROS["sessions"])} Latest first.{folded}</p>'
    )
    for index, session in enumerate(sessions(True)):
        yield _session_card(report, session, index)
    yield "</section>"


def _empty(report: ReportData) -> str:
    heading, sentence = empty_message(report)
    steps = "".join(
        f'<li><span class="n">{n}</span><span><span class="what">{_e(what)}</span>'
        f"<code>{_e(command)}</code></span></li>"
        for n, (what, command) in enumerate(START_STEPS, start=1)
    )
    return (
        f'<section class="card empty"><h2>{_e(heading)}</h2><p>{_e(sentence)}</p>'
        f'<ol class="steps">{steps}</ol></section>'
    )


def html_chunks(report: ReportData, sessions: Sessions) -> Iterator[str]:
    """The report as one HTML document, in pieces (the sessions a card at a time)."""
    filters = describe_filters(report.filters, report.banks)
    title = TITLE + (f" · {subtitle(report)}" if not report.empty else "")
    yield (
        "<!DOCTYPE html>\n"
        f'<html lang="{_e(report.language)}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="{_e(report.generator)}">'
        f'<title>{_e(title)}</title><style>{CSS}</style></head><body><main class="page">'
        f'<header class="hero{" alone" if report.empty else ""}">'
        '<div class="eyebrow">mockint · mock interview coach</div>'
        f"<h1>{_e(TITLE)}</h1>"
        f'<p class="range">{_e(subtitle(report) or "Your practice, graded offline")}</p>'
        + (f'<p class="filters">Showing {_e(filters)}</p>' if filters else "")
        + "</header>"
    )
    if report.empty:
        yield _empty(report)
    else:
        yield (
            _summary(report)
            + _progress(report)
            + _mastery(report)
            + _focus(report)
            + _speech(report)
        )
        yield from _sessions(report, sessions)
    provenance = "".join(f"<br>{_e(line)}" for line in provenance_lines(report))
    yield (
        f'<footer class="colophon">Generated by {_e(report.generator)} on '
        f"{_e(fmt_datetime(report.generated_at))}, entirely offline. Scores are 0–100: "
        "the weighted share of each question's key points covered, minus misconceptions."
        f"{provenance}</footer>"
        "</main></body></html>\n"
    )


def render_html(report: ReportData) -> str:
    """The whole report as one HTML document."""
    return "".join(html_chunks(report, report.iter_sessions))
