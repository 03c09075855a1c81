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
from mockint.tui import render, words
from mockint.tui.prose import Prose
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
        self.localise_bindings(language)

    def compose(self) -> ComposeResult:
        yield StatusBar(self._say("feedback_place", question=self.question_id))
        with VerticalScroll(id="feedback-body", can_focus=True):
            yield Static(self._question_text(), id="fb-question")
            for index, record in enumerate(self.records):
                yield Static(self._heading(record), classes="fb-heading")
                yield HighlightedAnswer(id=f"fb-answer-{index}", classes="fb-answer")
                yield KeyPointTable(
                    id=f"fb-table-{index}", classes="fb-table", language=self.language
                )
                misconceptions = self._misconceptions(record)
                if misconceptions is not None:
                    yield Static(misconceptions, classes="fb-misconceptions")
            model_answer = self._model_answer()
            if model_answer:
                yield Static(
                    Prose.of(render.model_answer_turn(model_answer, self.language)),
                    id="fb-model-answer",
                )
        yield Footer()

    def on_mount(self) -> None:
        texts = self._key_point_texts()
        for index, record in enumerate(self.records):
            self.query_one(f"#fb-answer-{index}", HighlightedAnswer).show(record.text, record.grade)
            self.query_one(f"#fb-table-{index}", KeyPointTable).show(record.grade, texts)

    def _key_point_texts(self) -> dict[str, str]:
        """The key points in this screen's language (a grade holds them in the language of the
        interview, which a Chinese answer in an English session does not share)."""
        if self.question is None:
            return {}
        return {kp.id: kp.text.get(self.language) for kp in self.question.key_points}

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
        topic = q.topic
        if getattr(self.app, "has_library", False):
            topic = self.app.library.topic_title(q.topic, self.language)
        return Prose.of(
            Content.assemble(
                (q.prompt.get(self.language), "bold"),
                (f"\n{topic} · {self._say(q.difficulty)}", "$text-muted"),
            )
        )

    def _heading(self, record: AnswerRecord) -> Content:
        title = self._say("your_answer" if record.kind == "main" else "your_follow_up_answer")
        parts: list = [(title, "bold"), "  "]
        focus = render.focus_result(record.grade) if record.grade is not None else None
        if record.grade is None:
            parts.append((self._say("feedback_not_graded"), "$text-warning"))
        elif focus is not None:
            # Judged on the one point it asked about: covered or not, not a score.
            parts.append(render.point_status_text(focus, self.language))
        else:
            parts.append(render.score_text(record.grade.score, record.grade.verdict, self.language))
        if record.override is not None:
            parts.append((self._say("feedback_own_rating", score=record.override), "$text-accent"))
        if record.hints_used:
            hints = words.counted(self.language, "feedback_hints", record.hints_used)
            parts.append((hints, "$text-muted"))
        if record.source == "voice":
            parts.append((self._say("feedback_spoken"), "$text-muted"))
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
            point = mc.id.removeprefix("contradicts:") if mc.id.startswith("contradicts:") else None
            label = self._say(
                "feedback_not_right" if point is not None else "feedback_misconception"
            )
            parts += [
                (label, "bold $text-error"),
                (f"“{' '.join(mc.evidence.split())}”", "italic"),
                f"\n  {self._correction(mc.id, point, mc.correction)}",
                (f"  (−{mc.penalty:.0f})", "$text-muted"),
            ]
        return Prose.of(Content.assemble(*parts))

    def _correction(self, mistake_id: str, point: str | None, given: str) -> str:
        """What is true instead, in this screen's language when the rubric has it."""
        question = self.question
        if question is None:
            return given
        if point is not None:
            known = {kp.id: kp.text for kp in question.key_points}.get(point)
        else:
            known = {mc.id: mc.correction for mc in question.misconceptions}.get(mistake_id)
        return known.get(self.language) if known is not None else given

    def _model_answer(self) -> str:
        # The rubric's model answer in this screen's language; a grade's copy is in the
        # language of the interview it was given in.
        if self.question is not None:
            return self.question.model_answer.get(self.language)
        for record in self.records:
            if record.grade is not None and record.grade.model_answer:
                return record.grade.model_answer
        return ""
