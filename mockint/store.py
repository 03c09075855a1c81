"""The interview history: one SQLite file, written through sqlite-utils.

    from mockint.store import open_store
    store = open_store()                       # or open_store(path); ":memory:" for a scratch store
    sid = store.start_session(mode="mock", bank_id="deep-learning", language="en", client="tui")
    asked_id = store.ask(sid, "deep-learning", question)
    answer_id = store.record_answer(asked_id, text, grade)      # one transaction, committed
    store.end_session(sid)

    with store.read() as db:                   # several queries over one consistent snapshot
        ...
    with store.transaction() as db:            # reads and writes that stand or fall together
        ...

Guarantees:

- A database is inspected read-only before anything is written to it: a file that is locked,
  damaged (its schema missing a table or column included), not a regular file, not an SQLite
  file, another program's SQLite file, or written by a newer mockint raises :class:`StoreError`
  (one line saying what to do) and is left byte-identical, with no ``-wal``/``-shm`` beside it.
  ``open_store(readonly=True)`` never writes (a read-only folder works). The checks that read
  the whole file are skipped while it is unchanged (same files, sizes and times) since they
  last passed, as recorded in the cache dir. With ``open_store(check_later=True)``, for a
  command that reads first and writes last, the check of every page (and, asked with
  :meth:`Store.check_rows`, of the rows) runs while the command reads: nothing is committed
  before it passed, and :meth:`Store.verify` reports its finding.
- The schema is created and upgraded by :data:`MIGRATIONS`; before an existing database is
  upgraded, a copy is kept next to it as ``<db>.bak-v<old version>``.
- WAL journal, ``synchronous=FULL`` and a busy timeout: every write method is one transaction
  (``BEGIN IMMEDIATE`` ... ``COMMIT``) committed before it returns, so an answer that was
  submitted survives the process being killed the next instant, and two mockint processes
  writing to one file (or creating it) wait for each other instead of failing or losing
  answers: up to :attr:`Store.patience` seconds (None: as long as it takes, what interviews
  use), with :attr:`Store.on_busy` told once the wait is noticeable. Inside
  :meth:`Store.transaction` a write method joins that transaction instead.
- The answer being typed is kept with :meth:`Store.save_draft`; the transaction that records
  the answer deletes the draft, so at every instant one of the two holds the text.
- :meth:`Store.hold_session` marks a session as running in this process (a lock the kernel
  drops when the process ends); :meth:`Store.delete_session` refuses such a session.
- Code outside this module that runs its own queries does so in :meth:`Store.read` or
  :meth:`Store.transaction`, never on ``store.db`` bare: the connection is shared between
  threads, and a query must not land in the middle of another thread's transaction.

Conventions: times are ISO-8601 UTC strings; an answer's *effective score* is
``COALESCE(override_score, score)``; an answer with no grade row was not graded; a *skipped*
question has a main answer with ``skipped = 1``, empty text and no grade. The store is safe to
share between threads (one connection, serialised by a lock that its methods, :meth:`Store.read`
and :meth:`Store.transaction` hold).
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import struct
import threading
import time as _time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, closing, contextmanager, suppress
from datetime import UTC, date, datetime, time, timedelta
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from mockint.errors import Reasoned, UserError

if TYPE_CHECKING:
    from mockint.grading.models import Grade
    from mockint.rubric import Question

APP_ID = "mockint"
SQLITE_HEADER = b"SQLite format 3\x00"
DEFAULT_TIMEOUT = 5.0
BUSY_NOTICE_S = 1.5
"""A write kept waiting this long by another process tells the user (``Store.on_busy``)."""
_BUSY_STEP_MS = 250
_BUSY_PAUSE_S = 0.005
ANSWER_KINDS = ("main", "follow_up")
SOURCES = ("typed", "voice")

Clock = Callable[[], datetime]


class StoreError(UserError):
    """The history database cannot be used (locked, damaged, foreign, newer, missing row)."""


# ---------------------------------------------------------------------------------------------
# Schema. Each migration takes the database from version i to i + 1 inside one transaction;
# a new database runs them all, so the upgrade path is exercised on every fresh install.

_V1 = [
    """
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        mode TEXT NOT NULL,
        bank_id TEXT,
        language TEXT NOT NULL DEFAULT 'en',
        client TEXT NOT NULL DEFAULT 'cli'
    )""",
    """
    CREATE TABLE asked (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        position INTEGER NOT NULL,
        bank_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        question_hash TEXT NOT NULL,
        asked_at TEXT NOT NULL
    )""",
    """
    CREATE TABLE answers (
        id INTEGER PRIMARY KEY,
        asked_id INTEGER NOT NULL REFERENCES asked(id),
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        kind TEXT NOT NULL CHECK (kind IN ('main', 'follow_up')),
        text TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('typed', 'voice')),
        duration_s REAL,
        created_at TEXT NOT NULL
    )""",
    """
    CREATE TABLE grades (
        answer_id INTEGER PRIMARY KEY REFERENCES answers(id),
        score REAL NOT NULL,
        verdict TEXT NOT NULL,
        model TEXT NOT NULL,
        language TEXT NOT NULL,
        coverage REAL NOT NULL,
        penalty REAL NOT NULL,
        follow_up TEXT,
        follow_up_key_point TEXT,
        feedback TEXT NOT NULL,
        override_score REAL,
        override_at TEXT,
        grade_json TEXT NOT NULL
    )""",
    """
    CREATE TABLE key_point_results (
        answer_id INTEGER NOT NULL REFERENCES answers(id),
        question_id TEXT NOT NULL,
        key_point_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('hit', 'partial', 'miss')),
        similarity REAL NOT NULL,
        credit REAL NOT NULL,
        weight REAL NOT NULL,
        evidence TEXT,
        PRIMARY KEY (answer_id, key_point_id)
    )""",
    """
    CREATE TABLE misconception_results (
        answer_id INTEGER NOT NULL REFERENCES answers(id),
        question_id TEXT NOT NULL,
        misconception_id TEXT NOT NULL,
        evidence TEXT,
        PRIMARY KEY (answer_id, misconception_id)
    )""",
    "CREATE INDEX asked_session ON asked(session_id)",
    "CREATE INDEX answers_asked ON answers(asked_id)",
    "CREATE INDEX answers_session ON answers(session_id)",
]

# v2: skipped questions, hints, spoken answers, the planned question list (for resuming a
# session) and the spaced-repetition state written by mockint.practice.
_V2 = [
    "ALTER TABLE answers ADD COLUMN hints_used INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE answers ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE sessions ADD COLUMN plan_json TEXT",
    """
    CREATE TABLE speech_metrics (
        answer_id INTEGER PRIMARY KEY REFERENCES answers(id),
        duration_s REAL,
        words INTEGER,
        wpm REAL,
        filler_count INTEGER,
        fillers_json TEXT,
        long_pauses INTEGER,
        longest_pause_s REAL,
        metrics_json TEXT
    )""",
    """
    CREATE TABLE IF NOT EXISTS review_state (
        kind TEXT NOT NULL,
        item_id TEXT NOT NULL,
        question_id TEXT,
        question_hash TEXT,
        due_at TEXT,
        last_review TEXT,
        reps INTEGER,
        lapses INTEGER,
        card_json TEXT,
        PRIMARY KEY (kind, item_id)
    )""",
    "CREATE INDEX IF NOT EXISTS idx_review_state_question_id ON review_state(question_id)",
    "CREATE INDEX answers_created ON answers(created_at)",
    "CREATE INDEX asked_question ON asked(question_id)",
    "CREATE INDEX key_point_results_point ON key_point_results(question_id, key_point_id)",
]

# v3: the answer being typed, kept as the candidate types so quitting, a closed terminal or a
# kill never loses it; one per session, deleted in the transaction that stores the answer.
_V3 = [
    """
    CREATE TABLE drafts (
        session_id INTEGER PRIMARY KEY REFERENCES sessions(id),
        asked_id INTEGER NOT NULL REFERENCES asked(id),
        kind TEXT NOT NULL CHECK (kind IN ('main', 'follow_up')),
        text TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
]

# v4: what a whole history's schedule reads (mockint.practice), without visiting each row: every
# answer's key point verdicts, and each grade's scores (a grade's row is a page of its own,
# with the grade's JSON); the damaged-row check of the scores reads the index too.
_V4 = [
    "CREATE INDEX key_point_results_verdict ON key_point_results(answer_id, key_point_id, status)",
    "CREATE INDEX grades_score ON grades(answer_id, score, override_score)",
]

MIGRATIONS: list[list[str]] = [_V1, _V2, _V3, _V4]
"""``MIGRATIONS[i]`` upgrades a database from schema version ``i`` to ``i + 1``."""

SCHEMA_VERSION = len(MIGRATIONS)


# ---------------------------------------------------------------------------------------------
# Opening: inspect read-only, then open for writing and migrate.


def _now_iso(clock: Clock | None = None) -> str:
    moment = clock() if clock else datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def _is_locked(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return True
    return "locked" in str(exc) or "busy" in str(exc)


def _is_corrupt(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return True
    return "malformed" in str(exc) or "not a database" in str(exc)


def _locked_error(path: str) -> StoreError:
    return StoreError(
        f"{path} is locked: another mockint is using it. Close that one (or wait for it to "
        "finish) and try again.",
        reason="locked",
        path=path,
    )


def _corrupt_error(path: str, detail: str, reason: str, **details: object) -> StoreError:
    """The error for a damaged file; ``reason`` and ``details`` say what is damaged when the
    detail is mockint's own words (a missing table or column), not SQLite's."""
    detail = " ".join(detail.split())
    return StoreError(
        f"{path} is damaged ({detail}); it was left untouched. Move it aside to start a new "
        "history, or use --db PATH.",
        reason=reason,
        path=path,
        detail=detail,
        **details,
    )


def _translate(path: str, exc: sqlite3.Error) -> StoreError:
    if _is_locked(exc):
        return _locked_error(path)
    if _is_corrupt(exc):
        return _corrupt_error(path, str(exc), reason="damaged")
    return StoreError(f"{path}: database error: {exc}", reason="error", path=path, detail=exc)


def inspect_database(path: Path, timeout: float = DEFAULT_TIMEOUT, pages: bool = True) -> int:
    """The schema version of the mockint database at ``path`` (0: absent or empty).

    Opens the file read-only, so nothing is written whatever it turns out to be; raises
    :class:`StoreError` for a file mockint must not touch (and removes the empty ``-wal`` and
    ``-shm`` files SQLite leaves beside a WAL database it only looked at). Without ``pages``
    the check of every page is left to the caller (see :class:`_Later`).
    """
    shown = str(path)
    if not path.exists():
        return 0
    if path.is_dir():
        raise StoreError(
            f"{shown} is a folder, not a history database; use --db FILE.",
            reason="folder",
            path=shown,
        )
    if not stat.S_ISREG(path.stat().st_mode):
        # A FIFO would block the first read forever, a device would be read without end.
        raise StoreError(
            f"{shown} is not a regular file; use --db with a file path.",
            reason="not_a_file",
            path=shown,
        )
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(
            f"cannot read {shown}: {exc.strerror}",
            reason="unreadable",
            path=shown,
            detail=exc.strerror,
        ) from None
    if not header:
        return 0  # an empty file is an empty database to SQLite
    if header != SQLITE_HEADER:
        raise StoreError(
            f"{shown} is not a mockint history database (not an SQLite file); it was left "
            "untouched. Use --db with another path.",
            reason="foreign",
            path=shown,
        )
    leftovers = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
    ours = [side for side in leftovers if not side.exists()]
    conn = None
    try:
        conn = _connect_readonly(path, timeout)
        return _inspect(conn, path, pages)
    except (sqlite3.Error, StoreError) as exc:
        if conn is not None:
            conn.close()
        _remove_empty_journal(ours)
        raise (_translate(shown, exc) if isinstance(exc, sqlite3.Error) else exc) from None
    finally:
        if conn is not None:
            conn.close()


def _connect_readonly(path: Path, timeout: float) -> sqlite3.Connection:
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=timeout, check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError as exc:
        # A WAL database in a folder nobody may write to: SQLite cannot make its -shm file. With
        # no -wal file there is nothing but the database itself to read, so read it as is.
        cannot_write = "readonly" in str(exc) or "unable to open" in str(exc)
        if not cannot_write or Path(f"{path}-wal").exists() or os.access(path.parent, os.W_OK):
            conn.close()
            raise
        conn.close()
    return sqlite3.connect(
        f"{uri}?mode=ro&immutable=1", uri=True, timeout=timeout, check_same_thread=False
    )


def _remove_empty_journal(created: list[Path]) -> None:
    """Remove the -wal/-shm files an inspection created, when the -wal holds nothing."""
    wal = next((p for p in created if p.name.endswith("-wal")), None)
    if wal is not None and wal.exists() and wal.stat().st_size > 0:
        return
    for side in created:
        with suppress(OSError):
            side.unlink(missing_ok=True)


def _inspect(conn: sqlite3.Connection, path: Path, pages: bool) -> int:
    shown = str(path)
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        return 0
    version = None
    if "meta" in tables:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("app", APP_ID) == APP_ID and str(meta.get("schema_version", "")).isdigit():
            version = int(meta["schema_version"])
    if version is None:
        listed = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
        raise StoreError(
            f"{shown} is an SQLite database but not mockint's (tables: {listed}); it was "
            "left untouched. Use --db with another path.",
            reason="foreign",
            path=shown,
        )
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{shown} was written by a newer mockint (history schema v{version}; this one "
            f"reads up to v{SCHEMA_VERSION}); it was left untouched. Upgrade mockint.",
            reason="newer",
            path=shown,
            version=version,
            supported=SCHEMA_VERSION,
        )
    for table, columns in _expected_schema(version).items():
        found = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        missing = [c for c in columns if c not in found]
        if not found or missing:
            if not found:
                raise _corrupt_error(
                    shown, f"no table {table}", reason="damaged_table", table=table
                )
            raise _corrupt_error(
                shown,
                f"table {table} has no {missing[0]}",
                reason="damaged_column",
                table=table,
                column=missing[0],
            )
    # Damage in the schema or the meta table shows above; damage in the data pages only
    # shows when they are read, so check them now rather than half-way through an interview.
    # The check reads the whole file (a fifth of a second for 50,000 answers): a file found
    # whole and not written since is not read through again.
    if pages and not _checked(path, "pages"):
        state = _file_state(path)
        _check_pages(conn, path)
        _passed(path, "pages", state)
    return version


def _check_pages(conn: sqlite3.Connection, path: Path) -> None:
    """SQLite's check of every page of the file (structure, not contents); raises
    :class:`StoreError` for a damaged file."""
    problem = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
    if problem != "ok":
        found = " ".join(problem.split())[:120]
        raise _corrupt_error(
            str(path), "integrity check: " + found, reason="damaged_pages", found=found
        )


def _check_rows(conn: sqlite3.Connection, path: Path) -> None:
    """:func:`_damaged_row` as a check: raises :class:`StoreError` naming the row."""
    problem = _damaged_row(conn, path)
    if problem:
        raise StoreError(problem)


class _Later:
    """A whole-file check (``"pages"``: :func:`_check_pages`, ``"rows"``: :func:`_check_rows`)
    in a thread, on a read-only connection of its own, for a store that reads before it
    writes: SQLite lets go of Python's lock while it reads the file, so the caller's queries
    and computing go on meanwhile. :meth:`Store.verify` waits for it, and the store before it
    commits anything."""

    def __init__(self, path: Path, timeout: float, check: str):
        self.path = path
        self.timeout = timeout
        self.check = check
        self.problem: StoreError | None = None
        # What the check covers: a write by another process during it is not vouched for.
        self._state = _file_state(path)
        self._thread = threading.Thread(target=self._run, name=f"mockint-{check}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        check = _check_pages if self.check == "pages" else _check_rows
        try:
            with closing(_connect_readonly(self.path, self.timeout)) as conn:
                check(conn, self.path)
        except sqlite3.Error as exc:
            self.problem = _translate(str(self.path), exc)
        except StoreError as exc:
            self.problem = exc
        else:
            _passed(self.path, self.check, self._state)

    def wait(self) -> StoreError | None:
        """Wait for the check; the damage it found, or None."""
        self._thread.join()
        return self.problem


_CHECKED_FILE = "checked-databases.json"
"""In the cache dir: each database found whole, with the state of its files then."""


def _file_state(path: Path) -> list | None:
    """What changes whenever a database's content does: its file's identity, size and times,
    and its WAL's size and times (None: the file cannot be looked at)."""
    try:
        main = path.stat()
        wal = Path(f"{path}-wal")
        wal_stat = wal.stat() if wal.exists() else None
    except OSError:
        return None
    written = [wal_stat.st_size, wal_stat.st_mtime_ns] if wal_stat and wal_stat.st_size else None
    return [main.st_dev, main.st_ino, main.st_size, main.st_mtime_ns, main.st_ctime_ns, written]


def _checked_file() -> Path:
    from mockint import locations

    return locations.cache_dir() / _CHECKED_FILE


def _checked(path: Path, check: str) -> bool:
    """Whether ``check`` passed on this database as its files stand now."""
    state = _file_state(path)
    try:
        known = json.loads(_checked_file().read_text(encoding="utf-8"))
        return state is not None and known[str(path.resolve())][check] == state
    except (OSError, ValueError, KeyError, TypeError):
        return False


_PASSED_LOCK = threading.Lock()


def _passed(path: Path, check: str, state: list | None) -> None:
    """Remember that ``check`` passed on this database as its files stood in ``state`` (from
    :func:`_file_state` before the check began; best effort: an unwritable cache only means
    checking again)."""
    if state is None:
        return
    # The page check of check_later runs in a thread of its own: one writer at a time here.
    with _PASSED_LOCK, suppress(OSError):
        target = _checked_file()
        try:
            read = json.loads(target.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            read = {}
        # Databases since deleted are forgotten, so the file stays as small as their number.
        known = {
            name: entry
            for name, entry in (read.items() if isinstance(read, dict) else [])
            if isinstance(entry, dict) and Path(name).exists()
        }
        key = str(path.resolve())
        known[key] = {**known.get(key, {}), check: state}
        temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        temp.write_text(json.dumps(known), encoding="utf-8")
        os.replace(temp, target)


_SCHEMAS: dict[int, dict[str, list[str]]] = {}


def _expected_schema(version: int) -> dict[str, list[str]]:
    """Each table's columns at schema ``version``, from running the migrations in memory."""
    if version not in _SCHEMAS:
        conn = sqlite3.connect(":memory:")
        for statements in MIGRATIONS[:version]:
            for sql in statements:
                conn.execute(sql)
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        _SCHEMAS[version] = {
            name: [row[1] for row in conn.execute(f"PRAGMA table_info({name})")] for name in names
        }
        conn.close()
    return _SCHEMAS[version]


def _backup_path(path: Path, version: int) -> Path:
    candidate = path.with_name(f"{path.name}.bak-v{version}")
    counter = 1
    # Never overwrite an earlier backup: it may be the only copy of an older history.
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.bak-v{version}.{counter}")
        counter += 1
    return candidate


def open_store(
    path: Path | str | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    clock: Clock | None = None,
    readonly: bool = False,
    on_busy: Callable[[str], None] | None = None,
    check_later: bool = False,
) -> Store:
    """Open (creating or upgrading) the history database; the default is the data dir's.

    ``timeout`` is how long a write waits for another process holding the database (see
    :attr:`Store.patience`), opening included; ``on_busy`` is told when opening waits long (see
    :attr:`Store.on_busy`); ``clock`` returns the current time (tests inject one). With
    ``readonly`` nothing is created, upgraded or written (for commands that only read: they
    then work in a read-only folder too). Raises :class:`StoreError` for a database mockint
    cannot use, which is then left untouched.

    With ``check_later`` (for a command that reads first and writes last), a file that opening
    does not write to (in WAL mode, at this schema version) has its pages checked while the
    caller reads: the store waits for that check before it commits anything, and
    :meth:`Store.verify` waits for it and raises for a damaged file.
    """
    from mockint import locations

    if path is not None and str(path) == ":memory:":
        db = Database(sqlite3.connect(":memory:", check_same_thread=False))
        store = Store(db, Path(":memory:"), clock=clock)
        store._migrate(0)
        return store

    path = Path(path).expanduser() if path is not None else locations.database_path()
    if not path.parent.exists():
        raise StoreError(
            f"cannot create {path}: the folder {path.parent} does not exist.",
            reason="no_folder",
            path=path,
            folder=path.parent,
        )
    existed = path.exists()
    later = check_later and not readonly and _in_wal_mode(path)
    version = inspect_database(path, timeout, pages=not later)
    if later and version != SCHEMA_VERSION:
        # Opening it will write (an upgrade, a new history): every page is checked first.
        later = False
        version = inspect_database(path, timeout)
    if readonly:
        return _open_readonly(path, version, timeout, clock)
    backup = None
    try:
        conn = sqlite3.connect(str(path), timeout=timeout, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreError(
            f"cannot open {path}: {exc}", reason="unreadable", path=path, detail=exc
        ) from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        if 0 < version < SCHEMA_VERSION:
            backup = _backup_path(path, version)
            with sqlite3.connect(str(backup)) as target:
                conn.backup(target)
            target.close()
        db = Database(conn)
        store = Store(db, path, clock=clock, patience=timeout)
        store.on_busy = on_busy
        # WAL lets the TUI read while another process writes; FULL makes each commit durable.
        store._use_wal()
        conn.execute("PRAGMA synchronous = FULL")
        if existed and version == 0:
            store.notices.append(
                Reasoned(
                    f"{path} was an empty file; it now holds a new mockint history.",
                    reason="emptied",
                    path=path,
                )
            )
        if version < SCHEMA_VERSION:
            store._migrate(version)
        if later:
            store._later = []
            if not _checked(path, "pages"):
                store._later.append(_Later(path, timeout, "pages"))
        return store
    except sqlite3.Error as exc:
        conn.close()
        raise _readonly_hint(path, exc) or _translate(str(path), exc) from None
    except BaseException:
        conn.close()
        raise


def _in_wal_mode(path: Path) -> bool:
    """Whether the file's header says WAL mode (switching to it writes; being in it does not)."""
    try:
        with path.open("rb") as handle:
            header = handle.read(20)
    except OSError:
        return False
    # Bytes 18 and 19: the file format versions to write and read, 2 in WAL mode.
    return header.startswith(SQLITE_HEADER) and header[18:20] == b"\x02\x02"


def _open_readonly(path: Path, version: int, timeout: float, clock: Clock | None) -> Store:
    if version == 0:
        # Nothing recorded yet: an empty history, without creating a file.
        return open_store(":memory:", clock=clock)
    if version < SCHEMA_VERSION:
        raise StoreError(
            f"{path} is from an older mockint and must be upgraded first; run `mockint "
            "history` where its folder is writable (a backup copy is kept)."
        )
    try:
        conn = _connect_readonly(path, timeout)
    except sqlite3.Error as exc:
        raise _translate(str(path), exc) from None
    store = Store(Database(conn), path, clock=clock, patience=timeout)
    store.readonly = True
    return store


def _readonly_hint(path: Path, exc: sqlite3.Error) -> StoreError | None:
    if "readonly" not in str(exc) and "unable to open" not in str(exc):
        return None
    return StoreError(
        f"{path} cannot be written (read-only file or folder); `history` and `report` still "
        "read it, but interviews need write access: fix the permissions or use --db PATH.",
        reason="readonly",
        path=path,
    )


def _guarded(method):
    """Turn SQLite errors into one-line StoreErrors and serialise access to the connection."""

    @wraps(method)
    def wrapper(self: Store, *args, **kwargs):
        with self._lock:
            try:
                return method(self, *args, **kwargs)
            except sqlite3.Error as exc:
                raise self._error(exc) from None
            except OverflowError:
                # An id past SQLite's 64-bit integers names nothing that could be stored.
                raise StoreError("a number given is too large to be a history id.") from None

    return wrapper


def _as_bound(value: str | date | datetime | None, end: bool) -> tuple[str, bool] | None:
    """A ``since``/``until`` filter as (UTC ISO string, inclusive). A bare date means that
    whole local day, so as an upper bound it is the next day's start, exclusive."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        value = (
            date.fromisoformat(text)
            if len(text) == 10
            else datetime.fromisoformat(text.replace("Z", "+00:00"))
        )
    inclusive = True
    if not isinstance(value, datetime):
        day = value + timedelta(days=1) if end else value
        value = datetime.combine(day, time.min).astimezone()
        inclusive = not end
    if value.tzinfo is None:
        value = value.astimezone()
    return value.astimezone(UTC).isoformat(timespec="milliseconds"), inclusive


def _as_text(value: Any) -> str:
    """A text column as text, even when a damaged row holds a blob or a number."""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return "" if value is None else str(value)


# Rows other tools (or damage) may have left, which the queries of reports cannot read: each a
# description and a query returning (session id, row id, the bad value) of the first such row.
_DAMAGE_CHECKS = [
    ("answer {row} has a time that is not a date: {value!r}",
     "SELECT session_id, id, created_at FROM answers WHERE julianday(created_at) IS NULL"),
    ("answer {row} holds binary data instead of text",
     "SELECT session_id, id, NULL FROM answers WHERE typeof(text) != 'text'"),
    ("session {row} has a start time that is not a date: {value!r}",
     "SELECT id, id, started_at FROM sessions WHERE julianday(started_at) IS NULL"),
    ("session {row} has an end time that is not a date: {value!r}",
     "SELECT id, id, ended_at FROM sessions "
     "WHERE ended_at IS NOT NULL AND julianday(ended_at) IS NULL"),
    ("session {row} has a damaged question plan",
     "SELECT id, id, NULL FROM sessions WHERE plan_json IS NOT NULL AND NOT json_valid(plan_json)"),
    ("question {row} was asked at a time that is not a date: {value!r}",
     "SELECT session_id, id, asked_at FROM asked WHERE julianday(asked_at) IS NULL"),
    # Only the score: no aggregate parses grade_json (a report falls back on the key point
    # rows when it cannot), and validating it for every answer cost more than all the rest.
    ("the grade of answer {row} is damaged",
     "SELECT a.session_id, g.answer_id, NULL FROM grades g JOIN answers a ON a.id = g.answer_id "
     "WHERE typeof(g.score) NOT IN ('real', 'integer')"),
]  # fmt: skip


def _damaged_row(conn: sqlite3.Connection, path: Path) -> str | None:
    """:meth:`Store.damaged_row`'s queries on ``conn``, without remembering anything."""
    for description, sql in _DAMAGE_CHECKS:
        found = conn.execute(sql + " LIMIT 1").fetchone()
        if found:
            session_id, row, value = found
            what = description.format(row=row, value=value)
            return (
                f"{path}: {what} (a damaged row); delete session {session_id} with "
                f"`mockint history --delete {session_id}`, or restore a backup copy."
            )
    return None


def _require_session(conn: sqlite3.Connection, session_id: int) -> None:
    if conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is None:
        raise StoreError(f"there is no session {session_id} (see `mockint history`).")


_ANSWER_COLUMNS = """
    a.id AS answer_id, a.session_id, a.asked_id, s.position, s.bank_id, s.question_id,
    s.question_hash, s.asked_at, a.kind, a.text, a.source, a.duration_s, a.hints_used,
    a.skipped, a.created_at,
    g.score, g.verdict, g.model, g.language, g.coverage, g.penalty, g.follow_up,
    g.follow_up_key_point, g.feedback, g.override_score, g.override_at,
    COALESCE(g.override_score, g.score) AS effective_score
"""


class _LiveSessions:
    """Which sessions an interview is running on right now, across processes.

    A running interview locks one byte of the file ``<db>-live``, at its session id: an open
    file description lock (Linux), which the kernel drops when the process ends however it
    ends (kill -9 included), so a stale "running" session cannot exist. Elsewhere this is a
    no-op and the interview survives the deletion of its session instead (see Interview).
    """

    _FLOCK = "hhqqi4x"  # struct flock: l_type, l_whence, l_start, l_len, l_pid (+ padding)

    def __init__(self, path: Path):
        self.path = Path(f"{path}-live")
        self._fd: int | None = None
        # An in-memory store is one process's alone: nothing to mark.
        self.supported = hasattr(_fcntl(), "F_OFD_SETLK") and str(path) != ":memory:"

    def hold(self, session_id: int) -> None:
        """Mark the session as running in this process (best effort: a read-only folder or
        another platform only loses the protection)."""
        if not self.supported:
            return
        fcntl = _fcntl()
        try:
            if self._fd is None:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            lock = struct.pack(self._FLOCK, fcntl.F_RDLCK, os.SEEK_SET, session_id, 1, 0)
            fcntl.fcntl(self._fd, fcntl.F_OFD_SETLK, lock)
        except (OSError, OverflowError, struct.error):
            pass

    def running_elsewhere(self, session_id: int) -> bool:
        """Whether another process (or another Store) runs an interview on this session."""
        if not self.supported or not self.path.exists():
            return False
        fcntl = _fcntl()
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CLOEXEC)
        except OSError:
            return False
        try:
            query = struct.pack(self._FLOCK, fcntl.F_WRLCK, os.SEEK_SET, session_id, 1, 0)
            answer = fcntl.fcntl(fd, fcntl.F_OFD_GETLK, query)
            return struct.unpack(self._FLOCK, answer)[0] != fcntl.F_UNLCK
        except (OSError, OverflowError, struct.error):
            return False
        finally:
            os.close(fd)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _fcntl():
    try:
        import fcntl
    except ImportError:  # not on Windows
        return None
    return fcntl


class Store:
    """The history database. Build it with :func:`open_store`."""

    def __init__(
        self,
        db: Database,
        path: Path,
        clock: Clock | None = None,
        patience: float | None = DEFAULT_TIMEOUT,
    ):
        self.db = db
        """The sqlite-utils Database, for queries this class does not offer: run them inside
        :meth:`read` or :meth:`transaction`, which hand it out."""
        self.path = path
        self.clock = clock
        self.patience = patience
        """How long a write waits for another process holding the database before it fails
        (seconds); None waits as long as it takes: an interview sets that, so an answer is
        never dropped because someone else is writing."""
        self.on_busy: Callable[[str], None] | None = None
        """Called (once per write) with a sentence for the user when a write has waited
        :data:`BUSY_NOTICE_S` for another process; the interview faces show it."""
        self.notices: list[Reasoned] = []
        """Things worth telling the user about the file that did not stop it being used."""
        self.readonly = False
        self._live = _LiveSessions(path)
        self._lock = threading.RLock()
        # The transaction the connection is in ("read" or "write") and how many savepoints are
        # nested in it; only the thread holding the lock reads or changes them.
        self._open: str | None = None
        self._depth = 0
        self._later: list[_Later] | None = None
        """The checks running in the background (see open_store's ``check_later``); None: the
        store was not opened for them."""

    # -- consistent reads and transactions -----------------------------------------------------

    @contextmanager
    def read(self) -> Iterator[Database]:
        """Read the history as one consistent snapshot: for several queries that must agree.

            with store.read() as db:
                asked = db.execute("SELECT count(*) FROM asked").fetchone()[0]
                answers = db.execute("SELECT count(*) FROM answers").fetchone()[0]

        The block holds the store (other threads' calls wait until it ends) and runs as one
        SQLite read transaction, so an answer another process commits meanwhile shows in all of
        the block's queries or in none. Store methods and a nested :meth:`read` inside the
        block join it; writing inside it raises RuntimeError (use :meth:`transaction`). SQLite
        errors in the block become :class:`StoreError`.
        """
        with self._hold("read"):
            yield self.db

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """Read and write as one transaction, committed when the block ends and rolled back
        entirely if it raises.

        SQLite's write lock is taken up front (``BEGIN IMMEDIATE``), so what the block reads is
        still true when it writes, and a writer in another process makes it wait (up to the
        store's timeout) instead of failing half-way. The block holds the store against other
        threads. Store methods, :meth:`read` and nested transactions inside it join it; a
        nested transaction is a savepoint, undone alone if it raises. SQLite errors in the
        block become :class:`StoreError`.
        """
        with self._hold("write"):
            yield self.db

    @contextmanager
    def _hold(self, mode: str) -> Iterator[sqlite3.Connection]:
        """The connection, for this thread only, inside a transaction of ``mode`` ("read" or
        "write"): a new one, or the one this thread already has open."""
        with self._lock:
            if self._open == "read" and mode == "write":
                raise RuntimeError("cannot write inside Store.read(); use Store.transaction()")
            conn = self.db.conn
            try:
                if self._open is None:
                    with self._outermost(conn, mode):
                        yield conn
                elif mode == "write":
                    with self._savepoint(conn):
                        yield conn
                else:
                    yield conn
            except sqlite3.Error as exc:
                raise self._error(exc) from None

    def _error(self, exc: sqlite3.Error) -> StoreError:
        """The StoreError for an SQLite error; while checks run in the background, what they
        find first (a damaged page may be read before the page check reports it)."""
        return self._found() or _translate(str(self.path), exc)

    def _found(self) -> StoreError | None:
        """Wait for the checks running in the background; what the first one found, or None."""
        problems = [check.wait() for check in self._later or ()]
        return next(filter(None, problems), None)

    def verify(self) -> None:
        """Wait for the checks running in the background (:func:`open_store`'s
        ``check_later``, :meth:`check_rows`); raises :class:`StoreError` for a damaged file or
        row, with nothing committed. A no-op without such checks or once they passed."""
        damage = self._found()
        if damage is not None:
            raise damage
        if self._later:
            self._later = []

    def _begin_write(self, conn: sqlite3.Connection) -> None:
        """``BEGIN IMMEDIATE``, waiting for another process's write as long as
        :attr:`patience` allows, and telling :attr:`on_busy` once the wait is noticeable."""
        if self.readonly:
            raise StoreError(f"{self.path} was opened read-only; this command cannot change it.")
        self._patiently(conn, "BEGIN IMMEDIATE")

    def _use_wal(self) -> None:
        """Put the file in WAL mode (a no-op once it is), waiting like a write.

        Switching a rollback-journal file to WAL, a new file included, takes its write lock
        after a read lock, and SQLite fails at once ("database is locked") instead of waiting
        when another connection holds the write lock then: the busy timeout is not consulted.
        Two processes creating one history at the same moment meet exactly there, so the
        switch is retried here for as long as a write would wait."""
        self._patiently(self.db.conn, "PRAGMA journal_mode = WAL")

    def _patiently(self, conn: sqlite3.Connection, sql: str) -> None:
        """Run ``sql``, retrying while another process holds the database, as long as
        :attr:`patience` allows, and telling :attr:`on_busy` once the wait is noticeable."""
        # Short busy waits, retried here, so that a long wait can be reported as it happens.
        busy_ms = conn.execute("PRAGMA busy_timeout").fetchone()[0]
        conn.execute(f"PRAGMA busy_timeout = {_BUSY_STEP_MS}")
        try:
            self._retry(conn, sql)
        finally:
            conn.execute(f"PRAGMA busy_timeout = {busy_ms}")

    def _retry(self, conn: sqlite3.Connection, sql: str) -> None:
        started = _time.monotonic()
        told = False
        while True:
            try:
                conn.execute(sql)
                return
            except sqlite3.OperationalError as exc:
                waited = _time.monotonic() - started
                if not _is_locked(exc) or (self.patience is not None and waited >= self.patience):
                    raise
                if not told and waited >= BUSY_NOTICE_S and self.on_busy is not None:
                    told = True
                    self.on_busy(
                        Reasoned(
                            f"{self.path.name} is busy: another program is writing to it. "
                            "Waiting to save; nothing is lost.",
                            reason="busy",
                            name=self.path.name,
                        )
                    )
                # Some lock waits fail at once, without SQLite's busy wait: pause between tries.
                _time.sleep(_BUSY_PAUSE_S)

    @contextmanager
    def _outermost(self, conn: sqlite3.Connection, mode: str) -> Iterator[None]:
        # IMMEDIATE takes the write lock at BEGIN: a concurrent writer makes us wait rather
        # than fail at the first write. A plain BEGIN reads one snapshot (WAL).
        if mode == "write":
            self._begin_write(conn)
        else:
            conn.execute("BEGIN")
        self._open = mode
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        else:
            try:
                if mode == "write":
                    self.verify()  # nothing is committed to a file not known to be whole
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        finally:
            self._open = None

    @contextmanager
    def _savepoint(self, conn: sqlite3.Connection) -> Iterator[None]:
        self._depth += 1
        name = f"mockint_{self._depth}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute(f"ROLLBACK TO {name}")
                conn.execute(f"RELEASE {name}")
            raise
        else:
            conn.execute(f"RELEASE {name}")
        finally:
            self._depth -= 1

    # -- plumbing ------------------------------------------------------------------------------

    def _now(self) -> str:
        return _now_iso(self.clock)

    def _write(self) -> AbstractContextManager[sqlite3.Connection]:
        """One write transaction, for the methods below (see :meth:`transaction`)."""
        return self._hold("write")

    def _migrate(self, version: int) -> None:
        try:
            with self._write() as conn:
                # Another process may have upgraded the file since we inspected it.
                if "meta" in self.db.table_names():
                    row = conn.execute(
                        "SELECT value FROM meta WHERE key = 'schema_version'"
                    ).fetchone()
                    version = int(row[0]) if row else 0
                for statements in MIGRATIONS[version:]:
                    for sql in statements:
                        conn.execute(sql)
                if version < SCHEMA_VERSION:
                    conn.executemany(
                        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                        [
                            ("app", APP_ID),
                            ("schema_version", str(SCHEMA_VERSION)),
                            (f"migrated_to_v{SCHEMA_VERSION}_at", self._now()),
                        ],
                    )
        except sqlite3.Error as exc:
            raise _translate(str(self.path), exc) from None

    def close(self) -> None:
        with self._lock:
            # Their connections first: the last one to close takes the -wal and -shm along.
            self._found()
            self._live.close()
            self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @property
    @_guarded
    def schema_version(self) -> int:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0])

    # -- sessions ------------------------------------------------------------------------------

    @_guarded
    def start_session(
        self,
        mode: str = "mock",
        bank_id: str | None = None,
        language: str = "en",
        client: str = "cli",
        plan: Sequence[str] | None = None,
    ) -> int:
        """Record the start of an interview; ``plan`` is the question ids it means to ask
        (kept so an interrupted session can be resumed)."""
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO sessions (started_at, mode, bank_id, language, client, plan_json) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    self._now(),
                    mode,
                    bank_id,
                    language,
                    client,
                    json.dumps(list(plan)) if plan is not None else None,
                ),
            )
            return int(cursor.lastrowid)

    @_guarded
    def end_session(self, session_id: int) -> None:
        """Mark a session finished (it no longer shows as resumable)."""
        with self._write() as conn:
            conn.execute(
                "UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL",
                (self._now(), session_id),
            )

    @_guarded
    def reopen_session(self, session_id: int) -> None:
        """Mark a session unfinished again (resuming it)."""
        with self._write() as conn:
            conn.execute("UPDATE sessions SET ended_at = NULL WHERE id = ?", (session_id,))

    _SESSION_SQL = """
        SELECT s.id, s.started_at, s.ended_at, s.mode, s.bank_id, s.language, s.client,
               s.plan_json,
               (SELECT count(*) FROM asked q WHERE q.session_id = s.id) AS n_asked,
               (SELECT count(*) FROM answers a
                 WHERE a.session_id = s.id AND a.kind = 'main' AND a.skipped = 0) AS n_answers,
               (SELECT count(*) FROM answers a
                 WHERE a.session_id = s.id AND a.kind = 'main' AND a.skipped = 1) AS n_skipped,
               (SELECT count(*) FROM answers a
                 WHERE a.session_id = s.id AND a.kind = 'follow_up') AS n_follow_ups,
               (SELECT avg(COALESCE(g.override_score, g.score))
                  FROM answers a JOIN grades g ON g.answer_id = a.id
                 WHERE a.session_id = s.id AND a.kind = 'main') AS mean_score,
               (SELECT max(a.created_at) FROM answers a WHERE a.session_id = s.id)
                 AS last_answer_at
          FROM sessions s
    """

    @_guarded
    def damaged_row(self) -> str | None:
        """One line naming the first row the reports cannot read (a damaged or hand-edited
        database that passes SQLite's own check) and what to do, or None when all is well."""
        # Like the page check: a file found whole and not written since is not scanned again.
        if _checked(self.path, "rows"):
            return None
        state = _file_state(self.path)
        with self.read() as db:
            problem = _damaged_row(db.conn, self.path)
        if problem is None:
            _passed(self.path, "rows", state)
        return problem

    @_guarded
    def check_rows(self, later: bool = False) -> None:
        """Refuse a database holding a row the reports and schedules cannot read: raises
        :class:`StoreError` with :meth:`damaged_row`'s line. With ``later``, on a store whose
        pages are checked in the background (``check_later``), the rows are too, and
        :meth:`verify` raises instead."""
        if later and self._later is not None and not _checked(self.path, "rows"):
            self._later.append(_Later(self.path, self.patience or DEFAULT_TIMEOUT, "rows"))
            return
        problem = self.damaged_row()
        if problem:
            raise StoreError(problem)

    def hold_session(self, session_id: int) -> None:
        """Mark a session as running here, so another process cannot delete it meanwhile."""
        self._live.hold(session_id)

    @staticmethod
    def _session_row(row: dict) -> dict:
        plan = row.pop("plan_json", None)
        try:
            row["plan"] = json.loads(plan) if plan else None
        except (ValueError, TypeError):
            row["plan"] = None  # a damaged plan: the asked questions still say what was asked
        if not (isinstance(row["plan"], list) and all(isinstance(q, str) for q in row["plan"])):
            row["plan"] = None
        row["n_planned"] = len(row["plan"]) if row["plan"] is not None else None
        return row

    @_guarded
    def sessions(self, limit: int | None = None) -> list[dict]:
        """Sessions, newest first: id, started_at, ended_at, mode, bank_id, language, client,
        plan, n_planned, n_asked, n_answers (main answers, skips excluded), n_skipped,
        n_follow_ups, mean_score (mean effective score of graded main answers), last_answer_at."""
        sql = self._SESSION_SQL + " ORDER BY s.started_at DESC, s.id DESC"
        params: list[Any] = []
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [self._session_row(row) for row in self.db.query(sql, params)]

    @_guarded
    def session(self, session_id: int) -> dict | None:
        """One session as :meth:`sessions` describes it, or None."""
        rows = list(self.db.query(self._SESSION_SQL + " WHERE s.id = ?", [session_id]))
        return self._session_row(rows[0]) if rows else None

    @_guarded
    def unfinished_sessions(self) -> list[dict]:
        """Sessions never ended (interrupted, or still running elsewhere), newest first."""
        sql = self._SESSION_SQL + " WHERE s.ended_at IS NULL ORDER BY s.started_at DESC, s.id DESC"
        return [self._session_row(row) for row in self.db.query(sql)]

    @_guarded
    def delete_session(self, session_id: int) -> int:
        """Delete a session with everything recorded in it; returns how many answers went.

        A session whose interview is running in another process is refused."""
        if self._live.running_elsewhere(session_id):
            raise StoreError(
                f"session {session_id} is an interview running right now in another mockint; "
                "finish or quit it first, then delete it."
            )
        with self._write() as conn:
            _require_session(conn, session_id)
            answers = "SELECT id FROM answers WHERE session_id = ?"
            for table in ("speech_metrics", "misconception_results", "key_point_results", "grades"):
                conn.execute(f"DELETE FROM {table} WHERE answer_id IN ({answers})", (session_id,))
            conn.execute("DELETE FROM drafts WHERE session_id = ?", (session_id,))
            count = conn.execute("DELETE FROM answers WHERE session_id = ?", (session_id,)).rowcount
            conn.execute("DELETE FROM asked WHERE session_id = ?", (session_id,))
            conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
            return count

    # -- questions and answers -----------------------------------------------------------------

    @_guarded
    def ask(self, session_id: int, bank_id: str, question: Question) -> int:
        """Record that ``question`` was put to the candidate; returns the asked id."""
        with self._write() as conn:
            _require_session(conn, session_id)
            (position,) = conn.execute(
                "SELECT COALESCE(max(position), 0) + 1 FROM asked WHERE session_id = ?",
                (session_id,),
            ).fetchone()
            cursor = conn.execute(
                "INSERT INTO asked (session_id, position, bank_id, question_id, question_hash, "
                "asked_at) VALUES (?, ?, ?, ?, ?, ?)",
                (session_id, position, bank_id, question.id, question.content_hash(), self._now()),
            )
            return int(cursor.lastrowid)

    @_guarded
    def asked(self, session_id: int) -> list[dict]:
        """The questions asked in a session, in order, each with ``answered`` (a main answer
        or a skip was recorded) and ``main_answer_id``."""
        return list(
            self.db.query(
                """
                SELECT q.*, m.id AS main_answer_id, m.id IS NOT NULL AS answered
                  FROM asked q
                  LEFT JOIN answers m ON m.id = (
                       SELECT id FROM answers WHERE asked_id = q.id AND kind = 'main'
                        ORDER BY id LIMIT 1)
                 WHERE q.session_id = ?
                 ORDER BY q.position
                """,
                [session_id],
            )
        )

    @_guarded
    def record_answer(
        self,
        asked_id: int,
        text: str,
        grade: Grade | None,
        *,
        kind: str = "main",
        source: str = "typed",
        duration_s: float | None = None,
        hints_used: int = 0,
        speech: dict | None = None,
    ) -> int:
        """Store an answer with its grade, key points, misconceptions and speech metrics in
        ONE transaction, committed before returning; returns the answer id."""
        if kind not in ANSWER_KINDS:
            raise ValueError(f"kind must be one of {ANSWER_KINDS}, not {kind!r}")
        if source not in SOURCES:
            raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
        return self._insert_answer(
            asked_id, text, grade, kind, source, duration_s, hints_used, speech, skipped=False
        )

    @_guarded
    def record_skip(self, asked_id: int, *, duration_s: float | None = None) -> int:
        """Record that the candidate skipped the question (a main answer with no text or grade)."""
        return self._insert_answer(
            asked_id, "", None, "main", "typed", duration_s, 0, None, skipped=True
        )

    def _insert_answer(
        self, asked_id, text, grade, kind, source, duration_s, hints_used, speech, skipped
    ) -> int:
        with self._write() as conn:
            row = conn.execute(
                "SELECT session_id, question_id FROM asked WHERE id = ?", (asked_id,)
            ).fetchone()
            if row is None:
                raise StoreError(f"there is no asked question {asked_id}.")
            session_id, question_id = row
            cursor = conn.execute(
                "INSERT INTO answers (asked_id, session_id, kind, text, source, duration_s, "
                "hints_used, skipped, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    asked_id,
                    session_id,
                    kind,
                    text,
                    source,
                    duration_s,
                    int(hints_used),
                    int(skipped),
                    self._now(),
                ),
            )
            answer_id = int(cursor.lastrowid)
            # The draft became this answer: at every instant one of the two holds the text.
            conn.execute("DELETE FROM drafts WHERE session_id = ?", (session_id,))
            if grade is not None:
                self._insert_grade(conn, answer_id, question_id, grade)
            if speech:
                self._insert_speech(conn, answer_id, speech)
            return answer_id

    @_guarded
    def save_draft(self, session_id: int, asked_id: int, kind: str, text: str) -> None:
        """Keep the answer being typed (empty text forgets it); one per session, replaced on
        every save and deleted when an answer is recorded."""
        with self._write() as conn:
            if not text.strip():
                conn.execute("DELETE FROM drafts WHERE session_id = ?", (session_id,))
                return
            # A save that lands after the answer was sent (a slow thread) must not bring the
            # draft back: only a question still waiting for this answer keeps one.
            conn.execute(
                "INSERT OR REPLACE INTO drafts (session_id, asked_id, kind, text, updated_at) "
                "SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM asked WHERE id = ?) "
                "AND NOT EXISTS (SELECT 1 FROM answers WHERE asked_id = ? AND kind = ?)",
                (session_id, asked_id, kind, text, self._now(), asked_id, asked_id, kind),
            )

    @_guarded
    def draft(self, session_id: int) -> dict | None:
        """The unsent answer of a session (asked_id, question_id, kind, text), or None."""
        row = self.db.execute(
            "SELECT d.asked_id, q.question_id, d.kind, d.text FROM drafts d "
            "JOIN asked q ON q.id = d.asked_id WHERE d.session_id = ?",
            [session_id],
        ).fetchone()
        if row is None:
            return None
        return dict(zip(("asked_id", "question_id", "kind", "text"), row, strict=True))

    @_guarded
    def add_grade(self, answer_id: int, grade: Grade) -> None:
        """Grade an answer stored without one (the app stores an answer the moment it is given
        and grades it once the model has loaded); one transaction, committed on return."""
        with self._write() as conn:
            row = conn.execute(
                "SELECT s.question_id FROM answers a JOIN asked s ON s.id = a.asked_id "
                "WHERE a.id = ?",
                (answer_id,),
            ).fetchone()
            if row is None:
                raise StoreError(f"there is no answer {answer_id}.")
            if conn.execute("SELECT 1 FROM grades WHERE answer_id = ?", (answer_id,)).fetchone():
                raise StoreError(f"answer {answer_id} is already graded.")
            self._insert_grade(conn, answer_id, row[0], grade)

    @staticmethod
    def _insert_grade(conn: sqlite3.Connection, answer_id: int, question_id: str, grade) -> None:
        conn.execute(
            "INSERT INTO grades (answer_id, score, verdict, model, language, coverage, penalty, "
            "follow_up, follow_up_key_point, feedback, grade_json) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                answer_id,
                grade.score,
                grade.verdict,
                grade.model,
                grade.language,
                grade.coverage,
                grade.penalty,
                grade.follow_up,
                grade.follow_up_key_point,
                grade.feedback,
                grade.model_dump_json(),
            ),
        )
        conn.executemany(
            "INSERT INTO key_point_results (answer_id, question_id, key_point_id, status, "
            "similarity, credit, weight, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    answer_id,
                    question_id,
                    kp.id,
                    kp.status,
                    kp.similarity,
                    kp.credit,
                    kp.weight,
                    kp.evidence,
                )
                for kp in grade.key_points
            ],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO misconception_results (answer_id, question_id, "
            "misconception_id, evidence) VALUES (?, ?, ?, ?)",
            [(answer_id, question_id, mc.id, mc.evidence) for mc in grade.misconceptions],
        )

    @staticmethod
    def _insert_speech(conn: sqlite3.Connection, answer_id: int, speech: dict) -> None:
        fillers = speech.get("fillers", speech.get("fillers_json"))
        if fillers is not None and not isinstance(fillers, str):
            fillers = json.dumps(fillers, ensure_ascii=False)
        conn.execute(
            "INSERT INTO speech_metrics (answer_id, duration_s, words, wpm, filler_count, "
            "fillers_json, long_pauses, longest_pause_s, metrics_json) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                answer_id,
                speech.get("duration_s"),
                speech.get("words"),
                speech.get("wpm"),
                speech.get("filler_count"),
                fillers,
                speech.get("long_pauses"),
                speech.get("longest_pause_s"),
                json.dumps(speech, ensure_ascii=False, default=str),
            ),
        )

    @_guarded
    def set_override(self, answer_id: int, score: float | None) -> None:
        """The candidate's own score for an answer (None clears it); it wins over the grade."""
        if score is not None and not 0 <= score <= 100:
            raise StoreError(f"an override score must be between 0 and 100, not {score}.")
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE grades SET override_score = ?, override_at = ? WHERE answer_id = ?",
                (score, self._now() if score is not None else None, answer_id),
            )
            if cursor.rowcount == 0:
                raise StoreError(f"answer {answer_id} has no grade to override.")

    @_guarded
    def grade(self, answer_id: int) -> Grade | None:
        """The full Grade stored with an answer (None if it was not graded)."""
        from mockint.grading.models import Grade

        row = self.db.execute(
            "SELECT grade_json FROM grades WHERE answer_id = ?", [answer_id]
        ).fetchone()
        return Grade.model_validate_json(row[0]) if row else None

    # -- reading history -----------------------------------------------------------------------

    @_guarded
    def session_answers(self, session_id: int) -> list[dict]:
        """Every answer of a session in the order given, each with its question (position,
        bank_id, question_id, question_hash), grade fields (None when ungraded),
        ``effective_score``, ``key_points`` and ``misconceptions`` (lists of dicts) and
        ``speech`` (dict or None)."""
        with self.read():
            return self._session_answers(session_id)

    def _session_answers(self, session_id: int) -> list[dict]:
        rows = list(
            self.db.query(
                f"""
                SELECT {_ANSWER_COLUMNS}
                  FROM answers a
                  JOIN asked s ON s.id = a.asked_id
                  LEFT JOIN grades g ON g.answer_id = a.id
                 WHERE a.session_id = ?
                 ORDER BY s.position, a.id
                """,
                [session_id],
            )
        )
        if not rows:
            return rows
        for row in rows:
            row["text"] = _as_text(row["text"])
        by_id = {row["answer_id"]: row for row in rows}
        for row in rows:
            row["key_points"] = []
            row["misconceptions"] = []
            row["speech"] = None
        ids = f"SELECT id FROM answers WHERE session_id = {int(session_id)}"
        for kp in self.db.query(
            f"SELECT * FROM key_point_results WHERE answer_id IN ({ids}) ORDER BY rowid"
        ):
            by_id[kp["answer_id"]]["key_points"].append(kp)
        for mc in self.db.query(
            f"SELECT * FROM misconception_results WHERE answer_id IN ({ids}) ORDER BY rowid"
        ):
            by_id[mc["answer_id"]]["misconceptions"].append(mc)
        for speech in self.db.query(f"SELECT * FROM speech_metrics WHERE answer_id IN ({ids})"):
            speech.pop("metrics_json", None)
            by_id[speech["answer_id"]]["speech"] = speech
        return rows

    @_guarded
    def answers(
        self,
        since: str | date | datetime | None = None,
        until: str | date | datetime | None = None,
        bank_id: str | None = None,
        session_id: int | None = None,
    ) -> list[dict]:
        """Flat answer rows, oldest first, for reports: the answer, its question and session,
        grade fields, ``effective_score``, ``key_points_hit/partial/missed`` (id lists),
        ``misconceptions`` (id list) and speech columns (``speech_*``, None when typed).

        ``since``/``until`` take datetimes or ISO strings; a bare date is that whole local day.
        """
        where, params = [], []
        lower, upper = _as_bound(since, end=False), _as_bound(until, end=True)
        if lower:
            where.append("a.created_at >= ?")
            params.append(lower[0])
        if upper:
            where.append("a.created_at <= ?" if upper[1] else "a.created_at < ?")
            params.append(upper[0])
        if bank_id:
            where.append("s.bank_id = ?")
            params.append(bank_id)
        if session_id is not None:
            where.append("a.session_id = ?")
            params.append(session_id)
        sql = f"""
            SELECT {_ANSWER_COLUMNS},
                   se.mode AS session_mode, se.language AS session_language,
                   k.hit AS key_points_hit, k.partial AS key_points_partial,
                   k.missed AS key_points_missed, m.ids AS misconceptions,
                   sp.duration_s AS speech_duration_s, sp.words AS speech_words,
                   sp.wpm AS speech_wpm, sp.filler_count AS speech_filler_count,
                   sp.long_pauses AS speech_long_pauses,
                   sp.longest_pause_s AS speech_longest_pause_s
              FROM answers a
              JOIN asked s ON s.id = a.asked_id
              JOIN sessions se ON se.id = a.session_id
              LEFT JOIN grades g ON g.answer_id = a.id
              LEFT JOIN (
                   SELECT answer_id,
                          group_concat(CASE WHEN status = 'hit' THEN key_point_id END) AS hit,
                          group_concat(CASE WHEN status = 'partial' THEN key_point_id END)
                            AS partial,
                          group_concat(CASE WHEN status = 'miss' THEN key_point_id END) AS missed
                     FROM key_point_results GROUP BY answer_id) k ON k.answer_id = a.id
              LEFT JOIN (
                   SELECT answer_id, group_concat(misconception_id) AS ids
                     FROM misconception_results GROUP BY answer_id) m ON m.answer_id = a.id
              LEFT JOIN speech_metrics sp ON sp.answer_id = a.id
             {"WHERE " + " AND ".join(where) if where else ""}
             ORDER BY a.created_at, a.id
        """
        rows = list(self.db.query(sql, params))
        for row in rows:
            row["text"] = _as_text(row["text"])
            for key in (
                "key_points_hit",
                "key_points_partial",
                "key_points_missed",
                "misconceptions",
            ):
                row[key] = row[key].split(",") if row[key] else []
        return rows
