"""Feedback detail: each answer with the sentences that covered each key point highlighted, and a
table of key points (status, similarity, evidence)."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Static

from mockint.rubric import Question
from mockint.tui import render
from mockint.tui.records import AnswerRecord
from mockint.tui.screens.base import MockintScreen
from mockint.tui.widgets.grade_views import HighlightedAnswer, KeyPointTable
from mockint.tui.widgets.status_bar import StatusBar


class FeedbackScreen(MockintScreen):
    """The full assessment of one question's answers (the main answer and any follow-ups)."""

    CSS_PATH = "feedback.tcss"
    AUTO_FOCUS = "#feedback-body"
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back"),
        Binding("m", "toggle_model_answer", "Model answer"),
    ]

    def __init__(
        self,
        question: Question | None,
        records: Sequence[AnswerRecord],
        *,
        language: str = "en",
        question_id: str | None = None,
    ) -> None:
        super().__init__()
        self.question = question
        self.records = list(records)
        self.language = language
        self.question_id = question.id if question else (question_id or "?")

    def compose(self) -> ComposeResult:
        yield StatusBar(f"Feedback · {self.question_id}")
        with VerticalScroll(id="feedback-body", can_focus=True):
            yield Static(self._question_text(), id="fb-question")
            for index, record in enumerate(self.records):
                yield Static(self._heading(record), classes="fb-heading")
                yield HighlightedAnswer(id=f"fb-answer-{index}", classes="fb-answer")
                yield KeyPointTable(id=f"fb-table-{index}", classes="fb-table")
                misconceptions = self._misconceptions(record)
                if misconceptions is not None:
                    yield Static(misconceptions, classes="fb-misconceptions")
            model_answer = self._model_answer()
            if model_answer:
                yield Static(
                    render.model_answer_turn(model_answer, self.language), id="fb-model-answer"
                )
        yield Footer()

    def on_mount(self) -> None:
        for index, record in enumerate(self.records):
            self.query_one(f"#fb-answer-{index}", HighlightedAnswer).show(record.text, record.grade)
            self.query_one(f"#fb-table-{index}", KeyPointTable).show(record.grade)

    def action_toggle_model_answer(self) -> None:
        for widget in self.query("#fb-model-answer"):
            widget.display = not widget.display
            if widget.display:
                self.query_one("#feedback-body").scroll_to_widget(widget)

    def _question_text(self) -> Content:
        if self.question is None:
            return Content.styled(
                f"Question {self.question_id} is no longer in your question banks.",
                "$text-muted",
            )
        q = self.question
        return Content.assemble(
            (q.prompt.get(self.language), "bold"),
            (f"\n{q.topic} · {q.difficulty}", "$text-muted"),
        )

    def _heading(self, record: AnswerRecord) -> Content:
        title = "Your answer" if record.kind == "main" else "Your answer to the follow-up"
        parts: list = [(title, "bold"), "  "]
        if record.grade is None:
            parts.append(("not graded yet", "$text-warning"))
        else:
            parts.append(render.score_text(record.grade.score, record.grade.verdict))
        if record.override is not None:
            parts.append((f"  · your own rating {record.override:.0f}", "$text-accent"))
        if record.hints_used:
            parts.append((f"  · {record.hints_used} hint(s)", "$text-muted"))
        if record.source == "voice":
            parts.append(("  · spoken", "$text-muted"))
        if record.duration_s:
            parts.append((f"  · {record.duration_s:.0f}s", "$text-muted"))
        return Content.assemble(*parts)

    def _misconceptions(self, record: AnswerRecord) -> Content | None:
        if record.grade is None or not record.grade.misconceptions:
            return None
        parts: list = []
        for mc in record.grade.misconceptions:
            if parts:
                parts.append("\n")
            parts += [
                ("✘ Misconception: ", "bold $text-error"),
                (f"“{mc.evidence}”", "italic"),
                f"\n  {mc.correction}",
                (f"  (−{mc.penalty:.0f})", "$text-muted"),
            ]
        return Content.assemble(*parts)

    def _model_answer(self) -> str:
        for record in self.records:
            if record.grade is not None and record.grade.model_answer:
                return record.grade.model_answer
        if self.question is not None:
            return self.question.model_answer.get(self.language)
        return ""
