"""The first screen: pick a question bank and a way to practise, then start.

It appears at once: nothing here waits for the grading model, and the history it shows (due
counts, unfinished sessions) arrives from a worker when the store is open.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Footer, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from mockint.tui import words
from mockint.tui.plan import InterviewPlan, Mode, StartRequest
from mockint.tui.screens.base import MockintScreen
from mockint.tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from mockint.rubric import Bank, Library

# Each mode's name and help are the ``mode_<mode>`` and ``mode_<mode>_help`` lines of words.
MODES: list[Mode] = ["mock", "practice", "due", "weak", "new", "resume"]
COUNTS = [1, 3, 5, 8, 10, 12]
TIME_LIMITS: list[int | None] = [None, 60, 120, 180, 300, 600]
LANGUAGE_NAMES = {"en": "English", "zh": "中文"}
# The prompt of the target and session choices when they have no option (keys of words).
CHOICE_PROMPTS = {"target": "home_choose_target", "session": "home_no_session"}


@dataclass
class HomeData:
    """What the home screen shows from the history (loaded in a worker)."""

    unfinished: list[dict]
    due: int | None = None
    new: int | None = None
    weak: int | None = None
    sessions: int = 0
    recent: list[dict] = field(default_factory=list)
    """The latest sessions, newest first."""


class HomeScreen(MockintScreen):
    """Choose bank, mode and options; start or resume an interview."""

    # home.tcss is in the app's CSS_PATH: this is the app's default screen.
    AUTO_FOCUS = "#modes"
    BINDINGS = [
        Binding("s", "start", "Start"),
        Binding("p", "app.open_progress", "Progress"),
        Binding("h", "app.open_history", "History"),
        Binding("e", "app.export_report", "Export"),
        Binding("f2", "app.toggle_dark", "Theme"),
        Binding("ctrl+q", "app.quit", "Quit"),
    ]

    class DataLoaded(Message):
        """History figures for the home screen are ready."""

        def __init__(self, data: HomeData) -> None:
            super().__init__()
            self.data = data

    class PlanReady(Message):
        """The questions for a new interview have been chosen."""

        def __init__(self, plan: InterviewPlan) -> None:
            super().__init__()
            self.plan = plan

    def __init__(self, language: str = "en", start: StartRequest | None = None) -> None:
        super().__init__()
        self._data: HomeData | None = None
        self.language = language
        """The language of this screen's words (the app's, ``--lang``)."""
        self.localise_bindings(language)
        self._choices: dict[str, list[tuple[str, object]]] = {"target": [], "session": []}
        self._start_when_open = start is not None
        """Start was pressed while the banks or the history were still loading: start once
        both are there."""
        self._request = start
        """The interview the command line asked for: what that start starts, once."""
        self._options_shown = False
        """The option choices are mounted (right after the first frame)."""

    def compose(self) -> ComposeResult:
        say = self._say
        yield StatusBar(say("home_place"))
        with Horizontal(id="choices"):
            # Filled when the banks are read (right after this screen first shows).
            banks = OptionList(id="banks")
            banks.border_title = say("home_banks")
            yield banks
            modes = OptionList(
                *[Option(say(f"mode_{mode}"), id=mode) for mode in MODES], id="modes"
            )
            modes.border_title = say("home_modes")
            yield modes
        with Vertical(id="options") as options:
            options.border_title = say("home_options")
            # Its choices are mounted right after the first frame (see _show_options).
            yield Horizontal(classes="row", id="main-options")
            # Shown in their modes only: their Selects are mounted the first time (see
            # _show_choice), not before the first screen.
            with Horizontal(classes="row", id="target-row") as row:
                row.display = False
                yield Label(say("home_target"), classes="field-label")
            with Horizontal(classes="row", id="session-row") as row:
                row.display = False
                yield Label(say("home_session"), classes="field-label")
        yield Static(id="bank-help")
        yield Static(id="mode-help")
        yield Static(id="summary")
        with Horizontal(id="start-row"):
            yield Button(say("home_start"), id="start", variant="primary")
        yield Static(id="recent")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#modes", OptionList).highlighted = 0
        self.query_one("#bank-help", Static).update(
            Content.styled(self._say("home_loading_banks"), "$text-muted")
        )
        self.call_after_refresh(self._show_options)

    def _option_choices(self) -> list[Widget]:
        """The count, time limit and language choices, each after its label."""
        say = self._say
        limits = [(say("time_min", n=s // 60) if s else say("time_own"), s) for s in TIME_LIMITS]
        return [
            Label(say("home_count"), classes="field-label"),
            Select(
                [(str(n), n) for n in COUNTS], value=5, allow_blank=False, compact=True, id="count"
            ),
            Label(say("home_time"), classes="field-label"),
            Select(limits, value=None, allow_blank=False, compact=True, id="time-limit"),
            Label(say("home_language"), classes="field-label"),
            Select([], allow_blank=True, compact=True, id="language"),
        ]

    async def _show_options(self) -> None:
        """Mount the option choices, then follow the app's banks and history, and let the app
        start loading them once the choices are painted.

        Three Selects are fifteen widgets with styles of their own to parse: composed with
        the rest, they held the first frame back by 40 ms of 280 (the first screen is timed
        against a bare Textual app); mounted while the app's loaders import (their imports
        hold the GIL), they showed 0.3 s after the rest. Whatever reads or sets a choice
        comes after this: the handlers of the banks and the history (the language's options,
        Start) and the loaders themselves."""
        await self.query_one("#main-options").mount_all(self._option_choices())
        self._options_shown = True
        self._refresh_help()
        # The banks first: the history's figures (due, new, weak) are those of the bank shown.
        self.watch(self.app, "library_status", self._library_status_changed)
        self.watch(self.app, "store_status", self._store_status_changed)
        self.call_after_refresh(self.app.load_in_background)

    def _library_status_changed(self, status: str) -> None:
        if status == "failed":
            self._start_when_open = False
            self.query_one("#bank-help", Static).update(
                Content.styled(self._say("home_no_banks"), "$text-error")
            )
        if status != "ready":
            return
        banks = self.query_one("#banks", OptionList)
        banks.clear_options()
        banks.add_options(
            [Option(_bank_label(b, self.language), id=b.id) for b in self.app.library.banks]
        )
        if banks.option_count:
            banks.highlighted = 0
        self._start_if_asked()

    def on_screen_resume(self) -> None:
        # Back from an interview: the counts and unfinished sessions have changed. (Its first
        # show comes before the options: the figures are loaded when the store is watched.)
        if self.app.has_store and self._options_shown:
            self.load_data()

    # -- what is chosen ---------------------------------------------------------------------

    @property
    def bank(self) -> Bank | None:
        banks = self.query_one("#banks", OptionList)
        if banks.highlighted is None or not self.app.has_library:
            return None
        return self.app.library.bank(banks.get_option_at_index(banks.highlighted).id)

    @property
    def mode(self) -> Mode:
        modes = self.query_one("#modes", OptionList)
        return MODES[modes.highlighted or 0]

    @on(OptionList.OptionHighlighted, "#banks")
    def _bank_changed(self) -> None:
        bank = self.bank
        if bank is None:
            return
        language = self.query_one("#language", Select)
        current = language.value if language.value in bank.languages else None
        language.set_options([(LANGUAGE_NAMES.get(lang, lang), lang) for lang in bank.languages])
        default = self.app.language if self.app.language in bank.languages else bank.languages[0]
        language.value = current or default
        options: list[tuple[str, str]] = []
        for topic in bank.topic_ids():
            n = sum(1 for q in bank.questions if q.topic == topic)
            title = bank.topic_title(topic, self.language)
            options.append((self._say("home_topic", topic=title, n=n), f"topic:{topic}"))
        for question in bank.questions:
            prompt = question.prompt.get(self.language)
            options.append((f"{question.id}{self._say('colon')}{prompt}", f"q:{question.id}"))
        self._set_choices("target", options)
        description = bank.description.get(language.value) if bank.description else ""
        # Imported here: the line breaker is not needed before the banks are read, and the
        # first screen is timed against a bare Textual app.
        from mockint.tui.prose import Prose

        self.query_one("#bank-help", Static).update(Prose.of(description))
        self._refresh_help()
        if self.app.has_store:
            self.load_data()

    @on(OptionList.OptionHighlighted, "#modes")
    def _mode_changed(self) -> None:
        self._refresh_help()

    @on(OptionList.OptionSelected, "#banks")
    def _bank_chosen(self) -> None:
        self.query_one("#modes", OptionList).focus()

    @on(OptionList.OptionSelected, "#modes")
    def _mode_chosen(self) -> None:
        self.action_start()

    @on(Button.Pressed, "#start")
    def _start_pressed(self) -> None:
        self.action_start()

    # -- the target and session choices -----------------------------------------------------
    # Two of the five Selects are hidden unless their mode is chosen; mounted only then, the
    # first screen does not wait for them. Until then their options are kept here, and the
    # choice is the first option, as it is in the Select when it is shown.

    def _set_choices(self, name: str, options: list[tuple[str, object]]) -> None:
        """The options of the ``target`` or ``session`` choice; the first is chosen."""
        self._choices[name] = options
        for select in self.query(f"#{name}").results(Select):
            select.set_options(options)
            if options:
                select.value = options[0][1]

    def _show_choice(self, name: str) -> None:
        """Mount the Select of the ``target`` or ``session`` choice, if it is not there yet."""
        if self.query(f"#{name}"):
            return
        options = self._choices[name]
        select = Select(
            options,
            prompt=self._say(CHOICE_PROMPTS[name]),
            value=options[0][1] if options else Select.NULL,
            compact=True,
            id=name,
        )
        self.query_one(f"#{name}-row").mount(select)

    def chosen(self, name: str) -> object:
        """The value chosen for ``target`` or ``session`` (``Select.NULL`` when none)."""
        for select in self.query(f"#{name}").results(Select):
            return select.value
        options = self._choices[name]
        return options[0][1] if options else Select.NULL

    def _refresh_help(self) -> None:
        mode = self.mode
        for name, shown in (("target", mode == "practice"), ("session", mode == "resume")):
            self.query_one(f"#{name}-row").display = shown
            if shown:
                self._show_choice(name)
        # No choices before the first frame: _show_options calls this again once they are there.
        for select in self.query("#count"):
            select.disabled = mode in ("practice", "resume")
        for select in self.query("#time-limit"):
            select.disabled = mode == "resume"
        self.query_one("#mode-help", Static).update(Content(self._say(f"mode_{mode}_help")))
        self._show_summary()

    def _start_if_asked(self) -> None:
        ready = self.app.has_library and self.app.has_store
        if self._start_when_open and ready:
            self._start_when_open = False
            request, self._request = self._request, None
            if request is None:
                self.action_start()
            else:
                self._start_requested(request)

    # -- history figures --------------------------------------------------------------------

    def _store_status_changed(self, status: str) -> None:
        if status == "ready":
            self.load_data()
            self._start_if_asked()
        elif status == "failed":
            self._start_when_open = False
            self.query_one("#summary", Static).update(
                Content.styled(self._say("home_history_failed"), "$text-error")
            )

    @work(thread=True, exclusive=True, exit_on_error=False, group="db", name="home data")
    def load_data(self) -> None:
        store = self.app.store
        bank = self.bank
        sessions = store.sessions()
        data = HomeData(
            unfinished=store.unfinished_sessions(), sessions=len(sessions), recent=sessions[:8]
        )
        try:
            from mockint import practice
        except ImportError:
            practice = None
        if practice is not None and bank is not None:
            summary = practice.summary(store, self.app.library, bank_id=bank.id)
            data.due, data.new, data.weak = summary.due, summary.new, summary.weak
        self.post_message(self.DataLoaded(data))

    def on_home_screen_data_loaded(self, message: DataLoaded) -> None:
        self._data = message.data
        self._set_choices(
            "session",
            [
                (_session_label(s, self.language, self._library_or_none()), s["id"])
                for s in message.data.unfinished
            ],
        )
        self._show_summary()
        self.call_after_refresh(self._show_recent)

    def on_resize(self) -> None:
        self.call_after_refresh(self._show_recent)

    def _show_recent(self) -> None:
        """The latest sessions under their heading, in the rows left at the bottom; nothing
        when those rows cannot hold the heading and one session (at 80x24 the heading alone
        was left there, reading as an empty list)."""
        recent = self.query_one("#recent", Static)
        sessions = self._data.recent if self._data is not None else []
        room = recent.content_region.height >= 2
        library = self._library_or_none()
        recent.update(_recent_sessions(sessions, self.language, library) if room else Content(""))

    def _show_summary(self) -> None:
        data = self._data
        summary = self.query_one("#summary", Static)
        if data is None:
            summary.update(Content.styled(self._say("home_loading_history"), "$text-muted"))
            return
        parts = []
        if data.due is not None:
            parts.append(self._say("home_summary", due=data.due, new=data.new, weak=data.weak))
        parts.append(
            self._say("home_sessions", n=data.sessions, s="s" if data.sessions != 1 else "")
        )
        if data.unfinished:
            parts.append(self._say("home_unfinished", n=len(data.unfinished)))
        summary.update(Content.styled(" · ".join(parts), "$text-muted"))

    # -- starting ---------------------------------------------------------------------------

    def action_start(self) -> None:
        # The banks and the history load once this screen is painted: Start pressed before
        # they are there starts the interview as soon as they are.
        loading = self.app.library_status == "loading" or (
            not self.app.has_store and self.app.store_status == "opening"
        )
        if loading:
            self._start_when_open = True
            self.query_one("#summary", Static).update(
                Content.styled(self._say("home_starting"), "$text-muted")
            )
            return
        bank = self.bank
        if bank is None:
            self.notify(self._say("home_add_bank"), severity="warning")
            return
        if not self.app.has_store:
            self.notify(
                self._say("home_store_closed"),
                title=self._say("home_cannot_start"),
                severity="error",
            )
            return
        language = self.query_one("#language", Select).value
        language = language if isinstance(language, str) else bank.languages[0]
        time_limit = self.query_one("#time-limit", Select).value
        time_limit = time_limit if isinstance(time_limit, int) else None
        count = self.query_one("#count", Select).value
        count = count if isinstance(count, int) else 5
        mode = self.mode
        if mode == "resume":
            session_id = self.chosen("session")
            if not isinstance(session_id, int):
                self.notify(self._say("home_nothing_to_resume"), severity="warning")
                return
            self.app.push_screen_interview(
                InterviewPlan(
                    mode="resume", bank_id=bank.id, language=language, resume_session_id=session_id
                )
            )
            return
        if mode == "practice":
            target = self.chosen("target")
            ids = _practice_ids(bank, target if isinstance(target, str) else "")
            self.app.push_screen_interview(
                InterviewPlan(
                    mode="practice",
                    bank_id=bank.id,
                    language=language,
                    question_ids=tuple(ids),
                    time_limit=time_limit,
                )
            )
            return
        self.choose_questions(bank.id, mode, count, language, time_limit)

    def _library_or_none(self) -> Library | None:
        return self.app.library if self.app.has_library else None

    def _start_requested(self, request: StartRequest) -> None:
        """Start what the command line asked for, as Start would with those choices; a bank or
        question it names that is not loaded is said, and the candidate stays here."""
        library = self.app.library
        bank = self.bank
        if request.bank_id is not None:
            try:
                bank = library.bank(request.bank_id)
            except KeyError:
                banks = ", ".join(b.id for b in library.banks)
                self._cannot_start("home_unknown_bank", id=request.bank_id, banks=banks)
                return
        unknown = [qid for qid in request.question_ids if not _has_question(library, qid)]
        if unknown:
            self._cannot_start("home_unknown_question", id=", ".join(unknown))
            return
        if request.question_ids and request.bank_id is None:
            # The interview is named after a bank: that of its first question.
            bank, _ = library.find_question(request.question_ids[0])
        if bank is None:
            self.notify(self._say("home_add_bank"), severity="warning")
            return
        language = self.app.language
        language = language if language in bank.languages else bank.languages[0]
        if request.resume is not None:
            self.resume_session(request.resume or None, bank.id)
            return
        if request.question_ids or request.mode == "all":
            ids = request.question_ids or tuple(q.id for q in bank.questions)
            self.app.push_screen_interview(
                InterviewPlan(
                    mode="practice" if request.question_ids else "all",
                    bank_id=bank.id,
                    language=language,
                    question_ids=ids[: request.count],
                )
            )
            return
        self.choose_questions(bank.id, request.mode or "mock", request.count or 5, language, None)

    def _cannot_start(self, key: str, **values: object) -> None:
        self.notify(
            self._say(key, **values),
            title=self._say("home_cannot_start"),
            severity="error",
            timeout=10,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="select", name="resume")
    def resume_session(self, session_id: int | None, bank_id: str) -> None:
        """Continue session ``session_id`` (None: the latest unfinished one), as the command
        line's ``--resume`` does with ``--plain``."""
        store = self.app.store
        if session_id is None:
            session = next(iter(store.unfinished_sessions()), None)
        else:
            session = store.session(session_id)
        if session is None:
            key, values = "home_nothing_to_resume", {}
            if session_id is not None:
                key, values = "home_unknown_session", {"id": session_id}
            self.app.call_from_thread(self._cannot_start, key, **values)
            return
        # The session's own bank names it, unless that bank is no longer loaded.
        banks = {b.id for b in self.app.library.banks}
        plan = InterviewPlan(
            mode="resume",
            bank_id=session["bank_id"] if session.get("bank_id") in banks else bank_id,
            language=session.get("language") or self.app.language,
            resume_session_id=session["id"],
        )
        self.post_message(self.PlanReady(plan))

    @work(thread=True, exclusive=True, exit_on_error=False, group="select", name="choose")
    def choose_questions(
        self, bank_id: str, mode: Mode, count: int, language: str, time_limit: int | None
    ) -> None:
        """Pick the questions for a mock interview or a review (reads the history)."""
        library = self.app.library
        bank = library.bank(bank_id)
        try:
            from mockint.practice import select_questions
        except ImportError:
            select_questions = None
        reasons: dict[str, str] = {}
        if select_questions is not None:
            picked = select_questions(self.app.store, library, mode, count, bank_id=bank_id)
            ids = [s.question_id for s in picked]
            reasons = {s.question_id: s.reason for s in picked}
        elif mode == "mock":
            ids = [q.id for q in random.sample(bank.questions, min(count, len(bank.questions)))]
        else:
            ids = []
        if not ids:
            self.app.call_from_thread(
                self.notify,
                self._say(f"home_nothing_{mode}" if mode in _NOTHING_TO_DO else "home_nothing"),
                title=self._say("home_nothing_title"),
                severity="warning",
            )
            return
        plan = InterviewPlan(
            mode=mode,
            bank_id=bank_id,
            language=language,
            question_ids=tuple(ids),
            time_limit=time_limit,
            reasons=reasons,
        )
        self.post_message(self.PlanReady(plan))

    def on_home_screen_plan_ready(self, message: PlanReady) -> None:
        self.app.push_screen_interview(message.plan)


# Modes with their own "nothing to practise" line (home_nothing_<mode> in words.py).
_NOTHING_TO_DO = frozenset({"due", "weak", "new"})


def _bank_label(bank: Bank, language: str) -> Content:
    return Content.assemble(bank.title.get(language), (f" ({len(bank.questions)})", "$text-muted"))


def _recent_sessions(sessions: list[dict], language: str, library: Library | None) -> Content:
    """A few lines on the latest sessions (shown when the terminal has room)."""
    if not sessions:
        return Content("")
    # Imported here: render brings the grading models' module (pydantic), which the first
    # paint must not wait for (it took the first screen from 0.32 s to 0.55 s).
    from mockint.tui import render
    from mockint.tui.screens.history import local_time

    say = words.line
    parts: list = [(say(language, "home_recent"), "bold $text-primary")]
    for session in sessions:
        answered = say(language, "home_answered", n=session.get("n_answers") or 0)
        state = "" if session.get("ended_at") else say(language, "home_unfinished_tag")
        mode = session.get("mode", "")
        if f"tag_{mode}" in words.LINES["en"]:
            mode = say(language, f"tag_{mode}")
        parts += [
            "\n",
            (f"{local_time(session.get('started_at'))}  ", "$text-muted"),
            f"{mode} · {_bank_name(session, language, library)} · {answered}{state}",
            "  ",
            render.score_text(session.get("mean_score"), language=language),
        ]
    return Content.assemble(*parts)


def _bank_name(session: dict, language: str, library: Library | None) -> str:
    """A session's bank as the history screen names it (a title that fits, else the id)."""
    from mockint.tui import render
    from mockint.tui.screens.history import BANK_WIDTH

    return render.bank_label(session.get("bank_id"), language, library, width=BANK_WIDTH)


def _session_label(session: dict, language: str, library: Library | None) -> str:
    started = str(session.get("started_at") or "")[:16].replace("T", " ")
    answered = (session.get("n_answers") or 0) + (session.get("n_skipped") or 0)
    planned = session.get("n_planned") or session.get("n_asked")
    if planned:
        progress = words.line(language, "home_session_progress", done=answered, planned=planned)
    else:
        progress = words.line(language, "home_answered", n=answered)
    bank = _bank_name(session, language, library)
    return f"#{session['id']} · {started} · {bank} · {progress}"


def _has_question(library: Library, question_id: str) -> bool:
    try:
        library.find_question(question_id)
    except KeyError:
        return False
    return True


def _practice_ids(bank: Bank, target: str) -> list[str]:
    if target.startswith("topic:"):
        topic = target.removeprefix("topic:")
        return [q.id for q in bank.questions if q.topic == topic]
    if target.startswith("q:"):
        return [target.removeprefix("q:")]
    return [bank.questions[0].id]
