"""The JSON report: the whole :class:`~mockint.export.model.ReportData`, for scripts.

Its shape is the model's, field for field, with ``schema_version`` first; times are ISO-8601
UTC. ``python -c "from mockint.export import ReportData; print(ReportData.model_json_schema())"``
prints the JSON Schema with every field's description.
"""

from __future__ import annotations

from collections.abc import Iterator

from mockint.export.model import ReportData, Sessions

# ``sessions`` is the model's last field: the report is dumped without them, then they are
# written in its place one by one, indented as a dump of the whole model indents them.
_EMPTY_SESSIONS = '  "sessions": []\n}'


def json_chunks(report: ReportData, sessions: Sessions) -> Iterator[str]:
    """The report as indented UTF-8 JSON text (non-ASCII kept as is), a session at a time."""
    head = report.model_copy(update={"sessions": []}).model_dump_json(indent=2)
    if not head.endswith(_EMPTY_SESSIONS):
        raise AssertionError("sessions must stay the last field of ReportData")
    opening = head[: -len(_EMPTY_SESSIONS)] + '  "sessions": ['
    first = True
    for session in sessions(False):
        text = "    " + session.model_dump_json(indent=2).replace("\n", "\n    ")
        yield (opening + "\n" if first else ",\n") + text
        first = False
    yield opening + "]\n}\n" if first else "\n  ]\n}\n"


def render_json(report: ReportData) -> str:
    """The report as indented UTF-8 JSON text (non-ASCII kept as is)."""
    return "".join(json_chunks(report, report.iter_sessions))
