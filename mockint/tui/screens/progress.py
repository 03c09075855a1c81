"""Progress: per question and per topic last/best score and trend, the weakest key points,
sessions and practice streak (figures from :mod:`mockint.progress`, as the reports have them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Footer, Label, Static

from mockint.export.text import fmt_duration, plural
from mockint.tui import render
from mockint.tui.screens.base import MockintScreen
from mockint.tui.widgets.status_bar import StatusBar
from mockint.tui.widgets.tables import add_columns

TREND_ARROWS = {
    "up": ("↗", "$text-success"),
    "down": ("↘", "$text-error"),
    "flat": ("→", "$text-muted"),
    "new": ("·", "$text-muted"),
}
SPARK_POINTS = 12

if TYPE_CHECKING:
    from mockint.progress import ScoreStats


class ProgressScreen(MockintScreen):
    """How the candidate is doing; everything is computed in a worker from the history."""

    CSS_PATH = "progress.tcss"
    AUTO_FOCUS = "#progress-body"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("e", "app.export_report", "Export"),
        Binding("r", "reload", "Refresh"),
    ]

    class Loaded(Message):
        def __init__(self, progress) -> None:
            super().__init__()
            self.progress = progress

    def compose(self) -> ComposeResult:
        yield StatusBar("Progress")
        with VerticalScroll(id="progress-body", can_focus=True):
            yield Static(Content.styled("Adding up your history…", "$text-muted"), id="totals")
            yield Static(id="daily")
            yield Label("By question", classes="section")
            yield DataTable(
                id="by-question", cursor_type="row", zebra_stripes=True, show_cursor=False
            )
            yield Label("By topic", classes="section")
            yield DataTable(id="by-topic", cursor_type="row", zebra_stripes=True, show_cursor=False)
            yield Label("Weakest key points", classes="section")
            yield DataTable(id="weakest", cursor_type="row", zebra_stripes=True, show_cursor=False)
        yield Footer()

    def on_mount(self) -> None:
        add_columns(
            self.query_one("#by-question", DataTable),
            [("question", "q", 22), ("topic", "topic", 14), *_score_columns("last")],
        )
        add_columns(
            self.query_one("#by-topic", DataTable),
            [("topic", "topic", 22), ("questions", "qs", 9), *_score_columns("mean")],
        )
        add_columns(
            self.query_one("#weakest", DataTable),
            [("covered", "rate", 7), ("answers", "n", 7), ("question", "q", 16)],
        )
        self.action_reload()

    def action_reload(self) -> None:
        self.load_progress()

    @work(thread=True, exclusive=True, exit_on_error=False, group="db", name="progress")
    def load_progress(self) -> None:
        from mockint.progress import progress

        today = self.app.today() if self.app.today is not None else None
        result = progress(
            self.app.store,
            self.app.library,
            today=today,
            language=getattr(self.app, "language", "en"),
        )
        self.post_message(self.Loaded(result))

    def on_progress_screen_loaded(self, message: Loaded) -> None:
        report = message.progress
        variables = self.app.theme_variables
        totals, streak = report.totals, report.streak
        if not totals.answers:
            self.query_one("#totals", Static).update(
                Content.assemble(
                    ("No graded answers yet.", "bold"),
                    "\nStart an interview from the home screen; your scores, trends and the key "
                    "points you miss will show up here.",
                )
            )
        else:
            streak_text = f"{streak.current}-day streak" + (
                "" if streak.practised_today else " (practise today to keep it)"
            )
            self.query_one("#totals", Static).update(
                Content.assemble(
                    (plural(totals.answers_given, "answer"), "bold"),
                    " in ",
                    (plural(totals.sessions, "session"), "bold"),
                    " · mean ",
                    render.score_text(totals.mean_score),
                    f" · {plural(totals.questions, 'question')} · "
                    f"{fmt_duration(totals.practice_seconds)} practised",
                    "\n",
                    (streak_text, "bold $text-accent" if streak.current else "$text-muted"),
                    (
                        f" · longest {streak.longest} · "
                        f"{plural(streak.practice_days, 'practice day')}",
                        "$text-muted",
                    ),
                )
            )
        self.query_one("#daily", Static).update(_daily_line(report.daily))

        questions = self.query_one("#by-question", DataTable)
        questions.clear()
        for q in report.questions:
            questions.add_row(
                Text(q.question_id),
                Text(q.topic, style="dim"),
                *_score_cells(variables, q, q.last_score),
                key=q.question_id,
            )
        topics = self.query_one("#by-topic", DataTable)
        topics.clear()
        for t in report.topics:
            topics.add_row(
                Text(t.topic),
                Text(str(t.questions)),
                *_score_cells(variables, t, t.mean_score),
                key=t.topic,
            )
        weak = self.query_one("#weakest", DataTable)
        weak.clear()
        if "kp" in weak.columns:
            weak.remove_column("kp")
        # The key point column takes the rest of the width; long points wrap.
        body_width = self.query_one("#progress-body").size.width
        weak.add_column("key point", key="kp", width=max(20, body_width - 46))
        for point in report.weakest:
            weak.add_row(
                Text(
                    f"{point.rate:.0%}",
                    style=render.rich_style(variables, render.score_style(point.rate * 100)),
                ),
                Text(str(point.attempts)),
                Text(point.question_id, style="dim"),
                Text(point.text),
                key=f"{point.question_id}/{point.key_point_id}",
                height=None,
            )
        for table in (questions, topics, weak):
            table.display = table.row_count > 0
        for label in self.query(".section"):
            label.display = bool(totals.answers)


def _daily_line(days) -> Content:
    """The last 30 practice days' mean scores as one line of bars, scaled 0-100."""
    days = [d for d in days if d.mean_score is not None][-30:]
    if not days:
        return Content("")
    bars = render.sparkline([d.mean_score for d in days])
    span = (
        days[0].day.isoformat()
        if len(days) == 1
        else (f"{days[0].day.isoformat()} → {days[-1].day.isoformat()}")
    )
    return Content.assemble(
        ("Daily mean ", "bold $text-primary"),
        (bars, "$text-accent"),
        (f"  {span} · last day {days[-1].mean_score:.0f}", "$text-muted"),
    )


def _score_columns(first: str) -> list[tuple[str, str, int]]:
    """The columns of a row of :func:`_score_cells`; ``first`` names its first score."""
    return [
        ("n", "n", 3),
        (first, first, 4),
        ("best", "best", 4),
        ("trend", "trend", SPARK_POINTS + 2),
    ]


def _score_cells(variables: dict[str, str], stats: ScoreStats, first: float | None) -> list[Text]:
    """Attempts, ``first`` (the last or the mean score), best score and trend of a question or
    a topic."""
    return [
        Text(str(stats.attempts)),
        _score(variables, first),
        _score(variables, stats.best_score),
        _trend(variables, stats.scores, stats.trend_label),
    ]


def _score(variables: dict[str, str], score: float | None) -> Text:
    if score is None:
        return Text("—", style="dim")
    return Text(f"{score:.0f}", style=render.rich_style(variables, render.score_style(score)))


def _trend(variables: dict[str, str], scores: list[float], label: str) -> Text:
    arrow, style = TREND_ARROWS.get(label, ("", ""))
    text = Text(
        render.sparkline(scores[-SPARK_POINTS:]),
        style=render.rich_style(variables, "$text-primary"),
    )
    text.append(f" {arrow}", style=render.rich_style(variables, style))
    return text
