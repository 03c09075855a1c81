"""The rubric loader on valid files and on many kinds of broken file.

Every broken file must give a clean :class:`RubricError` whose problems name the exact file,
line, question id and field, so that a user can go straight to the mistake.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockint.rubric import Bank, Problem, RubricError, load_bank, load_library

VALID = textwrap.dedent(
    """\
    id = "demo"
    languages = ["en", "zh"]
    title = { en = "Demo bank", zh = "演示题库" }

    [[questions]]
    id = "first"
    topic = "basics"
    difficulty = "easy"
    prompt = { en = "What is a tensor?", zh = "什么是张量?" }
    model_answer.en = "A multi-dimensional array of numbers."
    model_answer.zh = "张量是多维数组。"

    [[questions.key_points]]
    id = "array"
    text = { en = "A tensor is a multi-dimensional array.", zh = "张量是多维数组。" }
    weight = 2
    paraphrases = ["an n-dimensional array"]
    follow_up = { en = "How many dimensions can it have?", zh = "它可以有几个维度?" }

    [[questions.key_points]]
    id = "shape"
    text = { en = "Its shape lists the size of each dimension.", zh = "形状给出每个维度的大小。" }
    follow_up = { en = "What is its shape?", zh = "它的形状是什么?" }

    [[questions.misconceptions]]
    id = "matrix-only"
    text = { en = "A tensor is always a matrix.", zh = "张量总是矩阵。" }
    correction = { en = "A matrix is a 2-D tensor.", zh = "矩阵只是二维张量。" }
    penalty = 10

    [[questions]]
    id = "second"
    topic = "training"
    prompt = { en = "What is an epoch?", zh = "什么是 epoch?" }
    model_answer = { en = "One pass over the training set.", zh = "完整遍历一次训练集。" }

    [[questions.key_points]]
    id = "one-pass"
    text = { en = "One full pass over the data.", zh = "一个 epoch 是遍历一次训练数据。" }
    follow_up = { en = "And an iteration?", zh = "那迭代呢?" }
    """
)


def write(tmp_path: Path, text: str | bytes, name: str = "bank.toml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def line_with(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based number of the line holding the ``occurrence``-th ``needle``."""
    found = [n for n, line in enumerate(text.split("\n"), start=1) if needle in line]
    return found[occurrence - 1]


def problems_of(path: Path) -> list[Problem]:
    """The problems of a broken file; every one of them names that file."""
    with pytest.raises(RubricError) as info:
        load_bank(path)
    assert info.value.problems, "a RubricError must list at least one problem"
    assert {p.file for p in info.value.problems} == {str(path)}
    return info.value.problems


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def test_valid_bank_loads_with_every_field(tmp_path):
    path = write(tmp_path, VALID)
    bank = load_bank(path)
    assert isinstance(bank, Bank)
    assert bank.id == "demo" and bank.path == path
    assert [q.id for q in bank.questions] == ["first", "second"]
    first = bank.question("first")
    assert first.difficulty == "easy" and first.time_limit == 180
    assert [kp.id for kp in first.key_points] == ["array", "shape"]
    assert first.key_points[0].weight == 2 and first.key_points[1].weight == 1.0
    assert first.key_points[0].paraphrases == ["an n-dimensional array"]
    assert first.model_answer.get("zh") == "张量是多维数组。"
    assert first.misconceptions[0].penalty == 10
    assert first.total_weight == 3


def test_byte_order_mark_and_crlf_line_ends_are_accepted(tmp_path):
    path = write(tmp_path, b"\xef\xbb\xbf" + VALID.replace("\n", "\r\n").encode("utf-8"))
    assert load_bank(path).id == "demo"


def test_missing_language_names_the_text_and_language(tmp_path):
    text = VALID.replace(
        'follow_up = { en = "What is its shape?", zh = "它的形状是什么?" }',
        'follow_up = { en = "What is its shape?" }',
    )
    path = write(tmp_path, text)
    problem = only(problems_of(path))
    assert problem.file == str(path)
    assert problem.line == line_with(text, 'follow_up = { en = "What is its shape?" }')
    assert problem.question_id == "first"
    assert problem.field == "questions[0].key_points[1].follow_up.zh"
    assert "missing 'zh'" in problem.message


def test_missing_language_in_a_sub_table_points_at_the_table(tmp_path):
    text = VALID.replace('model_answer.zh = "张量是多维数组。"\n', "")
    path = write(tmp_path, text)
    problem = only(problems_of(path))
    assert problem.line == line_with(text, "model_answer.en")
    assert (problem.question_id, problem.field) == ("first", "questions[0].model_answer.zh")


def test_empty_key_point_text(tmp_path):
    text = VALID.replace('zh = "形状给出每个维度的大小。"', 'zh = "  "')
    path = write(tmp_path, text)
    problem = only(problems_of(path))
    assert problem.line == line_with(text, 'id = "shape"') + 1
    assert (problem.question_id, problem.field) == ("first", "questions[0].key_points[1].text.zh")
    assert problem.message == "is empty"


def test_key_point_table_with_nothing_in_it(tmp_path):
    text = VALID + "\n[[questions.key_points]]\n"
    path = write(tmp_path, text)
    problems = problems_of(path)
    header = len(text.rstrip("\n").split("\n"))
    assert {p.field for p in problems} == {
        "questions[1].key_points[1].id",
        "questions[1].key_points[1].text",
        "questions[1].key_points[1].follow_up",
    }
    assert {(p.line, p.question_id) for p in problems} == {(header, "second")}


@pytest.mark.parametrize("weight", ["0", "-1.5"])
def test_weight_must_be_positive(tmp_path, weight):
    text = VALID.replace("weight = 2", f"weight = {weight}")
    path = write(tmp_path, text)
    problem = only(problems_of(path))
    assert problem.line == line_with(text, f"weight = {weight}")
    assert (problem.question_id, problem.field) == ("first", "questions[0].key_points[0].weight")
    assert "greater than 0" in problem.message


def test_weight_of_the_wrong_type(tmp_path):
    text = VALID.replace("weight = 2", 'weight = "heavy"')
    problem = only(problems_of(write(tmp_path, text)))
    assert problem.line == line_with(text, 'weight = "heavy"')
    assert problem.field == "questions[0].key_points[0].weight"


def test_unknown_field_is_a_typo_not_ignored(tmp_path):
    text = VALID.replace("penalty = 10", "penalty = 10\nwieght = 3")
    path = write(tmp_path, text)
    problem = only(problems_of(path))
    assert problem.line == line_with(text, "wieght = 3")
    assert (problem.question_id, problem.field) == (
        "first",
        "questions[0].misconceptions[0].wieght",
    )
    assert "unknown field" in problem.message


def test_unknown_language_key_inside_a_text(tmp_path):
    text = VALID.replace(
        'prompt = { en = "What is an epoch?"', 'prompt = { fr = "Epoque?", en = "What is an epoch?"'
    )
    problem = only(problems_of(write(tmp_path, text)))
    assert problem.line == line_with(text, "fr = ")
    assert (problem.question_id, problem.field) == ("second", "questions[1].prompt.fr")


def test_duplicate_question_ids_within_a_bank(tmp_path):
    text = VALID.replace('id = "second"', 'id = "first"')
    problem = only(problems_of(write(tmp_path, text)))
    assert problem.line == line_with(text, 'id = "first"', occurrence=2)
    assert (problem.question_id, problem.field) == ("first", "questions[1].id")
    first_line = line_with(text, 'id = "first"')
    assert f"first used on line {first_line}" in problem.message


def test_duplicate_key_point_ids_within_a_question(tmp_path):
    text = VALID.replace('id = "shape"', 'id = "array"')
    problem = only(problems_of(write(tmp_path, text)))
    assert problem.line == line_with(text, 'id = "array"', occurrence=2)
    assert (problem.question_id, problem.field) == ("first", "questions[0].key_points[1].id")
    assert "duplicate key point id 'array'" in problem.message


def test_a_misconception_names_the_key_points_it_denies(tmp_path):
    text = VALID.replace("penalty = 10\n", 'penalty = 10\ncontradicts = ["array"]\n')
    mistake = load_bank(write(tmp_path, text)).questions[0].misconceptions[0]
    assert mistake.contradicts == ["array"]
    none = VALID.replace("penalty = 10\n", "penalty = 10\ncontradicts = []\n")
    assert load_bank(write(tmp_path, none)).questions[0].misconceptions[0].contradicts == []
    unsaid = load_bank(write(tmp_path, VALID)).questions[0].misconceptions[0]
    assert unsaid.contradicts is None


def test_a_misspelt_key_point_in_contradicts_names_its_line_and_the_ids(tmp_path):
    text = VALID.replace("penalty = 10\n", 'penalty = 10\ncontradicts = [\n  "aray",\n]\n')
    problem = only(problems_of(write(tmp_path, text)))
    assert problem.line == line_with(text, "contradicts = [")
    assert (problem.question_id, problem.field) == (
        "first",
        "questions[0].misconceptions[0].contradicts[0]",
    )
    assert problem.message == "no key point 'aray' in this question (its key points: array, shape)"
    assert problem.reason == "rubric_unknown_key_point"


def test_duplicate_question_ids_across_banks(tmp_path):
    first = write(tmp_path, VALID, "a.toml")
    other = VALID.replace('id = "demo"', 'id = "other"').replace('id = "first"', 'id = "third"')
    second = write(tmp_path, other, "b.toml")
    library = load_library([tmp_path])
    assert [b.id for b in library.banks] == ["demo"]
    problem = only(library.problems)
    assert problem.file == str(second)
    assert problem.line == line_with(other, 'id = "second"')
    assert (problem.question_id, problem.field) == ("second", "questions[1].id")
    assert str(first) in problem.message


def test_duplicate_bank_ids_across_banks(tmp_path):
    write(tmp_path, VALID, "a.toml")
    other = VALID.replace('id = "first"', 'id = "third"').replace('id = "second"', 'id = "fourth"')
    second = write(tmp_path, "# my copy\n" + other, "b.toml")
    problem = only(load_library([tmp_path]).problems)
    assert (problem.file, problem.line, problem.field) == (str(second), 2, "id")
    assert "bank id 'demo' is already used" in problem.message


def test_the_same_file_reached_twice_is_not_its_own_duplicate(tmp_path):
    path = write(tmp_path, VALID)
    library = load_library([tmp_path, path, tmp_path / "." / "bank.toml"])
    assert library.problems == [] and [b.id for b in library.banks] == ["demo"]


def test_bad_encoding_names_the_line(tmp_path):
    data = VALID.replace("Demo bank", "D\xe9mo bank").encode("utf-8")
    data = data.replace("D\xe9mo".encode(), "D\xe9mo".encode("latin-1"))
    problem = only(problems_of(write(tmp_path, data)))
    assert problem.line == 3 and problem.question_id is None
    assert "UTF-8" in problem.message


def test_toml_syntax_error_names_the_line(tmp_path):
    text = VALID.replace('topic = "training"', 'topic = "training')
    problem = only(problems_of(write(tmp_path, text)))
    assert problem.line == line_with(text, 'topic = "training')
    assert problem.message.startswith("not valid TOML")


def test_ids_must_be_slugs(tmp_path):
    text = VALID.replace('id = "one-pass"', 'id = "One Pass"')
    problem = only(problems_of(write(tmp_path, text)))
    assert problem.line == line_with(text, 'id = "One Pass"')
    assert (problem.question_id, problem.field) == ("second", "questions[1].key_points[0].id")
    assert "lowercase" in problem.message


def test_bad_choice_and_range_values(tmp_path):
    text = VALID.replace('difficulty = "easy"', 'difficulty = "trivial"').replace(
        "penalty = 10", "penalty = 150"
    )
    problems = problems_of(write(tmp_path, text))
    by_field = {p.field: p for p in problems}
    assert set(by_field) == {"questions[0].difficulty", "questions[0].misconceptions[0].penalty"}
    assert by_field["questions[0].difficulty"].line == line_with(text, "trivial")
    assert by_field["questions[0].misconceptions[0].penalty"].line == line_with(
        text, "penalty = 150"
    )


def test_required_field_missing_from_a_question(tmp_path):
    text = VALID.replace('topic = "training"\n', "")
    problem = only(problems_of(write(tmp_path, text)))
    assert problem.line == line_with(text, 'id = "second"') - 1  # the [[questions]] header
    assert (problem.question_id, problem.field) == ("second", "questions[1].topic")
    assert "required" in problem.message


def test_undeclared_language_and_empty_question_list(tmp_path):
    text = 'id = "x"\nlanguages = ["en", "fr"]\ntitle = { en = "X" }\nquestions = []\n'
    problems = problems_of(write(tmp_path, text))
    assert {(p.field, p.line) for p in problems} == {("languages[1]", 2), ("questions", 4)}


def test_question_without_an_id_is_named_by_its_position(tmp_path):
    text = VALID.replace('id = "second"\n', "")
    problem = only(problems_of(write(tmp_path, text)))
    assert (problem.question_id, problem.field) == ("#2", "questions[1].id")


def test_lines_stay_right_after_multiline_strings_and_arrays(tmp_path):
    # Text inside a multi-line string or array that looks like a header or a key must not
    # shift the lines reported after it.
    tricky = (
        'model_answer.en = """An epoch.\n[[questions]]\nweight = 0\n"""\n'
        'model_answer.zh = "一个 epoch。"\n'
    )
    text = VALID.replace(
        'model_answer.en = "A multi-dimensional array of numbers."\n'
        'model_answer.zh = "张量是多维数组。"\n',
        tricky,
    ).replace(
        'paraphrases = ["an n-dimensional array"]',
        'paraphrases = [\n  "weight = 1",\n  "[[questions]]",\n]',
    )
    text = text.replace('id = "one-pass"', 'id = "one-pass"\nextra = 1')
    problem = only(problems_of(write(tmp_path, text)))
    assert problem.line == line_with(text, "extra = 1")
    assert (problem.question_id, problem.field) == ("second", "questions[1].key_points[0].extra")


def test_every_problem_of_a_file_is_listed_in_line_order(tmp_path):
    text = (
        VALID.replace("weight = 2", "weight = 0")
        .replace('id = "shape"', 'id = "array"')
        .replace(
            'model_answer = { en = "One pass over the training set.", zh = "完整遍历一次训练集。" '
            "}",
            'model_answer = { en = "One pass over the training set." }',
        )
    )
    problems = problems_of(write(tmp_path, text))
    assert [p.field for p in problems] == [
        "questions[0].key_points[0].weight",
        "questions[0].key_points[1].id",
        "questions[1].model_answer.zh",
    ]
    assert [p.line for p in problems] == sorted(p.line for p in problems)


def test_unreadable_and_deeply_nested_files_are_clean_errors(tmp_path):
    problem = only(problems_of(tmp_path / "missing.toml"))
    assert "cannot read file" in problem.message
    problem = only(problems_of(write(tmp_path, "x = " + "[" * 5000 + "]" * 5000)))
    assert "nested too deeply" in problem.message


def test_problem_reads_as_one_line_with_every_location_part(tmp_path):
    text = VALID.replace("weight = 2", "weight = 0")
    path = write(tmp_path, text)
    line = str(only(problems_of(path)))
    assert line == (
        f"{path}:{line_with(text, 'weight = 0')}: error: question first: "
        "field questions[0].key_points[0].weight: must be greater than 0"
    )


def _load_never_crashes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.toml"
    path.write_bytes(data)
    try:
        bank = load_bank(path)
    except RubricError as exc:
        assert exc.problems and all(isinstance(p, Problem) for p in exc.problems)
        assert all(p.file == str(path) for p in exc.problems)
    else:
        assert isinstance(bank, Bank)


FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ
@given(st.text())
def test_arbitrary_text_is_a_bank_or_a_clean_error(tmp_path, text):
    _load_never_crashes(tmp_path, text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.binary())
def test_arbitrary_bytes_are_a_bank_or_a_clean_error(tmp_path, data):
    _load_never_crashes(tmp_path, data)


_LINES = VALID.split("\n")


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(_LINES) - 1),
            st.sampled_from(["drop", "dup", "cut"]),
            st.integers(0, 80),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_mutated_valid_banks_are_a_bank_or_a_clean_error(tmp_path, edits):
    # Near-valid files reach the validation and location code far more often than random text.
    lines = list(_LINES)
    for index, action, cut in edits:
        index %= len(lines)
        if action == "drop":
            del lines[index]
        elif action == "dup":
            lines.insert(index, lines[index])
        else:
            lines[index] = lines[index][:cut]
        if not lines:
            lines = [""]
    _load_never_crashes(tmp_path, "\n".join(lines).encode("utf-8"))


_ML_BANK = Path(__file__).resolve().parents[2] / "rubrics" / "ml-fundamentals.toml"
_ML_LINES = _ML_BANK.read_text(encoding="utf-8").split("\n")
_ID_LINES = [n for n, line in enumerate(_ML_LINES) if line.startswith("id = ") and n > 20]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(_ID_LINES))
def test_a_typo_anywhere_in_a_real_bank_is_reported_at_its_line(tmp_path, index):
    # The built-in bank has multi-line strings and arrays everywhere: a field inserted after any
    # `id = ...` line must be reported at exactly its own line and in the right table.
    lines = list(_ML_LINES)
    lines.insert(index + 1, "wieght = 2")
    path = write(tmp_path, "\n".join(lines), "ml.toml")
    problem = only(problems_of(path))
    assert problem.line == index + 2
    assert problem.field.endswith(".wieght") and "unknown field" in problem.message
    question_start = max(n for n in range(index + 1) if _ML_LINES[n] == "[[questions]]")
    question_line = next(
        n for n in range(question_start, index + 1) if _ML_LINES[n].startswith("id = ")
    )
    assert f'id = "{problem.question_id}"' == _ML_LINES[question_line]


TOPICS = """\
[topics.basics]
title.en = "Basics"
title.zh = "基础"

[topics.training]
title = { en = "Training", zh = "训练" }

"""


def with_topics(topics: str = TOPICS) -> str:
    """VALID with ``topics`` (``[topics.<id>]`` tables) before its first question."""
    return VALID.replace("[[questions]]", topics + "[[questions]]", 1)


def test_topics_have_titles_in_each_language_and_fall_back_to_their_id(tmp_path):
    bank = load_bank(write(tmp_path, with_topics()))
    assert bank.topic_ids() == ["basics", "training"]
    assert [bank.topic_title(t, "zh") for t in bank.topic_ids()] == ["基础", "训练"]
    assert [bank.topic_title(t, "en") for t in bank.topic_ids()] == ["Basics", "Training"]
    untitled = load_bank(write(tmp_path, with_topics(TOPICS.split("[topics.training]")[0])))
    assert untitled.topic_title("training", "zh") == "training"
    assert load_bank(write(tmp_path, VALID)).topic_title("basics", "zh") == "basics"


def test_a_topic_title_missing_a_language_names_its_line_and_field(tmp_path):
    text = with_topics(TOPICS.replace('title.zh = "基础"\n', ""))
    problem = only(problems_of(write(tmp_path, text)))
    assert problem.line == line_with(text, 'title.en = "Basics"')
    assert (problem.question_id, problem.field) == (None, "topics.basics.title.zh")
    assert problem.reason == "rubric_missing_text"


def test_a_title_for_a_topic_no_question_has_is_a_typo(tmp_path):
    text = with_topics(TOPICS.replace("[topics.training]", "[topics.trainig]"))
    problem = only(problems_of(write(tmp_path, text)))
    assert problem.line == line_with(text, "[topics.trainig]")
    assert problem.field == "topics.trainig"
    assert problem.message == (
        "no question has topic 'trainig' (the questions' topics: basics, training)"
    )
    assert (problem.reason, problem.details["topic"]) == ("rubric_unused_topic", "trainig")


@pytest.mark.parametrize(
    ("topics", "needle", "field", "words"),
    [
        (TOPICS.replace("title.zh", "titel.zh"), "titel.zh", "topics.basics.titel", "unknown"),
        ('topics = "basics"\n', "topics = ", "topics", "dictionary"),
        ("[topics.basics]\n", "[topics.basics]", "topics.basics.title", "missing"),
        (TOPICS.replace('"基础"', '""'), 'title.zh = ""', "topics.basics.title.zh", "empty"),
    ],
)
def test_a_malformed_topics_table_names_its_line_and_field(tmp_path, topics, needle, field, words):
    text = with_topics(topics)
    if topics.startswith("topics ="):  # a key, so before the top level's tables
        text = VALID.replace("languages =", topics + "languages =")
    # A misspelt title.zh is also a missing one: each is said at its line.
    (problem,) = [p for p in problems_of(write(tmp_path, text)) if p.field == field]
    assert problem.line == line_with(text, needle)
    assert words in problem.message.lower()


# One real syntax mistake per kind of tomllib error, with where tomllib says it is.
SYNTAX_ERRORS = {
    "invalid_statement": ("= 1\n", 1, 1),
    "expected_newline": ("a = 1 b = 2\n", 1, 7),
    "expected_equals": ("a b = 1\n", 1, 3),
    "unclosed_table_header": ("[a\n", 1, 3),
    "unclosed_array_header": ("[[a]\n", 1, 4),
    "expected": ("a = '''x\n", 2, 1),
    "invalid_character": ("a = 'x\x01'\n", 1, 7),
    "declared_twice": ("[a]\n[a]\n", 2, 3),
    "overwrite": ("a = 1\na = 2\n", 2, 6),
    "immutable": ("a = {b = 1}\na.c = 2\n", 2, 8),
    "invalid_key": ("a. = 1\n", 1, 4),
    "unclosed_array": ("a = [1 2]\n", 1, 8),
    "duplicate_inline_key": ("a = {b = 1, b = 2}\n", 1, 18),
    "unclosed_inline_table": ("a = {b = 1\n", 1, 11),
    "unescaped_backslash": ('a = "x\\q"\n', 1, 9),
    "invalid_hex": ('a = "\\uZZZZ"\n', 1, 8),
    "invalid_escape": ('a = "\\uD800"\n', 1, 12),
    "unterminated_string": ('a = """abc', 1, 11),
    "string_not_closed": ('a = "abc\nb = 1\n', 1, 9),
    "illegal_character": ('a = """x\x01"""\n', 1, 9),
    "invalid_date": ("a = 2024-02-30\n", 1, 5),
    "invalid_value": ("a = tru\n", 1, 5),
}


@pytest.mark.parametrize("kind", list(SYNTAX_ERRORS))
def test_each_toml_syntax_error_has_a_reason_a_line_and_a_column(tmp_path, kind):
    """The reason lets the Chinese app word tomllib's English; the line and column (also at
    the end of the file, which tomllib does not number) are kept for every language."""
    text, line, column = SYNTAX_ERRORS[kind]
    problem = only(problems_of(write(tmp_path, 'id = "x"\n' + text)))
    assert problem.reason == f"rubric_toml_{kind}"
    assert (problem.line, problem.details["line"], problem.details["column"]) == (
        line + 1,
        line + 1,
        column,
    )
    assert problem.message.startswith("not valid TOML: ")


def test_a_key_tomllib_names_as_a_tuple_is_named_as_the_file_writes_it(tmp_path):
    problem = only(problems_of(write(tmp_path, "[a.b]\n[a.b]\n")))
    assert (problem.reason, problem.details["value"]) == ("rubric_toml_declared_twice", "'a.b'")
