"""History: past sessions, their answers, and any answer's full feedback."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Footer, Static
from textual.widgets.data_table import ColumnKey

from mockint.tui import render, words
from mockint.tui.records import AnswerRecord, record_from_row
from mockint.tui.screens.base import MockintScreen
from mockint.tui.widgets.status_bar import StatusBar
from mockint.tui.widgets.tables import add_columns

BANK_WIDTH = 16
"""Cells of the sessions' bank column: a bank's title that fits is shown, else its id."""


def _verdict(record: AnswerRecord, language: str) -> Text:
    if record.skipped:
        return Text(words.line(language, "history_skipped"))
    if record.grade is None:
        return Text(words.line(language, "history_ungraded"), style="dim")
    focus = render.focus_result(record.grade)
    if focus is not None:
        # A follow-up is judged on the point it asked about: say whether it was covered.
        status = render.point_status(focus)
        mark, _ = render.POINT_MARKS[status]
        return Text(f"{mark} {words.line(language, 'short_' + status)}")
    verdict = record.grade.verdict
    return Text(words.line_or(language, f"verdict_{verdict}", verdict))


def _mode(mode: str, language: str) -> str:
    """A session's mode as the home screen's recent sessions name it (``mock``, 模拟)."""
    return words.line_or(language, f"tag_{mode}", mode)


def _preview(record: AnswerRecord, width: int, language: str) -> Text:
    if record.skipped:
        return Text(words.line(language, "history_skipped_answer"), style="dim")
    text = " ".join(record.text.split()) or words.line(language, "history_no_answer")
    if len(text) > width:
        text = text[: width - 1] + "…"
    return Text(text, no_wrap=True, overflow="ellipsis")


def local_time(iso: str | None) -> str:
    """``2025-03-10T14:02:11+00:00`` (UTC) -> ``2025-03-10 15:02`` in the local time zone."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(str(iso).replace("Z", "+00:00"))
    except ValueError:
        return str(iso)[:16]
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


class HistoryScreen(MockintScreen):
    """Sessions (newest first); the answers of the highlighted one; enter opens feedback."""

    CSS_PATH = "history.tcss"
    AUTO_FOCUS = "#sessions"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("enter", "open_feedback", "Feedback", show=True),
        Binding("e", "app.export_report", "Export"),
    ]

    class SessionsLoaded(Message):
        def __init__(self, sessions: list[dict]) -> None:
            super().__init__()
            self.sessions = sessions

    class AnswersLoaded(Message):
        def __init__(self, session_id: int, records: list[AnswerRecord]) -> None:
            super().__init__()
            self.session_id = session_id
            self.records = records

    def __init__(self, language: str = "en") -> None:
        super().__init__()
        self.language = language
        """The language of this screen's words (the app's, ``--lang``)."""
        self.localise_bindings(language)
        self._records: list[AnswerRecord] = []
        self._sessions: dict[int, dict] = {}

    def compose(self) -> ComposeResult:
        yield StatusBar(self._say("history_place"))
        with Vertical(id="history-body"):
            sessions = DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
            sessions.border_title = self._say("history_sessions")
            yield sessions
            answers = DataTable(id="answers", cursor_type="row", zebra_stripes=True)
            answers.border_title = self._say("history_answers")
            yield answers
            yield Static(id="history-empty")
        yield Footer()

    def on_mount(self) -> None:
        say = self._say
        add_columns(
            self.query_one("#sessions", DataTable),
            [
                ("#", "id", 4),
                (say("col_started"), "started", 16),
                (say("col_mode"), "mode", 8),
                (say("col_bank"), "bank", BANK_WIDTH),
                (say("col_answers"), "n", 7),
                (say("col_mean"), "mean", 5),
            ],
        )
        add_columns(
            self.query_one("#answers", DataTable),
            [
                (say("col_question"), "question", 16),
                (say("col_kind"), "kind", 9),
                (say("col_score"), "score", 5),
                (say("col_verdict"), "verdict", 9),
            ],
        )
        self.load_sessions()

    @work(thread=True, exclusive=True, exit_on_error=False, group="db", name="sessions")
    def load_sessions(self) -> None:
        self.post_message(self.SessionsLoaded(self.app.store.sessions()))

    def on_history_screen_sessions_loaded(self, message: SessionsLoaded) -> None:
        table = self.query_one("#sessions", DataTable)
        table.clear()
        self._sessions = {int(s["id"]): s for s in message.sessions}
        variables = self.app.theme_variables
        for session in message.sessions:
            mean = session.get("mean_score")
            mean_text = Text(
                "—" if mean is None else f"{mean:.0f}",
                style=render.rich_style(variables, render.score_style(mean)),
            )
            mode = Text(_mode(str(session.get("mode") or ""), self.language))
            if not session.get("ended_at"):
                mode.append(" …", style="dim")
            table.add_row(
                Text(str(session["id"])),
                Text(local_time(session.get("started_at"))),
                mode,
                Text(
                    render.bank_label(
                        session.get("bank_id"),
                        self.language,
                        self.app.library if self.app.has_library else None,
                        width=BANK_WIDTH,
                    )
                ),
                Text(str(session.get("n_answers") or 0)),
                mean_text,
                key=str(session["id"]),
            )
        empty = self.query_one("#history-empty", Static)
        empty.display = not message.sessions
        empty.update(self._say("history_empty"))
        if message.sessions:
            table.move_cursor(row=0)
            self.load_answers(int(message.sessions[0]["id"]))

    @on(DataTable.RowHighlighted, "#sessions")
    def _session_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self.load_answers(int(event.row_key.value))

    @work(thread=True, exclusive=True, exit_on_error=False, group="db-answers", name="answers")
    def load_answers(self, session_id: int) -> None:
        store = self.app.store
        rows = store.session_answers(session_id)
        for row in rows:
            # The full grade keeps the key points' texts, which the feedback screen shows.
            if row.get("score") is not None:
                row["grade"] = store.grade(row["answer_id"])
        self.post_message(self.AnswersLoaded(session_id, [record_from_row(r) for r in rows]))

    def on_history_screen_answers_loaded(self, message: AnswersLoaded) -> None:
        self._records = message.records
        table = self.query_one("#answers", DataTable)
        table.clear()
        table.border_title = self._say("history_answers_of", id=message.session_id)
        if "answer" in table.columns:
            table.remove_column("answer")
        # Question ids as wide as they need (up to a limit); the answer preview takes the rest
        # of the width (no sideways scrolling).
        room = table.scrollable_content_region.width
        longest = max((len(r.question_id) for r in message.records), default=8)
        question_width = max(8, min(longest, 28, room // 4))
        table.columns[ColumnKey("question")].width = question_width
        width = max(10, room - question_width - 9 - 5 - 9 - 11)
        table.add_column(self._say("col_answer"), key="answer", width=width)
        variables = self.app.theme_variables
        for index, record in enumerate(message.records):
            score = record.score
            score_text = Text(
                "—"
                if score is None
                else f"{score:.0f}" + ("*" if record.override is not None else ""),
                style=render.rich_style(variables, render.score_style(score)),
            )
            if record.grade is not None and render.focus_result(record.grade) is not None:
                score_text = Text("")
            table.add_row(
                Text(record.question_id),
                Text(self._say("history_main" if record.kind == "main" else "history_follow_up")),
                score_text,
                _verdict(record, self.language),
                _preview(record, width, self.language),
                key=str(index),
            )

    @on(DataTable.RowSelected, "#answers")
    def _answer_selected(self) -> None:
        self.action_open_feedback()

    @on(DataTable.RowSelected, "#sessions")
    def _session_selected(self) -> None:
        self.query_one("#answers", DataTable).focus()

    def action_open_feedback(self) -> None:
        from mockint.tui.screens.feedback import FeedbackScreen

        table = self.query_one("#answers", DataTable)
        if self.focused is not table or not self._records:
            if self.focused is self.query_one("#sessions") and self._records:
                table.focus()
            return
        record = self._records[table.cursor_row]
        same_question = [r for r in self._records if r.question_id == record.question_id]
        try:
            _, question = self.app.library.find_question(record.question_id)
        except KeyError:
            question = None
        language = record.grade.language if record.grade else "en"
        self.app.push_screen(
            FeedbackScreen(
                question, same_question, language=language, question_id=record.question_id
            )
        )
