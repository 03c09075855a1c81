"""The JSON report: the whole :class:`~mockint.export.model.ReportData`, for scripts.

Its shape is the model's, field for field, with ``schema_version`` first; times are ISO-8601
UTC. ``python -c "from mockint.export import ReportData; print(ReportData.model_json_schema())"``
prints the JSON Schema with every field's description.
"""

from __future__ import annotations

from mockint.export.model import ReportData


def render_json(report: ReportData) -> str:
    """The report as indented UTF-8 JSON text (non-ASCII kept as is)."""
    return report.model_dump_json(indent=2) + "\n"
