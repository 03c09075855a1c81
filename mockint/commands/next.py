"""`mockint next`: what to practise now, and why (due date, last score, missed points)."""

from __future__ import annotations

import argparse
import json

from mockint.commands._common import (
    add_command,
    load_library_from_args,
    open_store_from_args,
    positive_int,
)
from mockint.errors import UserError

DESCRIPTION = """\
Show which questions to practise next and why: when each is due, its last score and the key
points it missed. Modes: due (due today, most overdue first), weak (key points most often
missed, lowest recent scores), new (never asked), mock (a mixed interview across topics,
avoiding the last session's questions). Practise them with `mockint interview --mode MODE`.
"""


def register(subparsers) -> None:
    parser = add_command(
        subparsers, "next", handle, help="what to practise next, and why", description=DESCRIPTION
    )
    parser.add_argument(
        "--mode",
        choices=("due", "weak", "new", "mock"),
        default="due",
        help="which questions to pick (default: due)",
    )
    parser.add_argument(
        "-n", type=positive_int, default=5, metavar="N", help="how many (default: 5)"
    )
    parser.add_argument("--bank", metavar="ID", help="only questions from this bank")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def _check_bank(library, bank_id: str | None) -> None:
    import difflib

    if bank_id is None:
        return
    ids = [bank.id for bank in library.banks]
    if bank_id not in ids:
        close = difflib.get_close_matches(bank_id, ids, n=3)
        hint = f" Did you mean: {', '.join(close)}?" if close else f" Banks: {', '.join(ids)}."
        raise UserError(f"unknown bank {bank_id!r}.{hint}")


def handle(args: argparse.Namespace) -> int:
    from mockint import practice

    library = load_library_from_args(args, quiet=args.json)
    _check_bank(library, args.bank)
    # The file's pages and rows are checked while the schedule is read and computed (a quarter
    # of a second for 50,000 answers); it is stored, and shown, only once they are known whole.
    store = open_store_from_args(args, check_rows=True, check_later=True)
    try:
        try:
            selections = practice.select_questions(
                store, library, args.mode, args.n, bank_id=args.bank
            )
            overview = practice.summary(store, library, bank_id=args.bank)
        except Exception:
            store.verify()  # a damaged file explains the failure better than what it caused
            raise
        store.verify()
    finally:
        store.close()
    if args.json:
        payload = {
            "mode": args.mode,
            "bank": args.bank,
            "questions": [s.model_dump(mode="json") for s in selections],
            "summary": overview.model_dump(mode="json"),
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    print(_render(library, args.mode, selections, overview))
    return 0


_HEADINGS = {
    "due": "Due today",
    "weak": "Weak spots",
    "new": "Never asked",
    "mock": "A mock interview",
}

_EMPTY = {
    "due": "Nothing is due today.",
    "weak": "No weak spots: every question you answered went well lately.",
    "new": "Every question has been asked at least once.",
    "mock": "No questions to ask.",
}


def _render(library, mode: str, selections, overview) -> str:
    lines: list[str] = []
    if selections:
        available = {"due": overview.due, "weak": overview.weak, "new": overview.new}.get(mode)
        shown = len(selections)
        count = f"{shown} of {available}" if available and available > shown else str(shown)
        lines.append(f"{_HEADINGS[mode]} ({count}):")
        width = max(len(s.question_id) for s in selections)
        for number, selection in enumerate(selections, start=1):
            _, question = library.find_question(selection.question_id)
            lines.append(f"{number:>2}. {selection.question_id:<{width}}  {selection.reason}")
            lines.append(f"    {_shorten(question.prompt.get('en'), 96)}")
            for label, points in _points_to_show(selection, mode):
                for index, kp_id in enumerate(points[:3]):
                    text = question.key_point(kp_id).text.get("en")
                    prefix = label if index == 0 else " " * len(label)
                    lines.append(f"    {prefix}{_shorten(text, 96 - len(label))}")
                if len(points) > 3:
                    lines.append(f"    {' ' * len(label)}… and {len(points) - 3} more")
    else:
        lines.append(_EMPTY[mode])
    lines.append("")
    lines.append(_footer(overview, mode))
    return "\n".join(lines)


def _points_to_show(selection, mode: str) -> list[tuple[str, list[str]]]:
    """The key points to work on, labelled: the most missed ones for weak spots, what the last
    answer missed or only touched on otherwise."""
    if mode == "weak":
        groups = [("often missed: ", selection.weak_points)]
    else:
        groups = [("missed: ", selection.missed_points), ("partly: ", selection.partial_points)]
    return [(label, points) for label, points in groups if points]


def _footer(overview, mode: str) -> str:
    parts = [
        f"{overview.due} due today",
        f"{overview.weak} weak",
        f"{overview.new} never asked",
        f"{overview.total} questions",
    ]
    line = " · ".join(parts) + "."
    if overview.due == 0 and overview.next_due_at is not None:
        line += (
            f" Next due: {overview.next_due_question} on "
            f"{overview.next_due_at.astimezone().date().isoformat()}."
        )
    if mode == "due" and overview.due == 0 and overview.new:
        line += " Try `mockint next --mode new`."
    return line


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
