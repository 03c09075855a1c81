"""`mockint history`: past sessions, one session's answers with their grades, deleting one."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime

from mockint.commands._common import add_command, open_store_from_args, row_id
from mockint.errors import UserError

DESCRIPTION = """\
List past interview sessions (date, questions answered, mean score), or with SESSION_ID show
each answer of that session with its grade: score, verdict, key points covered and missed (with
your own words as evidence), misconceptions, the follow-up and your answer to it.
--json prints the same as JSON; --delete removes a session and everything recorded in it.
"""


def register(subparsers) -> None:
    parser = add_command(
        subparsers,
        "history",
        handle,
        help="past sessions, or one session's answers with their grades",
        description=DESCRIPTION,
    )
    parser.add_argument(
        "session_id",
        nargs="?",
        type=row_id,
        metavar="SESSION_ID",
        help="show this session's answers with their grades (default: list sessions)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument(
        "--limit", type=int, metavar="N", help="list only the N most recent sessions"
    )
    parser.add_argument(
        "--delete",
        type=row_id,
        metavar="SESSION_ID",
        help="delete a session and its answers (not one whose interview is running)",
    )


def handle(args: argparse.Namespace) -> int:
    # Only deleting writes: listing and showing also work on a file in a read-only folder.
    store = open_store_from_args(args, readonly=args.delete is None)
    try:
        if args.delete is not None:
            count = store.delete_session(args.delete)
            print(f"Deleted session {args.delete} ({count} answer{'s' if count != 1 else ''}).")
            return 0
        if args.session_id is not None:
            return _show_session(store, args)
        return _list_sessions(store, args)
    finally:
        store.close()


def _local(timestamp: str | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if not timestamp:
        return ""
    try:
        return datetime.fromisoformat(timestamp).astimezone().strftime(fmt)
    except (TypeError, ValueError):
        return f"{timestamp!s:.20} (not a date)"  # a damaged row: show what is there


def _list_sessions(store, args: argparse.Namespace) -> int:
    sessions = store.sessions(limit=args.limit)
    if args.json:
        print(json.dumps({"sessions": sessions}, ensure_ascii=False, indent=2))
        return 0
    if not sessions:
        print("No interview sessions yet. Start one with `mockint` or `mockint interview --plain`.")
        return 0
    header = ("ID", "Started", "Mode", "Bank", "Answered", "Mean", "Status")
    rows = []
    for s in sessions:
        planned = s["n_planned"] or s["n_asked"]
        answered = f"{s['n_answers']}/{planned}" if planned else str(s["n_answers"])
        mean = f"{s['mean_score']:.0f}" if s["mean_score"] is not None else "-"
        status = "finished" if s["ended_at"] else "unfinished"
        rows.append(
            (
                str(s["id"]),
                _local(s["started_at"]),
                s["mode"],
                s["bank_id"] or "mixed",
                answered,
                mean,
                status,
            )
        )
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    right = {0, 4, 5}
    for row in [header, *rows]:
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        print("  ".join(cells).rstrip())
    if any(s["ended_at"] is None for s in sessions):
        print("\nContinue an unfinished session with: mockint interview --plain --resume ID")
    return 0


def _library(args: argparse.Namespace):
    """The question banks, for showing key points and prompts as text (ids if unavailable)."""
    from mockint.commands._common import load_library_from_args

    try:
        return load_library_from_args(args, quiet=True)
    except UserError:
        return None  # history still shows, with ids instead of texts


def _show_session(store, args: argparse.Namespace) -> int:
    session = store.session(args.session_id)
    if session is None:
        raise UserError(f"there is no session {args.session_id} (see `mockint history`)")
    answers = store.session_answers(args.session_id)
    if args.json:
        print(json.dumps({"session": session, "answers": answers}, ensure_ascii=False, indent=2))
        return 0
    from mockint.export.text import plural

    library = _library(args)
    language = session["language"] or "en"

    def question_of(question_id: str):
        if library is None:
            return None
        try:
            return library.find_question(question_id)[1]
        except KeyError:
            return None

    def point_text(question, key_point_id: str) -> str:
        if question is not None:
            try:
                return question.key_point(key_point_id).text.get(language)
            except StopIteration:
                pass
        return key_point_id

    ended = f", finished {_local(session['ended_at'])}" if session["ended_at"] else ", unfinished"
    mean = session["mean_score"]
    print(
        f"Session {session['id']}: {session['mode']}, {session['bank_id'] or 'mixed banks'}, "
        f"started {_local(session['started_at'])}{ended}"
    )
    print(
        f"{session['n_answers']} answered, {session['n_skipped']} skipped"
        + (f", mean score {mean:.0f}/100" if mean is not None else "")
    )
    if not answers:
        print("\nNo answers recorded in this session.")
        return 0
    # Best credit per key point of each asked question so far, for the follow-ups' coverage.
    credits: dict[int, dict[str, tuple[float, float]]] = {}
    # The key point each question's follow-up asked about: a follow-up is judged on it.
    follow_up_points: dict[int, str | None] = {}
    for answer in answers:
        question = question_of(answer["question_id"])
        out = sys.stdout
        print(file=out)
        if answer["kind"] == "main":
            title = f"Question {answer['position']}: {answer['question_id']}"
            if question is not None and question.content_hash() != answer["question_hash"]:
                title += " (the question has been edited since)"
            print(title)
            if question is not None:
                print(f"  {question.prompt.get(language)}")
            if answer["skipped"]:
                print("  Skipped.")
                continue
            label = "Answer"
        else:
            label = "Follow-up answer"
        source = " (spoken)" if answer["source"] == "voice" else ""
        print(f"  {label}{source}: {answer['text']}")
        if answer["score"] is None:
            print("  Not graded.")
            continue
        if answer["kind"] == "follow_up":
            known = credits.get(answer["asked_id"], {})
            asked_about = follow_up_points.get(answer["asked_id"])
            _print_follow_up(answer, known, asked_about, question, point_text, language)
            continue
        credits[answer["asked_id"]] = {
            kp["key_point_id"]: (kp["credit"], kp["weight"]) for kp in answer["key_points"]
        }
        follow_up_points[answer["asked_id"]] = answer["follow_up_key_point"]
        line = f"  Score: {answer['score']:.0f}/100 ({answer['verdict']})"
        if answer["override_score"] is not None:
            line += f"; your own score: {answer['override_score']:.0f}"
        if answer["hints_used"]:
            line += f"; {plural(answer['hints_used'], 'hint')} used"
        print(line)
        for status, title in (
            ("hit", "Covered"),
            ("partial", "Partly covered"),
            ("miss", "Missed"),
        ):
            points = [kp for kp in answer["key_points"] if _status(kp) == status]
            if not points:
                continue
            print(f"  {title}:")
            for kp in points:
                if kp["status"] == "partial" and status == "miss":
                    said = " (barely touched on)"
                else:
                    said = f" (you said: {_quote(kp['evidence'])})" if kp["evidence"] else ""
                print(f"    - {point_text(question, kp['key_point_id'])}{said}")
        _print_misconceptions(answer, question, point_text, language)
        if answer["speech"]:
            sp = answer["speech"]
            print(
                f"  Delivery: {sp['wpm'] or 0:.0f} words/min, {sp['filler_count'] or 0} filler(s), "
                f"{sp['long_pauses'] or 0} long pause(s)"
            )
        if answer["kind"] == "main" and answer["follow_up"]:
            print(f"  Follow-up asked: {answer['follow_up']}")
    return 0


def _status(kp: dict) -> str:
    """A key point result's status as the candidate reads it: a sliver of credit is a miss."""
    # Here, not at the top: every command's module is imported at start-up, the grader not.
    from mockint.grading.models import BARELY_CREDIT

    if kp["status"] == "partial" and (kp["credit"] or 0.0) < BARELY_CREDIT:
        return "miss"
    return kp["status"]


def _quote(text: str) -> str:
    """The candidate's words in quotes, on one line (an answer may span several)."""
    return '"' + " ".join(text.split()) + '"'


def _coverage(credits: dict[str, tuple[float, float]]) -> float:
    total = sum(weight for _, weight in credits.values())
    return 100 * sum(c * w for c, w in credits.values()) / total if total else 0.0


def _print_misconceptions(answer: dict, question, point_text, language: str) -> None:
    known = {mc.id: mc for mc in question.misconceptions} if question is not None else {}
    for row in answer["misconceptions"]:
        mistake_id = row["misconception_id"]
        if mistake_id.startswith("contradicts:"):
            # A key point stated the wrong way round: the candidate's words, then the point.
            print(f"  Not right: you said {_quote(row['evidence'])}")
            print(f"    In fact: {point_text(question, mistake_id.removeprefix('contradicts:'))}")
            continue
        mc = known.get(mistake_id)
        print(f"  Wrong: {mc.text.get(language) if mc else mistake_id}")
        print(f"    You said: {_quote(row['evidence'])}")
        if mc:
            print(f"    In fact: {mc.correction.get(language)}")


def _print_follow_up(
    answer: dict, credits: dict, asked_about: str | None, question, point_text, language
) -> None:
    """A follow-up answer: how it did on the point it asked about (the follow-up question
    above it names the point), and what it added to the question's coverage."""
    before = _coverage(credits)
    results = {kp["key_point_id"]: kp for kp in answer["key_points"]}
    if asked_about is not None:
        result = results.get(asked_about)
        said = _POINT_WORDS[_status(result) if result else "miss"]
        print(f"  On the point it asked about: {said}.")
    added = []
    for kp in answer["key_points"]:
        old = credits.get(kp["key_point_id"], (0.0, kp["weight"]))
        if kp["credit"] > old[0]:
            credits[kp["key_point_id"]] = (kp["credit"], kp["weight"])
            if _status(kp) != "miss":
                added.append(kp)
    if added:
        print("  Now covered:")
        for kp in added:
            said = f" (you said: {_quote(kp['evidence'])})" if kp["evidence"] else ""
            print(f"    - {point_text(question, kp['key_point_id'])}{said}")
    else:
        print("  It did not cover anything new.")
    _print_misconceptions(answer, question, point_text, language)
    print(f"  Coverage of the question: {before:.0f}% -> {_coverage(credits):.0f}%")


_POINT_WORDS = {"hit": "covered", "partial": "partly covered", "miss": "missed"}
