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

from mockint.tui import render, words
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

    def __init__(self, language: str = "en") -> None:
        super().__init__()
        self.language = language
        """The language of this screen's words (the app's, ``--lang``)."""
        self.localise_bindings(language)

    class Loaded(Message):
        def __init__(self, progress) -> None:
            super().__init__()
            self.progress = progress

    def compose(self) -> ComposeResult:
        say = self._say
        yield StatusBar(say("progress_place"))
        with VerticalScroll(id="progress-body", can_focus=True):
            yield Static(Content.styled(say("progress_loading"), "$text-muted"), id="totals")
            yield Static(id="daily")
            yield Label(say("progress_by_question"), classes="section")
            yield DataTable(
                id="by-question", cursor_type="row", zebra_stripes=True, show_cursor=False
            )
            yield Label(say("progress_by_topic"), classes="section")
            yield DataTable(id="by-topic", cursor_type="row", zebra_stripes=True, show_cursor=False)
            yield Label(say("progress_weakest"), classes="section")
            yield DataTable(id="weakest", cursor_type="row", zebra_stripes=True, show_cursor=False)
        yield Footer()

    def on_mount(self) -> None:
        say = self._say
        add_columns(
            self.query_one("#by-question", DataTable),
            [
                (say("col_question"), "q", 22),
                (say("col_topic"), "topic", 14),
                *_score_columns(self.language, "last"),
            ],
        )
        add_columns(
            self.query_one("#by-topic", DataTable),
            [
                (say("col_topic"), "topic", 22),
                (say("col_questions"), "qs", 9),
                *_score_columns(self.language, "mean"),
            ],
        )
        add_columns(
            self.query_one("#weakest", DataTable),
            [
                (say("col_covered"), "rate", 7),
                (say("col_answers"), "n", 7),
            ],
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
        language, say = self.language, self._say
        if not totals.answers:
            self.query_one("#totals", Static).update(
                Content.assemble((say("progress_empty"), "bold"), "\n", say("progress_empty_help"))
            )
        else:
            streak_text = say("progress_streak", n=streak.current) + (
                "" if streak.practised_today else say("progress_keep_streak")
            )
            longest = say(
                "progress_longest",
                n=streak.longest,
                days=words.counted(language, "count_practice_days", streak.practice_days),
            )
            self.query_one("#totals", Static).update(
                Content.assemble(
                    render.fill(
                        language,
                        "progress_totals",
                        answers=(
                            words.counted(language, "count_answers", totals.answers_given),
                            "bold",
                        ),
                        sessions=(
                            words.counted(language, "home_sessions", totals.sessions),
                            "bold",
                        ),
                        mean=render.score_text(totals.mean_score),
                        questions=words.counted(language, "count_questions", totals.questions),
                        time=render.duration(totals.practice_seconds, language),
                    ),
                    "\n",
                    (streak_text, "bold $text-accent" if streak.current else "$text-muted"),
                    (longest, "$text-muted"),
                )
            )
        self.query_one("#daily", Static).update(_daily_line(report.daily, language))

        questions = self.query_one("#by-question", DataTable)
        questions.clear()
        for q in report.questions:
            questions.add_row(
                Text(q.question_id),
                Text(q.topic_title, style="dim"),
                *_score_cells(variables, q, q.last_score),
                key=q.question_id,
            )
        topics = self.query_one("#by-topic", DataTable)
        topics.clear()
        for t in report.topics:
            topics.add_row(
                Text(t.title),
                Text(str(t.questions)),
                *_score_cells(variables, t, t.mean_score),
                key=t.topic,
            )
        weak = self.query_one("#weakest", DataTable)
        weak.clear()
        for key in ("q", "kp"):
            if key in weak.columns:
                weak.remove_column(key)
        # The key point column takes the rest of the width; long points wrap. A wide screen
        # has room for a whole question id (activation-functions was cut into two lines).
        body_width = self.query_one("#progress-body").size.width
        question_width = 22 if body_width >= 100 else 16
        weak.add_column(self._say("col_question"), key="q", width=question_width)
        weak.add_column(
            self._say("col_key_point"), key="kp", width=max(20, body_width - 30 - question_width)
        )
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


def _daily_line(days, language: str) -> Content:
    """The last 30 practice days' mean scores as one line of bars, scaled 0-100."""
    days = [d for d in days if d.mean_score is not None][-30:]
    if not days:
        return Content("")
    bars = render.sparkline([d.mean_score for d in days])
    first, last = days[0].day, days[-1].day
    span = render.day_text(first, language)
    if len(days) > 1:
        span += " → " + render.day_text(last, language, after=first)
    return Content.assemble(
        (words.line(language, "progress_daily"), "bold $text-primary"),
        (bars, "$text-accent"),
        (
            words.line(language, "progress_daily_span", span=span, score=days[-1].mean_score),
            "$text-muted",
        ),
    )


def _score_columns(language: str, first: str) -> list[tuple[str, str, int]]:
    """The columns of a row of :func:`_score_cells`; ``first`` (``last`` or ``mean``) names
    its first score."""
    return [
        (words.line(language, "col_attempts"), "n", 3),
        (words.line(language, "col_" + first), first, 4),
        (words.line(language, "col_best"), "best", 4),
        (words.line(language, "col_trend"), "trend", SPARK_POINTS + 2),
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
