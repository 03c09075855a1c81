"""Authoring without the model: the template bank, import from Markdown and CSV, static lint."""

from __future__ import annotations

import textwrap
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockint.authoring import (
    ImportFailed,
    import_bank,
    lint_bank,
    parse_csv,
    parse_markdown,
    slugify,
    split_key_points,
    template_bank,
    toml_string,
    unique_id,
)
from mockint.rubric import SLUG, load_bank

MARKDOWN = textwrap.dedent(
    """\
    # Backend interview

    Notes to myself, not a question.

    ## 1. What is a load balancer, and why use one?

    **Answer:** A load balancer spreads incoming requests across several servers.
    It takes unhealthy servers out of rotation, so one failure does not take the site down.

    ## What is the difference between a process and a thread?

    - A process has its own memory space.
    - Threads of one process share memory, so they need locks.

    ```
    ## not a heading: inside a code block
    ```

    ## 什么是缓存穿透？

    缓存穿透是指查询数据库里根本不存在的数据，请求全部打到数据库上。可以用布隆过滤器拦截。

    ## A question nobody answered
    """
)


def test_template_bank_loads_and_documents_every_field(tmp_path):
    for languages in (["en"], ["en", "zh"], ["zh"]):
        path = tmp_path / f"{'-'.join(languages)}.toml"
        path.write_text(template_bank("my-bank", languages), encoding="utf-8")
        bank = load_bank(path)
        assert bank.id == "my-bank" and bank.languages == languages
        question = bank.questions[0]
        assert len(question.key_points) == 3 and question.misconceptions
        assert all(question.prompt.get(lang, fallback=False) for lang in languages)
    text = template_bank("my-bank", ["en"])
    for field in (
        "weight",
        "paraphrases",
        "terms",
        "follow_up",
        "penalty",
        "correction",
        "time_limit",
        "difficulty",
        "topic",
        "direction",
    ):
        assert f"{field} =" in text or f"{field}." in text
    assert text.count("#") > 15, "the template explains its fields in comments"


def test_template_has_no_static_warnings(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text(template_bank("t", ["en", "zh"]), encoding="utf-8")
    assert lint_bank(load_bank(path)) == []


def test_parse_markdown_questions_and_answers():
    title, pairs = parse_markdown(MARKDOWN)
    assert title == "Backend interview"
    assert [q for q, _ in pairs] == [
        "What is a load balancer, and why use one?",
        "What is the difference between a process and a thread?",
        "什么是缓存穿透？",
        "A question nobody answered",
    ]
    first, second = pairs[0][1], pairs[1][1]
    assert first.startswith("A load balancer spreads")  # the "**Answer:**" label is dropped
    assert second.split("\n") == [
        "A process has its own memory space.",
        "Threads of one process share memory, so they need locks.",
    ]
    assert pairs[3][1] == ""


def test_split_key_points_one_per_sentence_or_item():
    assert split_key_points(
        "Bagging averages many trees. Boosting adds trees one by one.\n- Forests need little tuning"
    ) == [
        "Bagging averages many trees.",
        "Boosting adds trees one by one.",
        "Forests need little tuning",
    ]
    assert split_key_points("缓存穿透是查询不存在的数据。可以用布隆过滤器拦截。") == [
        "缓存穿透是查询不存在的数据。",
        "可以用布隆过滤器拦截。",
    ]
    long = (
        "A very long sentence that keeps going, listing one idea after another, "
        "with many clauses, and more clauses, until it is far too long to be one key point, "
        "which the importer must cut."
    )
    pieces = split_key_points(long)
    assert len(pieces) > 1 and all(len(p.split()) <= 30 for p in pieces)
    assert split_key_points("Yes. No.") == []


def test_slugify_and_unique_ids():
    assert slugify("What is the difference between L1 and L2 loss?") == "l1-l2-loss"
    assert slugify("什么是缓存穿透？") == ""
    taken = {"deadlock"}
    assert unique_id("deadlock", taken) == "deadlock-2"
    assert unique_id("deadlock", taken) == "deadlock-3"
    assert {"deadlock-2", "deadlock-3"} <= taken


def test_import_markdown_drafts_a_loadable_bank(tmp_path):
    source = tmp_path / "backend.md"
    source.write_text(
        MARKDOWN.replace(
            textwrap.dedent(
                """\
        ## 什么是缓存穿透？

        缓存穿透是指查询数据库里根本不存在的数据，请求全部打到数据库上。可以用布隆过滤器拦截。
        """
            ),
            "",
        ),
        encoding="utf-8",
    )
    draft = import_bank(source, taken_ids={"load-balancer-use-one"})
    assert draft.id == "backend" and draft.title == "Backend interview"
    assert draft.languages == ["en"] and not draft.needs_translation
    assert [q.id for q in draft.questions] == ["load-balancer-use-one-2", "process-thread"]
    assert any("no expected answer" in note for note in draft.notes)
    balancer = draft.questions[0]
    assert [kp.text for kp in balancer.key_points] == [
        "A load balancer spreads incoming requests across several servers.",
        "It takes unhealthy servers out of rotation, so one failure does not take the site down.",
    ]
    assert [kp.id for kp in balancer.key_points] == [
        "load-balancer-spreads",
        "takes-unhealthy-servers",
    ]
    assert balancer.key_points[0].follow_up.startswith("Can you say more about")
    out = tmp_path / "backend.toml"
    out.write_text(draft.to_toml(source="backend.md"), encoding="utf-8")
    bank = load_bank(out)
    assert [q.id for q in bank.questions] == ["load-balancer-use-one-2", "process-thread"]
    thread = bank.question("process-thread")
    assert thread.model_answer.get("en") == (
        "A process has its own memory space. Threads of one process share memory, so they "
        "need locks."
    )
    assert len(thread.key_points) == 2


def test_import_detects_languages_and_lists_what_needs_translating(tmp_path):
    source = tmp_path / "mixed.md"
    source.write_text(MARKDOWN, encoding="utf-8")
    draft = import_bank(source)
    assert draft.languages == ["en", "zh"] and draft.needs_translation
    cache = draft.questions[-1]
    assert cache.language == "zh" and cache.id == "mixed-3"
    assert [kp.id for kp in cache.key_points] == ["point-1", "point-2"]
    assert cache.key_points[0].follow_up.startswith("能再具体说说")
    assert any(note.startswith("mixed-3: written in zh; add the en text") for note in draft.notes)
    data = tomllib.loads(draft.to_toml())
    assert data["questions"][2]["prompt"] == {"zh": "什么是缓存穿透？"}


def test_import_csv_with_optional_columns(tmp_path):
    source = tmp_path / "db-questions.csv"
    source.write_text(
        "Question;Answer;Topic;Difficulty;id\n"
        '"What is an index?";"An index is a B-tree that finds rows without a full scan. '
        'It speeds up reads but slows down writes.";Databases;easy;\n'
        '"What is a deadlock?";"Two transactions each wait for a lock the other holds. '
        'The database detects the cycle and aborts one.";databases;HARD;txn-deadlock\n',
        encoding="utf-8",
    )
    draft = import_bank(source)
    assert draft.id == "db-questions"
    index, deadlock = draft.questions
    assert (index.id, index.topic, index.difficulty) == ("index", "databases", "easy")
    assert (deadlock.id, deadlock.difficulty) == ("txn-deadlock", "hard")
    assert len(index.key_points) == 2 and len(deadlock.key_points) == 2
    out = tmp_path / "out.toml"
    out.write_text(draft.to_toml(), encoding="utf-8")
    assert [q.id for q in load_bank(out).questions] == ["index", "txn-deadlock"]


def test_import_refuses_what_it_cannot_read(tmp_path):
    bad_csv = tmp_path / "q.csv"
    bad_csv.write_text("prompt,expected\nWhat?,This.\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="'question' and 'answer' columns"):
        import_bank(bad_csv)
    no_headings = tmp_path / "notes.md"
    no_headings.write_text("Just some notes.\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="no '## question' headings"):
        import_bank(no_headings)
    latin1 = tmp_path / "l.md"
    latin1.write_bytes("## Qu\xe9?\n\nR\xe9ponse.\n".encode("latin-1"))
    with pytest.raises(ImportFailed, match="not UTF-8"):
        import_bank(latin1)
    docx = tmp_path / "q.docx"
    docx.write_bytes(b"PK\x03\x04")
    with pytest.raises(ImportFailed, match="unknown format"):
        import_bank(docx)


def test_parse_csv_rows_and_header_case():
    rows = parse_csv("QUESTION,answer\nWhat is X?,It is Y.\n,\n")
    assert rows == [{"question": "What is X?", "answer": "It is Y."}]


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_toml_string_round_trips_any_text(text):
    assert tomllib.loads(f"x = {toml_string(text)}")["x"] == text


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(min_size=1, max_size=80), st.text(max_size=300)), min_size=1, max_size=4
    )
)
def test_any_markdown_import_is_valid_toml_with_slug_ids(tmp_path_factory, pairs):
    source = tmp_path_factory.mktemp("fuzz") / "fuzz.md"
    body = "\n".join(f"## {q.splitlines()[0] if q.splitlines() else q}\n{a}\n" for q, a in pairs)
    source.write_text(body, encoding="utf-8", errors="surrogatepass")
    try:
        draft = import_bank(source)
    except ImportFailed:
        return
    data = tomllib.loads(draft.to_toml())
    import re

    ids = [q["id"] for q in data["questions"]]
    assert len(ids) == len(set(ids)) and all(re.match(SLUG, i) for i in ids)


def readme_example() -> str:
    """The example bank of the README's "Question banks" section."""
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Question banks") :]
    return re.search(r"```toml\n(.*?)```", section, re.S).group(1)


def test_readme_example_bank_loads(tmp_path):
    path = tmp_path / "readme.toml"
    path.write_text(readme_example(), encoding="utf-8")
    bank = load_bank(path)
    assert bank.id == "my-questions" and bank.questions[0].key_points[0].weight == 2
    assert bank.topic_title(bank.questions[0].topic, "zh") == "基础概念"
