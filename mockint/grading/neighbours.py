"""Other classic interview questions, known only to tell an answer to one of them from an
answer to the question asked.

A bank's own questions (and the other banks loaded) are the rivals the grader checks an answer
against first; but candidates also answer questions no bank holds ("Dropout randomly zeroes
neurons…" to the batch-norm question), and with no rival to match, such an answer scored 20-50
where interviewers give it 0-5. ``neighbours.toml`` lists those questions, each with the few
statements an answer to it makes; they are never asked, listed or stored.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from mockint.rubric import KeyPoint, Localized, Question

CATALOGUE = Path(__file__).with_name("neighbours.toml")


@dataclass(frozen=True)
class Neighbour:
    """One question no bank asks: what its prompt would name, and the question itself (in the
    shape the grader matches: its statements are the key points)."""

    names: tuple[str, ...]
    question: Question

    def named_in(self, prompt: str) -> bool:
        """Whether ``prompt`` names this topic: then an answer about it is not off-topic."""
        return bool(_names_pattern(self.names).search(prompt))


@cache
def _names_pattern(names: tuple[str, ...]) -> re.Pattern:
    # A Latin name starts a word ("map" is not in "mapping"'s middle, "gan" not in "organ");
    # a Chinese one is found anywhere.
    parts = [(r"\b" if name[:1].isascii() else "") + re.escape(name) for name in names]
    return re.compile("|".join(parts), re.IGNORECASE)


@cache
def load_neighbours(path: Path = CATALOGUE) -> tuple[Neighbour, ...]:
    """The catalogue, as questions (cached: it ships with the package and never changes)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    neighbours = []
    for topic in data["topics"]:
        prompt = Localized(en=topic["prompt"], zh=topic["prompt_zh"])
        points = zip(topic["points"], topic["points_zh"], strict=True)
        question = Question(
            id=f"neighbour-{topic['id']}",
            topic="neighbours",
            prompt=prompt,
            model_answer=Localized(en=" ".join(topic["points"]), zh="".join(topic["points_zh"])),
            key_points=[
                KeyPoint(id=f"point-{i}", text=Localized(en=en, zh=zh), follow_up=prompt)
                for i, (en, zh) in enumerate(points, 1)
            ],
        )
        neighbours.append(Neighbour(tuple(topic["names"]), question))
    return tuple(neighbours)


def rivals_of(question: Question) -> tuple[Question, ...]:
    """The catalogue's questions an answer to ``question`` may be meant for instead: all but
    those its prompt names."""
    return _rivals_for(tuple(question.prompt.all_texts()))


# Asked on every grade; a question's prompt decides it, so each prompt is read once.
@lru_cache(maxsize=4096)
def _rivals_for(prompts: tuple[str, ...]) -> tuple[Question, ...]:
    prompt = " ".join(prompts)
    return tuple(n.question for n in load_neighbours() if not n.named_in(prompt))
