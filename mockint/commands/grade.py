"""`mockint grade`: grade one answer (text, file, stdin or audio), or a JSONL batch."""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import textwrap
from pathlib import Path

from mockint.commands._common import (
    add_command,
    find_question,
    load_grader_from_args,
    load_library_from_args,
)
from mockint.errors import UserError

# A batch line or an answer file larger than this is refused rather than read: no real answer is
# anywhere near it, and reading it would only stall the batch.
MAX_INPUT_BYTES = 2_000_000

MAX_BATCH_BYTES = 500_000_000

# Lines embedded together: one model call for a block is much faster than one per answer.
BATCH_CHUNK = 64

_SURROGATE = re.compile("[\ud800-\udfff]")

_STATUS_MARK = {"hit": "✔", "partial": "◐", "miss": "✘"}


def register(subparsers) -> None:
    parser = add_command(
        subparsers,
        "grade",
        handle,
        help="grade an answer to a question against its rubric",
        description="Grade a free-text answer (English or Chinese) against a question's key "
        "points: score, covered and missed points with evidence, misconceptions, follow-up.",
    )
    parser.add_argument("question_id", nargs="?", help="question id (see `mockint rubrics list`)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--answer", "-a", metavar="TEXT", help="the answer text")
    source.add_argument(
        "--file", "-f", metavar="PATH", help="read the answer from a file (`-` for standard input)"
    )
    source.add_argument("--audio", metavar="WAV", help="transcribe a spoken answer, then grade it")
    source.add_argument(
        "--batch",
        metavar="FILE.jsonl",
        help='grade every line {"question_id": ..., "answer": ...} '
        "(`-` for standard input); one JSON line out per line in",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a report")
    parser.add_argument(
        "--lang", choices=["en", "zh"], help="language of the feedback (default: the answer's)"
    )


def handle(args: argparse.Namespace) -> int:
    if args.batch:
        return _batch(args)
    if not args.question_id:
        raise UserError("give a QUESTION_ID (or --batch FILE.jsonl); see `mockint grade --help`")
    library = load_library_from_args(args)
    bank, question = find_question(library, args.question_id)
    answer, speech = _read_answer(args, question)
    grader = load_grader_from_args(args)
    grade = grader.grade(
        question,
        answer,
        bank_id=bank.id,
        language=args.lang,
        other_questions=bank.questions,
        elsewhere=library.outside(bank.id),
    )
    grader.save_cache()
    if args.json:
        payload = grade.model_dump(mode="json")
        if speech is not None:
            payload["speech"] = speech
        print(_json_line(payload))
    else:
        print(render_report(question, answer, grade, speech))
    return 0


def _read_answer(args, question) -> tuple[str, dict | None]:
    if args.audio:
        return _transcribe(args.audio, question)
    if args.answer is not None:
        text = args.answer
    elif args.file:
        text = _read_text(args.file)
    elif not sys.stdin.isatty():
        text = _read_text("-")
    else:
        raise UserError("give the answer with --answer TEXT, --file PATH, --file - or --audio WAV")
    if not text.strip():
        raise UserError("the answer is empty")
    if _SURROGATE.search(text):
        raise UserError("the answer is not valid UTF-8 text; save it as UTF-8 and try again")
    return text, None


def _read_text(path: str, limit: int = MAX_INPUT_BYTES, what: str = "an answer") -> str:
    from mockint.rubric import read_regular_file

    if path == "-":
        data = sys.stdin.buffer.read(limit + 1)
        name = "standard input"
    else:
        try:
            data = read_regular_file(Path(path), limit, what)
        except OSError as exc:
            raise UserError(f"{path}: {exc.strerror or exc}") from None
        name = path
    if len(data) > limit:
        raise UserError(f"{name}: too large for {what} (limit {limit:,} bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(f"{name}: not UTF-8 text") from None


def _transcribe(path: str, question) -> tuple[str, dict | None]:
    from mockint.voice import speech_metrics, transcribe

    transcript = transcribe(path)
    metrics = speech_metrics(transcript, time_limit_s=question.time_limit)
    print(f"Transcript: {transcript.text}", file=sys.stderr)
    return transcript.text, metrics.as_dict()


def render_report(question, answer: str, grade, speech: dict | None = None) -> str:
    """The human-readable grade: score, each key point with its evidence, mistakes, follow-up."""
    lang = grade.language if grade.language in ("en", "zh") else "en"
    lines = [
        f"{question.id}: {question.prompt.get(lang)}",
        "",
        f"Score {grade.score:.0f}/100 ({grade.verdict})   language {grade.language}   "
        f"model {grade.model}",
        "",
    ]
    # A point with a sliver of credit was not covered: it goes with the missed ones.
    covered = [kp for kp in grade.key_points if kp.status != "miss" and not kp.barely]
    missed = [kp for kp in grade.key_points if kp.status == "miss" or kp.barely]
    for title, points in (("Covered:", covered), ("Missed:", missed)):
        if not points:
            continue
        lines.append(title)
        for kp in points:
            mark, status = ("◌", "barely") if kp.barely else (_STATUS_MARK[kp.status], kp.status)
            lines.append(f"  {mark} {status:7s} w{kp.weight:g}  sim {kp.similarity:.2f}  {kp.text}")
            if kp.evidence and not kp.barely:
                lines.append(f"      “{_shorten(kp.evidence)}”")
    if grade.misconceptions:
        lines += ["", "Misconceptions:"]
        for mc in grade.misconceptions:
            if mc.id.startswith("contradicts:"):
                # The wrong clause is the candidate's own: quoted once, then what is true.
                lines.append(f"  ✘ you said: “{_shorten(mc.evidence)}”  (-{mc.penalty:g})")
            else:
                lines.append(f"  ✘ {mc.text}  (-{mc.penalty:g})")
                lines.append(f"      you said: “{_shorten(mc.evidence)}”")
            lines.append(f"      in fact: {mc.correction}")
    # The feedback paragraph at the end says most notes already: each is printed once.
    notes = [n for n in grade.notes if n not in grade.feedback]
    if notes:
        lines += ["", *(f"Note: {n}" for n in notes)]
    if speech:
        lines += [
            "",
            f"Delivery: {speech.get('wpm', 0):.0f} words/min, "
            f"{speech.get('filler_count', 0)} filler words, "
            f"{speech.get('long_pauses', 0)} long pauses",
        ]
    lines += ["", textwrap.fill(grade.feedback, 100)]
    if grade.follow_up:
        lines += ["", f"Follow-up: {grade.follow_up}"]
    return "\n".join(lines)


def _shorten(text: str, width: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _batch(args: argparse.Namespace) -> int:
    """Grade a JSONL file line by line; a bad line gets an error object, the batch goes on."""
    library = load_library_from_args(args, quiet=True)
    lines = _read_text(args.batch, MAX_BATCH_BYTES, "a batch").splitlines()
    grader = load_grader_from_args(args)
    failures = 0
    progress = _Progress(len(lines))
    for number, line in enumerate(lines, start=1):
        if (number - 1) % BATCH_CHUNK == 0:
            grader.prepare(_answers_in(lines[number - 1 : number - 1 + BATCH_CHUNK]))
        if not line.strip():
            progress.step()
            continue
        record, error = _grade_line(grader, library, line, args.lang)
        if error:
            failures += 1
            record["error"] = f"line {number}: {error}"
            print(f"mockint: line {number}: {error}", file=sys.stderr)
        if args.json:
            print(_json_line(record), flush=True)
        else:
            score = record.get("score")
            shown = f"{score:5.1f} {record.get('verdict', '')}" if score is not None else "error"
            print(f"{number}\t{record.get('question_id', '?')}\t{shown}", flush=True)
        progress.step()
    progress.done()
    grader.save_cache()
    return 1 if failures else 0


def _json_line(payload: dict) -> str:
    """One line of strict JSON: NaN and infinity (which JSON has no words for) become null."""
    try:
        return json.dumps(payload, ensure_ascii=False, allow_nan=False)
    except ValueError:
        return json.dumps(_finite(payload), ensure_ascii=False, allow_nan=False)


def _finite(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def _answers_in(lines: list[str]) -> list[str]:
    """The answers of a block of batch lines (bad lines are simply left out here)."""
    answers = []
    for line in lines:
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        answer = record.get("answer") if isinstance(record, dict) else None
        if isinstance(answer, str) and not _SURROGATE.search(answer):
            answers.append(answer)
    return answers


def _printable(value):
    """``value`` with every string made encodable (lone surrogates become U+FFFD)."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_printable(k): _printable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_printable(v) for v in value]
    return value


def _grade_line(grader, library, line: str, lang: str | None) -> tuple[dict, str | None]:
    if len(line) > MAX_INPUT_BYTES:
        return {}, f"line is larger than {MAX_INPUT_BYTES:,} bytes"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return {}, f"invalid JSON ({exc.msg} at column {exc.colno})"
    if not isinstance(record, dict):
        return {}, "expected a JSON object"
    qid, answer = record.get("question_id"), record.get("answer")
    if not isinstance(qid, str):
        return record, 'missing "question_id"'
    if not isinstance(answer, str):
        return record, 'missing "answer" (a string)'
    clean = _printable(record)
    if clean != record:
        # JSON allows "\ud800", which is no character: no model can read it, no file hold it.
        return clean, "a string holds a lone surrogate (an invalid \\u escape); fix that line"
    try:
        bank, question = find_question(library, qid)
    except UserError as exc:
        return record, str(exc)
    grade = grader.grade(
        question,
        answer,
        bank_id=bank.id,
        language=lang,
        other_questions=bank.questions,
        elsewhere=library.outside(bank.id),
    )
    # Input fields pass through unchanged; one whose name the grade also uses (a human "score",
    # say) is kept under "input" rather than silently overwritten.
    out = grade.model_dump(mode="json")
    clashes = {k: v for k, v in record.items() if k in out and k != "question_id"}
    out.update({k: v for k, v in record.items() if k not in out})
    if clashes:
        out["input"] = clashes
    return out, None


class _Progress:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, total: int):
        import time

        self.total, self.done_count = total, 0
        self.enabled = sys.stderr.isatty() and total > 1
        self.started = time.perf_counter()

    def step(self) -> None:
        self.done_count += 1
        if self.enabled:
            width = 30
            filled = int(width * self.done_count / max(self.total, 1))
            print(
                f"\rgrading [{'#' * filled}{'.' * (width - filled)}] "
                f"{self.done_count}/{self.total}",
                end="",
                file=sys.stderr,
                flush=True,
            )

    def done(self) -> None:
        import time

        if self.enabled:
            print(file=sys.stderr)
        elapsed = time.perf_counter() - self.started
        print(f"mockint: graded {self.total} line(s) in {elapsed:.1f} s", file=sys.stderr)
