"""The interview at 80x24 and at 140x45: the score of a reply is in view when it arrives, the
question being answered is always visible, typing always reaches the answer box, one scrollbar,
and every footer key (esc and the command palette included) fits the width."""

from __future__ import annotations

import pytest
from snapshot_data import DROPOUT_ANSWER, OVERFIT_ANSWER, OVERFIT_FOLLOW_UP, FixedGrader
from textual.widgets import Static, TextArea
from textual.widgets._footer import FooterKey
from tui_helpers import send, wait_phase

from mockint.tui.plan import InterviewPlan
from mockint.tui.widgets.transcript import Transcript, Turn

SIZES = [(80, 24), (140, 45)]
PLAN = InterviewPlan(mode="practice", bank_id="tui-test", question_ids=("overfitting", "dropout"))


async def start(pilot) -> None:
    pilot.app.push_screen_interview(PLAN)
    await wait_phase(pilot, "answering")


def in_view(transcript: Transcript, turn: Turn) -> bool:
    """Whether the first line of ``turn``'s text is inside the transcript's view."""
    first_line = turn.virtual_region.y + 1  # under the border with the speaker's name
    top = round(transcript.scroll_y)
    return top <= first_line < top + transcript.scrollable_content_region.height


def replies(app) -> list[Turn]:
    return [t for t in app.screen.query(Turn) if "-interviewer" in t.classes]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_reply_is_read_from_its_score(make_app, tui_library, size):
    """When the grade arrives, the line with the score is in view (not only the reply's last
    lines), and the follow-up question is visible: in the conversation, or pinned above the
    answer box when the reply fills the view."""
    app = make_app(grader=FixedGrader(tui_library))
    async with app.run_test(size=size) as pilot:
        await start(pilot)
        await send(pilot, OVERFIT_ANSWER, "follow_up")
        screen = app.screen
        transcript = screen.query_one(Transcript)
        reply = next(t for t in replies(app) if "35/100" in str(t.render()))
        assert in_view(transcript, reply)
        follow_up = replies(app)[-1]
        assert "How would you notice overfitting" in str(follow_up.render())
        asking = screen.query_one("#asking", Static)
        assert transcript.fully_visible(follow_up) or (
            asking.display and "How would you notice overfitting" in str(asking.render())
        )
        # Never both: the pin would repeat a question already in view.
        assert not (transcript.fully_visible(follow_up) and asking.display)
        await send(pilot, OVERFIT_FOLLOW_UP, "reviewed")
        last = replies(app)[-1]
        assert "that's the point I was after" in str(last.render())
        assert in_view(transcript, last)


async def test_the_question_is_pinned_when_its_turn_scrolls_away(make_app, tui_library):
    """At 80x24, paging back through the conversation pins the question being answered above
    the answer box; back at the end, the pin goes."""
    app = make_app(grader=FixedGrader(tui_library))
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await send(pilot, OVERFIT_ANSWER, "follow_up")
        await send(pilot, OVERFIT_FOLLOW_UP, "reviewed")
        await pilot.press("ctrl+n")
        screen = await wait_phase(pilot, "answering")
        await pilot.pause()
        asking = screen.query_one("#asking", Static)
        assert not asking.display
        for _ in range(3):
            await pilot.press("pageup")
        await pilot.pause()
        assert asking.display
        assert "dropout" in str(asking.render()).lower()
        for _ in range(6):
            await pilot.press("pagedown")
        await pilot.pause()
        assert not asking.display


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_typing_after_scrolling_back_still_answers(make_app, tui_library, size):
    """Reading the reply with shift+tab and the page keys, then typing: the text goes into the
    answer box and ctrl+s sends it (the conversation never takes the keyboard)."""
    app = make_app(grader=FixedGrader(tui_library))
    async with app.run_test(size=size) as pilot:
        await start(pilot)
        await send(pilot, OVERFIT_ANSWER, "follow_up")
        transcript = app.screen.query_one(Transcript)
        await pilot.press("shift+tab", "pageup", "pageup")
        await pilot.pause()
        assert round(transcript.scroll_y) < round(transcript.max_scroll_y) or size == (140, 45)
        await pilot.press(*"watch val")
        box = app.screen.query_one("#answer", TextArea)
        assert box.text == "watch val"
        assert app.focused is box
        await pilot.press("ctrl+s")
        await wait_phase(pilot, "reviewed")
        assert not any("Type an answer first" in n.message for n in app._notifications)
        candidate = [t for t in app.screen.query(Turn) if "-candidate" in t.classes]
        assert str(candidate[-1].render()) == "watch val"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_one_scrollbar_and_every_footer_key_fits(make_app, tui_library, size):
    """In each phase the footer's keys (esc Home and ^p palette included) lie inside the
    terminal, and only the conversation shows a scrollbar."""
    app = make_app(grader=FixedGrader(tui_library))
    width = size[0]
    async with app.run_test(size=size) as pilot:

        def check(phase: str, wanted: set[str]) -> None:
            screen = app.screen
            keys = [k for k in screen.query(FooterKey) if k.display]
            shown = {k.key_display for k in keys}
            assert wanted <= shown, (phase, shown)
            for key in keys:
                assert key.region.x >= 0 and key.region.right <= width, (phase, key.key_display)
            scrolling = [
                w.id or type(w).__name__
                for w in [screen, *screen.query("*")]
                if w.show_vertical_scrollbar or w.show_horizontal_scrollbar
            ]
            assert scrolling in ([], ["transcript"]), (phase, scrolling)

        await start(pilot)
        check("answering", {"^s", "^l", "^n", "esc", "^p"})
        await send(pilot, OVERFIT_ANSWER, "follow_up")
        check("follow_up", {"^s", "^l", "^n", "esc", "^p"})
        await send(pilot, OVERFIT_FOLLOW_UP, "reviewed")
        check("reviewed", {"^n", "^f", "^t", "^o", "esc", "^p"})
        await pilot.press("ctrl+n")
        await wait_phase(pilot, "answering")
        await send(pilot, DROPOUT_ANSWER, "follow_up", "reviewed")
        await pilot.press("ctrl+n")
        await wait_phase(pilot, "done")
        check("done", {"^f", "^t", "^o", "esc", "^p"})
