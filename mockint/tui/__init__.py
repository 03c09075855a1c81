"""The Textual app: ``mockint`` with no command opens it (see :func:`mockint.tui.app.run_app`)."""
