"""The app under a real pseudo-terminal, stopped by signals: SIGTERM, SIGHUP (the terminal was
closed) and SIGINT leave the terminal restored and keep the answer being typed; kill -9 at a
random instant after ctrl+s loses nothing either (the answer is stored, or still the draft)."""

from __future__ import annotations

import random

import pytest
from pty_app import SIGNALS, PtyApp, send_and_kill, texts, until

ANSWER = "Dropout zeroes random units during training"


@pytest.fixture
def app(tmp_path):
    running = PtyApp(tmp_path / "history.db", tmp_path / "home")
    yield running
    running.close()


@pytest.mark.parametrize("name", ["TERM", "HUP", "INT"])
def test_a_signal_keeps_the_answer_being_typed_and_restores_the_terminal(app, name):
    app.start_interview()
    app.type(ANSWER)
    until(lambda: texts(app.db, "drafts") == [ANSWER], 30, "the draft saved as typed")
    app.type(" so units cannot co-adapt")
    # On screen, then the signal at once: before the save that follows a pause in typing.
    until(lambda: b"co-adapt" in app.output, 30, "the typing on screen")
    app.signal(SIGNALS[name])
    code = app.wait()
    assert code == 128 + SIGNALS[name]
    assert texts(app.db, "drafts") == [ANSWER + " so units cannot co-adapt"]
    assert texts(app.db, "answers") == []
    if name != "HUP":  # after SIGHUP there is no terminal left to restore
        assert app.restored_terminal(), bytes(app.output[-400:])
    assert b"Traceback" not in app.output and b"Aborted" not in app.output


def test_kill_9_at_random_instants_after_sending_loses_nothing(tmp_path):
    """Seeded: the answer is stored, or (the key not read yet) still the saved draft."""
    rng = random.Random(13)
    for trial in range(3):
        text = f"{ANSWER}, trial {trial}."
        answers, drafts = send_and_kill(
            tmp_path / f"history-{trial}.db", tmp_path / f"home-{trial}", text, rng.uniform(0, 1)
        )
        assert answers + drafts == [text], (trial, answers, drafts)
