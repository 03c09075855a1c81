"""Which of two things a clause gives which of two roles.

"Train on one fold and validate on the other k-1" and "one fold is held out for validation and
the other k-1 are used for training" read alike to sentence embeddings and to the judge: the
same words, the roles exchanged. So do "超参数是模型训练出来的权重，参数是训练之前设定好的" and
the right definitions, where 参数 is even inside 超参数. What tells them apart is which thing
each role goes with, part by part. A mistake stated that way (`train-on-one-fold`,
`swapped-parameter-hyperparameter`) is stated by a clause that binds its things the same way,
and reversed by one that binds them the other way round.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class _Schema:
    """Two things and two roles. ``sides``: (thing, pattern) in order; with ``first_wins`` the
    first thing found names the part ("剩下的 1 份" is the one fold, not the rest), otherwise a
    part naming both things binds neither."""

    sides: tuple[tuple[str, re.Pattern], ...]
    roles: tuple[tuple[str, re.Pattern], ...]
    first_wins: bool


def _pattern(text: str) -> re.Pattern:
    return re.compile(text, re.IGNORECASE)


_FOLDS = _Schema(
    sides=(
        # The remaining k-1 folds, explicitly...
        ("rest", _pattern(r"\bk\s*(?:[-−–]|minus)\s*(?:1|one)\b")),
        # ...the one fold (an explicit count wins over "the rest")...
        (
            "one",
            _pattern(
                r"\b(?:one|a single|1)\s+(?:of the\s+)?(?:folds?|parts?|chunks?|subsets?|pieces?"
                r"|splits?)\b|\b(?:remaining|other|last|left[- ]out|held[- ]out|single)\s+one\b"
                r"|(?<![A-Za-z0-9-])(?:其中\s*)?(?:一|1)\s*(?:份|折|块|部分|个\s*(?:fold|子集))"
            ),
        ),
        # ...or the rest.
        (
            "rest",
            _pattern(r"\bthe\s+(?:other|remaining|rest)\b|\bremaining\b|其余|剩下|剩余|其他|其它"),
        ),
    ),
    roles=(
        ("train", _pattern(r"\btrain|\bfit\b|\bfits\b|\bfitted\b|训练")),
        (
            "evaluate",
            _pattern(
                r"validat|\btest|evaluat|\bscor|held[- ]out|hold[- ]out"
                r"|\bhold(?:s|ing)?\b.{0,12}\bout\b|验证|测试|评估"
            ),
        ),
    ),
    first_wins=True,
)

_PARAMETERS = _Schema(
    sides=(
        ("hyper", _pattern(r"hyper[- ]?param|超参")),
        # 参数 not inside 超参数, "parameters" not inside "hyperparameters".
        ("param", _pattern(r"(?<!超)参数|(?<![a-z-])param(?:eter)?s?\b")),
    ),
    # Only what a part says they *are*: "hyperparameters control how the model learns" gives
    # them no role, "超参数是模型训练出来的权重" does.
    roles=(
        (
            "learned",
            _pattern(
                r"\b(?:is|are|get|gets|being)\s+(?:\w+\s+){0,3}?(?:learned|learnt|trained"
                r"|optimi[sz]ed|updated)\b"
                # Fit by the optimizer, not "fit by you on validation data".
                r"|\b(?:fit|fitted)\s+(?:by the (?:optimizer|model|training|algorithm|network)"
                r"|to the (?:training )?data|on the training data|during training"
                r"|by gradient descent)"
                r"|\b(?:weights|values|numbers)\s+(?:that\s+)?(?:the\s+)?(?:model|network|training)"
                r"\s+(?:learns|finds|fits)\b"
                r"|(?:是|指).{0,16}?(?:学到|学出|学习得到|学习出|训练出|训练得到|训练完|训练后得到"
                r"|训练之后得到|梯度下降)"
                # What they are got by: "参数靠 gradient descent 学出来", "通过反向传播更新".
                r"|(?:靠|通过|由|用).{0,16}?(?:学到|学出|学习得到|学习出|训练出|训练得到"
                r"|(?:梯度下降|反向传播|gradient descent|backprop).{0,4}?(?:更新|优化|学))"
            ),
        ),
        (
            "set",
            _pattern(
                r"\b(?:is|are)\s+(?:\w+\s+){0,3}?(?:set|chosen|picked|tuned|fixed|specified)\b"
                r"|\b(?:values|settings|knobs|things)\s+(?:that\s+)?(?:we|you|people|humans)\s+"
                r"(?:set|choose|pick|tune)\b|\bby hand\b"
                r"|\bby (?:you|us|humans|people|the user|the engineer|the practitioner)\b"
                r"|(?:是|指).{0,16}?(?:设定|设置|设好|设的|手动|人为|人工|人定|预先|事先|训练之前"
                r"|训练前|训练开始前)"
                # What they are chosen by: "超参数靠验证集调", "用交叉验证来选".
                r"|(?:靠|通过|用|在).{0,8}?(?:验证集|validation|交叉验证|cross[- ]validation"
                r"|经验|人工|手动|grid search|网格搜索).{0,6}?(?:调|选|定|设|试|搜)"
            ),
        ),
    ),
    first_wins=False,
)

_SCHEMAS = (_FOLDS, _PARAMETERS)

# Where one part of a clause ends: punctuation, and the conjunctions that join two bindings.
_PARTS = re.compile(r"[，,；;、。.!?！？:：()（）]|\b(?:and|while|whereas|then)\b|然后|而|并且|再")
# A part that denies binds nothing: "超参数不是学出来的" does not give 超参数 "learned".
_DENIAL = re.compile(r"\b(?:not|never|no|rather than|instead of)\b|n't|不|没|并非|而非|非")


def _thing(part: str, schema: _Schema) -> str | None:
    found = [thing for thing, pattern in schema.sides if pattern.search(part)]
    if not found:
        return None
    if schema.first_wins or len(set(found)) == 1:
        return found[0]
    return None


@lru_cache(maxsize=2048)
def binding(text: str) -> dict[str, str]:
    """Thing -> role for each part of ``text`` that names exactly one thing of a schema and one
    of its roles, and denies nothing; a thing given both roles in different parts is left out.
    Things: "one" and "rest" (folds: "train", "evaluate"); "hyper" and "param" ("learned",
    "set")."""
    found: dict[str, set[str]] = {}
    for part in _PARTS.split(text):
        if _DENIAL.search(part):
            continue
        for schema in _SCHEMAS:
            thing = _thing(part, schema)
            roles = [role for role, pattern in schema.roles if pattern.search(part)]
            if thing is not None and len(roles) == 1:
                found.setdefault(thing, set()).add(roles[0])
    return {thing: next(iter(roles)) for thing, roles in found.items() if len(roles) == 1}


def _compare(statement: str, clause: str) -> tuple[bool, bool]:
    """(some thing bound alike, some bound otherwise) in ``clause`` and ``statement``."""
    said, told = binding(statement), binding(clause)
    shared = said.keys() & told.keys()
    return any(said[t] == told[t] for t in shared), any(said[t] != told[t] for t in shared)


def binds_alike(statements, clause: str) -> bool:
    """Whether ``clause`` gives the things of one of ``statements`` the same roles, and none
    another."""
    return any(_compare(s, clause) == (True, False) for s in statements)


def binds_otherwise(statements, clause: str) -> bool:
    """Whether ``clause`` gives the things of one of ``statements`` the other roles, and none
    the same."""
    return any(_compare(s, clause) == (False, True) for s in statements)
