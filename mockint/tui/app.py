"""The Textual app: the interview as a conversation, plus progress, history and export.

The app owns the three slow things every screen shares, and never waits for them on the main
thread: the question library (read in a worker once the home screen is painted: parsing and
validating the banks took longer than drawing the screen), the history store (opened in a
worker) and the grader (its models load in a worker while the first screen is already
usable). Screens drive :mod:`mockint.interview`, :mod:`mockint.progress` and the store
from their own workers; one ``Worker.StateChanged`` handler here turns any failure into a
notification.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from mockint.tui import words

if TYPE_CHECKING:
    from mockint.grading import Grader
    from mockint.rubric import Library, Question
    from mockint.store import Store
    from mockint.tui.plan import InterviewPlan, StartRequest


class GraderUnavailable(Exception):
    """The grader could not be loaded; the message says why and what to do."""


class StoreUnavailable(Exception):
    """The history database could not be opened; the message says why and what to do."""


class LibraryUnavailable(Exception):
    """The question banks are not loaded (yet, or they failed to load)."""


class MockintApp(App[int]):
    """mockint's terminal app.

    Everything slow can be injected, so tests reuse one loaded grader and a temporary store:
    ``grader`` (ready now) or ``grader_loader`` (called in a worker), ``store`` or ``db_path``,
    ``library``, ``clock`` (monotonic seconds, for the question timer) and ``today`` (the local
    date progress streaks are counted to). ``start`` is an interview to start at once (the
    command line's ``--questions``, ``--mode``, ...), instead of waiting on the home screen.
    """

    # The home screen's styles come with the app's: it is the default screen (see
    # get_default_screen), and Textual reads the CSS_PATH of pushed screens only.
    CSS_PATH = ["app.tcss", "screens/home.tcss"]
    TITLE = "mockint"
    SUB_TITLE = "mock interview coach"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", show=False, tooltip="Quit; answers are saved."),
        Binding("f2", "toggle_dark", "Theme", show=False, tooltip="Switch dark/light theme."),
    ]

    grader_status: reactive[str] = reactive("loading")
    """``loading``, ``ready`` or ``failed``; the status bar of every screen shows it."""

    store_status: reactive[str] = reactive("opening")
    """``opening``, ``ready`` or ``failed``; screens reload their data when it turns ready."""

    library_status: reactive[str] = reactive("loading")
    """``loading``, ``ready`` or ``failed``: the question banks."""

    class LibraryLoaded(Message):
        """The question banks are read (posted from the loading worker)."""

        def __init__(self, library: Library) -> None:
            super().__init__()
            self.library = library

    class GraderLoaded(Message):
        """The grader finished loading (posted from the loading worker)."""

        def __init__(self, grader: Grader) -> None:
            super().__init__()
            self.grader = grader

    class StoreOpened(Message):
        """The history store is open (posted from the opening worker)."""

        def __init__(self, store: Store) -> None:
            super().__init__()
            self.store = store

    def __init__(
        self,
        *,
        library: Library | None = None,
        library_loader: Callable[[], Library] | None = None,
        store: Store | None = None,
        db_path: Path | None = None,
        grader: Grader | None = None,
        grader_loader: Callable[[], Grader] | None = None,
        model: str | None = None,
        clock: Callable[[], float] = time.monotonic,
        today: Callable[[], date] | None = None,
        language: str = "en",
        problems: Iterable[str] = (),
        start: StartRequest | None = None,
        follow_ups: bool = True,
    ) -> None:
        super().__init__()
        self.follow_ups = follow_ups
        """Whether interviews ask follow-ups (``mockint interview --no-follow-up``: no)."""
        self._library = library
        self._library_loader = library_loader
        self._library_waiters: list[Callable[[], None]] = []
        self.language = language
        self._start = start
        self.clock = clock
        self.today = today
        self.db_path = db_path
        self._model = model
        self._grader_loader = grader_loader
        self._problems = list(problems)
        self._grader: Grader | None = grader
        self._grader_error: str | None = None
        self._grader_event = threading.Event()
        self._grading_idle = threading.Event()
        # Only an app that loads its own models owns the process (tests inject a grader and
        # run many apps in one interpreter): see _settle_heap.
        self._settles_heap = grader is None and grader_loader is None
        self._grading_idle.set()
        self._store: Store | None = store
        self._store_error: BaseException | None = None
        self._loading_started = False
        if grader is not None:
            self._grader_event.set()
            self.set_reactive(MockintApp.grader_status, "ready")
        if store is not None:
            self.set_reactive(MockintApp.store_status, "ready")
            self._watch_store(store)
        if library is not None:
            self.set_reactive(MockintApp.library_status, "ready")

    # -- start-up ---------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        """The home screen, as the screen the app starts on: pushed over Textual's empty
        default screen instead, it cost a sixth of the time to the first screen (two screens
        composed, laid out and painted, the first one for nothing)."""
        from mockint.tui.screens.home import HomeScreen

        return HomeScreen(self.language, start=self._start)

    def on_mount(self) -> None:
        self._catch_signals()
        for problem in self._problems:
            self._bank_skipped(problem)

    def load_in_background(self) -> None:
        """Start reading the banks, opening the history and loading the model (those not
        given), once. The home screen calls this when it is all painted: their imports
        (pydantic, torch, sqlite-utils) hold the GIL for a while, and neither the first frame
        nor the rest of the home screen must wait for them."""
        if self._loading_started:
            return
        self._loading_started = True
        # The command line turns the collector off for the start-up (cli._open_app): what
        # the loaders allocate is not all for keeps.
        gc.enable()
        if self._library is None:
            self.load_library()
        if self._store is None:
            self.open_store()
        if self._grader is None:
            self.load_grader()

    @work(thread=True, exclusive=True, exit_on_error=False, group="library", name="load banks")
    def load_library(self) -> None:
        """Read and validate the question banks (``library_loader``)."""
        if self._library_loader is None:
            raise LibraryUnavailable(self.say("no_banks_given"))
        self.post_message(self.LibraryLoaded(self._library_loader()))

    def on_mockint_app_library_loaded(self, message: LibraryLoaded) -> None:
        self._library = message.library
        self.library_status = "ready"
        for problem in message.library.problems:
            self._bank_skipped(problem)
        waiters, self._library_waiters = self._library_waiters, []
        for callback in waiters:
            callback()

    def _bank_skipped(self, problem: object) -> None:
        """Say that a bank did not load, and why (a rubric ``Problem``, or a line of text)."""
        self.notify(
            _problem_text(problem, self.say, self.say_language),
            title=self.say("bank_skipped"),
            severity="warning",
            timeout=10,
        )

    @property
    def library(self) -> Library:
        """The question banks; raises :class:`LibraryUnavailable` until they are loaded."""
        if self._library is None:
            raise LibraryUnavailable(self.say("banks_loading"))
        return self._library

    @property
    def has_library(self) -> bool:
        return self._library is not None

    def when_library(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once the question banks are loaded (now, if they are)."""
        if self._library is not None:
            callback()
        elif self.library_status != "failed":
            self._library_waiters.append(callback)

    @work(thread=True, exclusive=True, exit_on_error=False, group="model", name="load grader")
    def load_grader(self) -> None:
        """Load the embedding models without blocking the UI.

        The loading itself runs in a daemon thread this worker waits on: a model takes seconds
        to load, and quitting meanwhile must not wait for it.
        """
        worker = get_current_worker()
        box: dict[str, Any] = {}

        def load() -> None:
            try:
                if self._grader_loader is not None:
                    box["grader"] = self._grader_loader()
                else:
                    from mockint.grading import load_grader

                    grader = load_grader(self._model)
                    grader.wake()
                    _settle_heap()
                    box["grader"] = grader
            except Exception as exc:  # reported to the user below, whatever it was
                box["error"] = exc

        thread = threading.Thread(target=load, name="mockint-model-load", daemon=True)
        thread.start()
        while thread.is_alive():
            if worker.is_cancelled:
                return
            thread.join(0.1)
        if "error" in box:
            error = box["error"]
            self._grader_error = _describe_grader_error(error)
            self._grader_event.set()
            raise GraderUnavailable(self._grader_error) from error
        self.post_message(self.GraderLoaded(box["grader"]))

    def on_mockint_app_grader_loaded(self, message: GraderLoaded) -> None:
        self._grader = message.grader
        self._grader_event.set()
        self.grader_status = "ready"

    @work(thread=True, exclusive=True, exit_on_error=False, group="store", name="open store")
    def open_store(self) -> None:
        """Open (and if needed migrate) the history database."""
        from mockint.store import StoreError, open_store

        try:
            store = open_store(self.db_path)
        except StoreError as exc:
            self._store_error = exc
            raise StoreUnavailable(words.explained(self.say_language, exc)) from exc
        self.post_message(self.StoreOpened(store))

    def on_mockint_app_store_opened(self, message: StoreOpened) -> None:
        self._store = message.store
        self._watch_store(message.store)
        self.store_status = "ready"

    def _watch_store(self, store: Store) -> None:
        # An answer is never dropped because another program holds the database: the store
        # waits as long as it takes, and the candidate is told why saving takes a while.
        store.patience = None
        store.on_busy = self._store_busy
        for notice in store.notices:
            self.notify(
                words.explained(self.say_language, notice),
                title=self.say("store_title"),
                timeout=10,
            )

    def _store_busy(self, message: str) -> None:
        text = words.explained(self.say_language, message)
        title = self.say("store_title")
        if threading.current_thread() is threading.main_thread():
            self.notify(text, title=title, severity="warning")
        else:
            self.call_from_thread(self.notify, text, title=title, severity="warning")

    def _catch_signals(self) -> None:
        """Leave cleanly on SIGTERM, SIGHUP (the terminal closed) and SIGINT: the answer being
        typed is kept and the terminal restored (no alternate screen, mouse mode or hidden
        cursor left behind), as with ctrl+q."""
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, self._leave_on_signal, signum)

    def _leave_on_signal(self, signum: int) -> None:
        self.keep_drafts()
        self.exit(return_code=128 + signum)

    async def action_quit(self) -> None:
        """Quit (ctrl+q); the answer being typed is kept for the next resume."""
        self.keep_drafts()
        await super().action_quit()

    def keep_drafts(self) -> None:
        """Save the answer being typed on any open interview screen, now (the app is going)."""
        for screen in self.screen_stack:
            saver = getattr(screen, "save_draft_now", None)
            if saver is not None:
                saver()

    # -- what screens use -------------------------------------------------------------------

    @property
    def grader(self) -> Grader | None:
        """The grader, or None while it loads (or if it failed)."""
        return self._grader

    @property
    def store(self) -> Store:
        """The open history store; raises :class:`StoreUnavailable` if it is not open."""
        if self._store is None:
            if self._store_error is not None:
                raise StoreUnavailable(words.explained(self.say_language, self._store_error))
            raise StoreUnavailable(self.say("store_opening"))
        return self._store

    @property
    def has_store(self) -> bool:
        return self._store is not None

    def warm_in_background(self, questions: list[Question]) -> None:
        """Embed these questions' rubric texts ahead of their answers, in order, then those of
        the rest of their banks, while the candidate reads and types (cached on disk, so a
        later launch pays nothing). Grading an answer also compares it with every other
        question of its bank (is it answering another one?): left unembedded, they made the
        first grade of each launch take seconds. A daemon thread: quitting never waits."""
        questions = list(questions)
        seen = {q.id for q in questions}
        for question in list(questions):
            try:
                bank, _ = self.library.find_question(question.id)
            except KeyError:
                continue
            rest = [q for q in bank.questions if q.id not in seen]
            seen.update(q.id for q in rest)
            questions += rest

        def warm() -> None:
            self._grader_event.wait()
            grader = self._grader
            if grader is None:
                return
            for question in questions:
                # An answer being graded goes first: warming waits for it between questions.
                while not self._grading_idle.wait(0.5):
                    if not self.is_running:
                        return
                if not self.is_running:
                    return
                # An optimisation, never worth an error message.
                with contextlib.suppress(Exception):
                    grader.warm([question])
            if self._settles_heap:
                _settle_heap()

        threading.Thread(target=warm, name="mockint-warm", daemon=True).start()

    @contextlib.contextmanager
    def grading(self) -> Iterator[None]:
        """Around grading an answer (in a worker): background warming pauses meanwhile, so the
        candidate's answer never queues behind rubric texts for later questions."""
        self._grading_idle.clear()
        try:
            yield
        finally:
            self._grading_idle.set()

    def wait_for_grader(self) -> Grader:
        """Block (in a worker thread) until the grader is ready; returns early if the calling
        worker is cancelled. Raises :class:`GraderUnavailable` if loading failed."""
        worker = get_current_worker()
        while not self._grader_event.wait(0.1):
            if worker.is_cancelled:
                raise GraderUnavailable("cancelled")
        if self._grader is None:
            raise GraderUnavailable(self._grader_error or "The grading model is not available.")
        return self._grader

    # -- failures ---------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.report_worker_state(event)

    def report_worker_state(self, event: Worker.StateChanged) -> None:
        """The one place where a failed worker becomes a message the user can act on (screens
        and widgets pass their workers' state changes here: the message does not bubble)."""
        worker = event.worker
        if event.state != WorkerState.ERROR:
            return
        error = worker.error
        if worker.group == "model":
            self.grader_status = "failed"
            self.notify(
                self.say("grader_unavailable_text", error=error),
                title=self.say("grader_unavailable"),
                severity="error",
                timeout=15,
            )
        elif worker.group == "library":
            from mockint.tui.screens.dialogs import MessageDialog

            self.library_status = "failed"
            self.push_screen(
                MessageDialog(self.say("no_banks"), self._describe(error), self.say_language)
            )
        elif worker.group == "store":
            from mockint.tui.screens.dialogs import MessageDialog

            self.store_status = "failed"
            # A dialog, not a toast: without the database nothing can be saved.
            self.push_screen(
                MessageDialog(
                    self.say("store_unavailable"),
                    self.say("store_unavailable_text", error=self._describe(error)),
                    self.say_language,
                )
            )
        else:
            title = self.say(_ERROR_TITLES.get(worker.group or "", "error_other"))
            self.notify(self._describe(error), title=title, severity="error", timeout=10)

    def _describe(self, error: BaseException | None) -> str:
        """A failure in the words of :attr:`say_language` (the core's errors say which problem
        they are; see :func:`words.explained`)."""
        if error is None:
            return self.say("error_unknown")
        return words.explained(self.say_language, error) or type(error).__name__

    # -- the app's own words ----------------------------------------------------------------

    @property
    def say_language(self) -> str:
        """The language the app's own messages are in: that of the topmost screen that speaks
        one (an interview in Chinese, the home screen of ``--lang zh``), else the app's."""
        for screen in reversed(self.screen_stack):
            language = vars(screen).get("language")
            if language:
                return language
        return self.language

    def say(self, key: str, **values: object) -> str:
        """One of the app's own words (words.LINES) in :attr:`say_language`."""
        return words.line(self.say_language, key, **values)

    # -- app-wide actions -------------------------------------------------------------------

    def action_toggle_dark(self) -> None:
        """Switch between the dark and the light theme."""
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def push_screen_interview(self, plan: InterviewPlan) -> None:
        """Open the interview screen for ``plan`` (a new interview or a resumed one)."""
        from mockint.tui.screens.interview import InterviewScreen

        self.push_screen(InterviewScreen(plan))

    def action_open_progress(self) -> None:
        from mockint.tui.screens.progress import ProgressScreen

        def open_progress() -> None:
            if not isinstance(self.screen, ProgressScreen):
                self.push_screen(ProgressScreen(self.language))

        self.when_library(open_progress)

    def action_open_history(self) -> None:
        from mockint.tui.screens.history import HistoryScreen

        def open_history() -> None:
            if not isinstance(self.screen, HistoryScreen):
                self.push_screen(HistoryScreen(self.language))

        self.when_library(open_history)

    def action_export_report(self) -> None:
        """Write the progress report (HTML) with :mod:`mockint.export`, in a worker."""
        try:
            from mockint.export import write_report  # noqa: F401
        except ImportError:
            self.notify(
                self.say("export_missing"), title=self.say("export_unavailable"), severity="warning"
            )
            return
        self.notify(self.say("export_writing"), title=self.say("export_title"))
        self.when_library(self.export_report)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export", name="export")
    def export_report(self) -> None:
        from mockint.export import write_report

        path = write_report(self.store, self.library)
        self.call_from_thread(
            self.notify,
            self.say("export_saved", path=path),
            title=self.say("export_written"),
            timeout=10,
        )

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for name, action in (
            ("progress", self.action_open_progress),
            ("history", self.action_open_history),
            ("export", self.action_export_report),
            ("theme", self.action_toggle_dark),
        ):
            yield SystemCommand(self.say(f"cmd_{name}"), self.say(f"cmd_{name}_help"), action)
        extra = getattr(screen, "palette_commands", None)
        if extra is not None:
            yield from extra()


# The title of a failed worker's notification, by its group (keys of words.LINES).
_ERROR_TITLES = {
    "grade": "error_grade",
    "save": "error_save",
    "db": "error_db",
    "export": "error_export",
    "voice": "error_voice",
    "select": "error_select",
}


def _settle_heap() -> None:
    """Take every object alive now out of the garbage collector's sight (``gc.freeze``): the
    models, tokenizers, question banks and rubric caches live as long as the app, yet each full
    collection walked them all again, holding the GIL while an answer was graded and its score
    painted (50-58 ms per full collection with the models and every rubric loaded, measured
    here; under 1 ms once frozen). Cyclic garbage alive at that moment is never freed: a few
    thousand objects, once."""
    gc.freeze()


def _describe_grader_error(error: BaseException) -> str:
    from mockint.grading import GraderLoadError

    if isinstance(error, GraderLoadError):
        return str(error)
    return f"The grading model could not be loaded: {error}"


def _problem_text(problem: object, say: Callable[..., str], language: str) -> str:
    """A rubric ``Problem`` (file, line, question, field, message) in the app's words, its
    message in ``language`` when its reason has a line there (else the validator's English);
    any other problem as its text."""
    file = getattr(problem, "file", None)
    if file is None:
        return str(problem)
    line = getattr(problem, "line", None)
    parts = [file + (f":{line}" if line else ""), say(f"problem_{problem.severity}")]
    if problem.question_id:
        parts.append(say("problem_question", id=problem.question_id))
    if problem.field:
        parts.append(say("problem_field", field=problem.field))
    message = words.explained(language, problem, text=problem.message)
    return say("colon").join(parts) + say("colon") + message


def app_from_args(args: argparse.Namespace) -> MockintApp:
    """The app with the options of the command line: banks, database, model, the prompt
    language (``mockint interview --lang zh`` in a terminal opens the app in Chinese) and the
    interview asked for (``--questions``, ``-n``, ``--bank``, ``--mode``, ``--resume``: started
    as soon as the banks and the history are open, as with ``--plain``). The banks are read
    by the app once its home screen is painted; a ``--rubrics`` path that does not exist is a
    usage error here, before the terminal is taken over."""
    from mockint.commands._common import check_rubrics_paths, load_library_from_args
    from mockint.tui.plan import start_request

    check_rubrics_paths(args)
    db = getattr(args, "db", None)
    return MockintApp(
        library_loader=lambda: load_library_from_args(args, quiet=True),
        db_path=Path(db) if db else None,
        model=getattr(args, "model", None),
        language=getattr(args, "lang", None) or "en",
        start=start_request(args),
        follow_ups=not getattr(args, "no_follow_up", False),
    )


def run_app(args: argparse.Namespace) -> int:
    """Open the app with the options of the ``mockint`` command line; returns the exit code."""
    # Progress bars from model loading would scribble over the screen.
    os.environ.setdefault("TQDM_DISABLE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    app = app_from_args(args)
    app.run()
    code = app.return_code or 0
    if app.has_store:
        app.store.close()
    _exit_if_threads_linger(code)
    return code


def _exit_if_threads_linger(code: int) -> None:
    """End the process now if the model loader is still inside torch: letting the interpreter
    finalise under a native thread can abort ("Aborted", exit 134) after the terminal is
    already restored. Everything is saved by then (each answer and draft was committed)."""
    busy = [t for t in threading.enumerate() if t.name.startswith("mockint-") and t.is_alive()]
    if busy:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
