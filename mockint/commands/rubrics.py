"""`mockint rubrics`: list, check, create and import question banks."""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import sys
import unicodedata
from pathlib import Path

from mockint.commands._common import add_command, common_options, load_library_from_args
from mockint.errors import UserError

DESCRIPTION = """\
Question banks are TOML files, found in the built-in rubrics/ folder, in the rubrics/
folder of your data dir (MOCKINT_HOME, or the platform's user data dir) and in any
--rubrics PATH. See README.md, "Question banks", for the format."""


def register(subparsers) -> None:
    parser = add_command(
        subparsers,
        "rubrics",
        _show_help,
        help="list, check, create and import question banks",
        description="List, check, create and import question banks.\n\n" + DESCRIPTION,
    )
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    actions = parser.add_subparsers(dest="rubrics_command", metavar="ACTION")
    parser.set_defaults(rubrics_parser=parser)

    def action(name: str, handler, help: str, description: str) -> argparse.ArgumentParser:
        sub = actions.add_parser(
            name,
            help=help,
            description=description,
            parents=[common_options()],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.set_defaults(handler=handler)
        return sub

    listing = action(
        "list",
        run_list,
        "list the banks and their questions",
        "List every question bank on the search path and its questions "
        "(id, topic, difficulty, prompt).",
    )
    listing.add_argument(
        "--lang",
        choices=["en", "zh"],
        default="en",
        help="language of the prompts shown (default: en)",
    )
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")

    check = action(
        "check",
        run_check,
        "validate banks (and lint them with --lint)",
        "Validate question banks: one line per problem, naming file, line, question and field.\n"
        "Exit status 0 when every bank is valid, 1 otherwise. Without PATH, checks the whole\n"
        "search path; with PATHs, checks those files (including ids that collide with the banks\n"
        "on the search path).\n\n"
        "Warnings never fail the check unless --strict. Long key points are always reported;\n"
        "--lint loads the grading model (a few seconds) and also reports near-duplicate key\n"
        "points, misconceptions too close to a correct point, and model answers that do not\n"
        "score at least 90 against their own rubric.",
    )
    check.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        type=Path,
        help="bank files or folders to check (default: the whole search path)",
    )
    check.add_argument(
        "--lint", action="store_true", help="also run the model-based checks (loads the grader)"
    )
    check.add_argument("--strict", action="store_true", help="exit non-zero on warnings too")

    new = action(
        "new",
        run_new,
        "write a commented template bank to start from",
        "Write a commented template question bank with one worked example question.\n"
        "Edit it, then run `mockint rubrics check PATH`. Put it in your data dir's rubrics/\n"
        "folder (or pass --rubrics PATH) for mockint to use it.",
    )
    new.add_argument("path", metavar="PATH", type=Path, help="the .toml file to create")
    new.add_argument(
        "--languages",
        default="en",
        metavar="LANGS",
        help="comma-separated languages every text is written in: en, zh or en,zh (default: en)",
    )
    new.add_argument("--force", action="store_true", help="overwrite PATH if it exists")

    imp = action(
        "import",
        run_import,
        "turn a Markdown or CSV question list into a bank",
        "Turn a question list into a bank whose key points you then edit.\n\n"
        "Markdown (.md): each '## question' heading is a question; the text under it, up to\n"
        "the next heading, is the expected answer. A '# title' heading names the bank.\n"
        "CSV (.csv): a header row with 'question' and 'answer' columns (optional: id, topic,\n"
        "difficulty, time_limit).\n\n"
        "Each expected answer is split into draft key points, one per sentence or clause, with\n"
        "ids from their main words and a draft follow-up question; the language of each question\n"
        "is detected. The bank is written to your data dir's rubrics/ folder (so mockint uses it\n"
        "at once) unless -o says otherwise.",
    )
    imp.add_argument("file", metavar="FILE", type=Path, help="a .md or .csv file")
    imp.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        type=Path,
        help="where to write the bank (default: <data dir>/rubrics/<name>.toml)",
    )
    imp.add_argument(
        "--id", dest="bank_id", metavar="ID", help="the bank's id (default: from the file name)"
    )
    imp.add_argument("--force", action="store_true", help="overwrite the output if it exists")


def _show_help(args: argparse.Namespace) -> int:
    args.rubrics_parser.print_help()
    return 0


# list -----------------------------------------------------------------------------------------


def run_list(args: argparse.Namespace) -> int:
    library = load_library_from_args(args)
    lang = args.lang
    if args.json:
        payload = [
            {
                "id": bank.id,
                "title": bank.title.get(lang),
                "path": str(bank.path) if bank.path else None,
                "languages": list(bank.languages),
                "questions": [
                    {
                        "id": q.id,
                        "topic": q.topic,
                        "topic_title": bank.topic_title(q.topic, lang),
                        "difficulty": q.difficulty,
                        "time_limit": q.time_limit,
                        "key_points": len(q.key_points),
                        "prompt": q.prompt.get(lang),
                    }
                    for q in bank.questions
                ],
            }
            for bank in library.banks
        ]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    width = shutil.get_terminal_size((100, 24)).columns
    for n, bank in enumerate(library.banks):
        if n:
            print()
        langs = " ".join(bank.languages)
        print(
            f"{bank.id}: {bank.title.get(lang)} ({len(bank.questions)} questions; {langs})"
            f"  {bank.path or ''}"
        )
        id_width = max(len(q.id) for q in bank.questions)
        topics = {t: bank.topic_title(t, lang) for t in bank.topic_ids()}
        topic_width = max(_cells(title) for title in topics.values())
        for q in bank.questions:
            topic = topics[q.topic] + " " * (topic_width - _cells(topics[q.topic]))
            head = f"  {q.id:<{id_width}}  {topic}  {q.difficulty:<6}  "
            used = len(head) + _cells(topics[q.topic]) - len(topics[q.topic])
            print(head + _fit(q.prompt.get(lang), max(20, width - used - 1)))
    return 0


def _cells(text: str) -> int:
    """How many terminal cells ``text`` takes (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _fit(text: str, columns: int) -> str:
    """``text`` cut to ``columns`` terminal cells (a Chinese character takes two)."""
    used, out = 0, []
    for char in text:
        cells = 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if used + cells > columns - 1 and len(out) < len(text):
            remaining = sum(
                2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text[len(out) :]
            )
            if used + remaining <= columns:
                out.append(text[len(out) :])
                return "".join(out)
            return "".join(out) + "…"
        out.append(char)
        used += cells
    return "".join(out)


# check ----------------------------------------------------------------------------------------


def run_check(args: argparse.Namespace) -> int:
    from mockint.authoring import lint_bank
    from mockint.rubric import bank_files, default_search_path, load_library

    extra = [Path(p) for p in getattr(args, "rubrics", None) or []]
    search = default_search_path(extra)
    explicit = list(bank_files(args.paths)) if args.paths else None
    # Explicit files are loaded after the search path, so an id they share with an existing
    # bank is reported on them (the search path's bank is the one mockint would keep).
    library = load_library(search + (explicit or []))
    in_scope = {f.resolve() for f in (explicit if explicit is not None else bank_files(search))}

    def wanted(file: str | Path | None) -> bool:
        return file is not None and Path(file).resolve() in in_scope

    errors = [p for p in library.problems if wanted(p.file)]
    banks = [b for b in library.banks if wanted(b.path)]
    grader = None
    if args.lint and banks:
        from mockint.commands._common import load_grader_from_args

        print("loading the grading model for --lint...", file=sys.stderr)
        grader = load_grader_from_args(args)
    warnings = [w for bank in banks for w in lint_bank(bank, grader)]
    if grader is not None:
        grader.save_cache()
    for problem in sorted(errors + warnings, key=lambda p: (p.file, p.line or 0)):
        print(_relative(problem))
    files = len(in_scope)
    questions = sum(len(b.questions) for b in banks)
    if not files:
        raise UserError(
            "no .toml question bank found at " + ", ".join(map(str, args.paths or search))
        )
    summary = (
        f"{_count(files, 'file')}, {_count(len(banks), 'valid bank')}, "
        f"{_count(questions, 'question')}: {_count(len(errors), 'error')}, "
        f"{_count(len(warnings), 'warning')}"
    )
    if not args.lint:
        summary += " (add --lint for the model-based checks)"
    print(summary)
    return 1 if errors or (args.strict and warnings) else 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def _relative(problem):
    """The problem with its file shown relative to the working directory when inside it."""
    try:
        shown = Path(problem.file).resolve().relative_to(Path.cwd())
    except (ValueError, OSError):
        return problem
    return dataclasses.replace(problem, file=str(shown))


# new ------------------------------------------------------------------------------------------


def run_new(args: argparse.Namespace) -> int:
    from mockint.authoring import name_slug, template_bank, unique_id
    from mockint.rubric import LANGUAGES, load_library

    languages = [lang.strip() for lang in args.languages.split(",") if lang.strip()]
    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if unknown or not languages:
        raise UserError(f"--languages: use en, zh or en,zh (got {args.languages!r})")
    path: Path = args.path
    if path.suffix != ".toml":
        path = path.with_suffix(".toml")
    _refuse_overwrite(path, args.force)
    taken = {q.id for _, q in load_library().questions()}
    bank_id = name_slug(path.stem) or "my-questions"
    text = template_bank(bank_id, languages)
    question_id = unique_id("overfitting", taken)
    text = text.replace('id = "overfitting"', f'id = "{question_id}"')
    _write(path, text)
    print(f"Wrote {path}: bank {bank_id!r} with one example question ({question_id}).")
    print(f"Edit it, then run: mockint rubrics check {path}")
    return 0


def _refuse_overwrite(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise UserError(f"{path} already exists (use --force to overwrite it)")


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None


# import ---------------------------------------------------------------------------------------


def run_import(args: argparse.Namespace) -> int:
    from mockint import locations
    from mockint.authoring import ImportFailed, import_bank, name_slug
    from mockint.rubric import RubricError, default_search_path, load_bank, load_library

    if not args.file.is_file():
        raise UserError(f"{args.file}: no such file")
    extra = [Path(p) for p in getattr(args, "rubrics", None) or []]
    taken = {q.id for _, q in load_library(default_search_path(extra)).questions()}
    bank_id = args.bank_id
    if bank_id is not None and name_slug(bank_id) != bank_id:
        raise UserError(f"--id {bank_id!r}: use lowercase letters, digits and '-'")
    try:
        draft = import_bank(args.file, bank_id=bank_id, taken_ids=taken)
    except ImportFailed as exc:
        raise UserError(str(exc)) from None
    output: Path | None = args.output
    if output is None:
        # A bank in the data dir is used at once; one that cannot load yet would only be
        # reported as broken by every command, so it goes to the working directory instead.
        home = Path.cwd() if draft.needs_translation else locations.user_rubrics_dir()
        output = home / f"{draft.id}.toml"
    _refuse_overwrite(output, args.force)
    _write(output, draft.to_toml(source=f"imported from {args.file.name}"))

    points = sum(len(q.key_points) for q in draft.questions)
    print(f"Created {output}")
    print(
        f"bank {draft.id!r}: {len(draft.questions)} questions, {points} draft key points, "
        f"languages {', '.join(draft.languages)}"
    )
    for q in draft.questions:
        print(f"\n  {q.id} [{q.language}]  {q.prompt}")
        for kp in q.key_points:
            print(f"    - {kp.id}: {kp.text}")
        if len(q.key_points) > 6:
            print(f"    ({len(q.key_points)} points: 3 to 6 is typical; merge or drop some)")
    if draft.notes:
        print()
    for note in draft.notes:
        print(f"note: {note}")
    try:
        load_bank(output)
    except RubricError as exc:
        print(
            f"\nThe bank does not load until {len(exc.problems)} missing texts are written "
            f"(`mockint rubrics check {output}` lists them); then move it to "
            f"{locations.user_rubrics_dir()} or pass it with --rubrics."
        )
    print(
        "\nNext: edit the key points (merge, reword, weigh them; add paraphrases and "
        "misconceptions), then run:"
    )
    print(f"  mockint rubrics check --lint {output}")
    return 0
