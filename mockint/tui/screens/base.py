"""What every screen of the app shares."""

from __future__ import annotations

from textual.screen import Screen
from textual.worker import Worker


class MockintScreen(Screen):
    """A screen whose workers' failures reach the app's one failure handler.

    ``Worker.StateChanged`` does not bubble: it goes to the node that started the worker, so
    each screen passes it on.
    """

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.app.report_worker_state(event)
