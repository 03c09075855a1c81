"""Answers to questions no bank asks are off-topic too (neighbours.toml), with the real grader."""

from __future__ import annotations

import pytest

from mockint.grading import calibration as cal
from mockint.grading.neighbours import load_neighbours, rivals_of
from mockint.rubric import KeyPoint, Localized, Question

# Each answers a classic interview question that neither built-in bank holds.
ANSWERS_ELSEWHERE = [
    (
        "batch-norm",
        "Dropout is how I'd regularize a big fully connected layer. On every training step each "
        "unit is switched off with probability p, maybe 0.5, so the network can't lean on any one "
        "neuron and ends up like an average of many thinned networks. At test time nothing is "
        "dropped; the activations are scaled so they match what the next layer saw in training.",
        "dropout",
    ),
    (
        "batch-norm",
        "Dropout 是一种正则化方法：训练的时候每一步都按概率 p 随机把一些神经元关掉，"
        "比如 0.5，这样网络不会依赖某几个神经元，相当于很多个子网络的集成。"
        "测试的时候所有神经元都保留，只是把输出按比例缩放一下。",
        "dropout",
    ),
    (
        "hyperparameters",
        "Transfer learning is what I'd do when I have little data: take a network pretrained on "
        "ImageNet, keep the convolutional layers that already detect edges and textures, freeze "
        "them, swap out the last classification layer for one with my classes, and train just "
        "that head, then maybe unfreeze the top blocks with a small learning rate.",
        "transfer learning",
    ),
    (
        "k-means",
        "Word2vec trains a shallow network on raw text: with skip-gram, the center word predicts "
        "the words around it, and with CBOW it's the other way round. Negative sampling keeps it "
        "cheap. The hidden layer's weights end up as word vectors where similar words sit close "
        "together, so king minus man plus woman lands near queen.",
        "word2vec",
    ),
    (
        "data-leakage",
        "For a new model I'd start in shadow mode, where it scores live traffic next to the "
        "current model but nobody sees its output. If the numbers hold up, I'd give it a few "
        "percent of traffic as a canary, watch latency and the business metrics, and keep the "
        "old model ready so rollback is one switch.",
        "production",
    ),
]

# Answers to the question asked that talk about a neighbour's subject, or vaguely about nothing.
ON_TOPIC = [
    (
        "batch-norm",
        "Batch norm normalizes each layer's activations over the mini-batch to zero mean and unit "
        "variance, then learns gamma and beta to rescale them. Training gets faster and more "
        "stable, you can use a bigger learning rate, and the batch noise regularizes a bit, so "
        "you often need less dropout.",
    ),
    (
        "pca",
        "PCA is for reducing dimensionality: when I have lots of correlated features I project "
        "onto fewer directions, or I use it to plot high-dimensional data in 2D.",
    ),
    (
        "hyperparameters",
        "You tune hyperparameters by trying different values, with grid search or random "
        "search, and keeping the ones that do best on the validation set.",
    ),
    (
        "bias-variance",
        "Bias and variance are both really important and you need to balance them. If you only "
        "focus on one, the model won't be good, so in practice you adjust depending on the data "
        "and the business.",
    ),
]


@pytest.mark.parametrize(("question_id", "answer", "subject"), ANSWERS_ELSEWHERE)
def test_an_answer_to_a_question_no_bank_asks_is_off_topic(
    grade_in_library, question_id, answer, subject
):
    result = grade_in_library(question_id, answer)
    assert result.verdict == "off-topic"
    assert result.score <= cal.OFF_TOPIC_CAP
    # The candidate is told what they answered instead, in the answer's language.
    instead = [n for n in result.notes if subject in n.lower()]
    assert instead, result.notes
    assert result.feedback.count(instead[0]) == 1


@pytest.mark.parametrize(("question_id", "answer"), ON_TOPIC)
def test_an_answer_that_touches_a_neighbour_is_not_off_topic(grade_in_library, question_id, answer):
    result = grade_in_library(question_id, answer)
    assert result.verdict != "off-topic"
    assert not any("different question" in note for note in result.notes)


def test_every_right_answer_of_the_banks_stays_on_topic(grade_in_library, library):
    """The model answers mention many neighbours' subjects (dropout, grid search, t-SNE…)."""
    for bank in library.banks:
        for question in bank.questions:
            for language in question.model_answer.languages():
                answer = question.model_answer.get(language)
                result = grade_in_library(question.id, answer)
                assert result.verdict != "off-topic", (question.id, language)


def test_a_neighbour_the_prompt_names_is_no_rival():
    """A bank's own question on dropout is not off-topic for talking about dropout."""
    asked = Question(
        id="dropout-asked",
        topic="training",
        prompt=Localized(en="What is Dropout, and when would you use it?"),
        model_answer=Localized(en="Dropout zeroes random units during training."),
        key_points=[
            KeyPoint(
                id="zeroes-units",
                text=Localized(en="Dropout zeroes random units during training."),
                follow_up=Localized(en="What does dropout do during training?"),
            )
        ],
    )
    rivals = {q.id for q in rivals_of(asked)}
    every = {n.question.id for n in load_neighbours()}
    assert "neighbour-dropout" in every
    assert rivals == every - {"neighbour-dropout"}


def test_every_neighbour_is_stated_in_english_and_chinese():
    neighbours = load_neighbours()
    assert len(neighbours) >= 50
    for neighbour in neighbours:
        question = neighbour.question
        assert question.prompt.languages() == ["en", "zh"], question.id
        assert len(question.key_points) >= 3, question.id
        for point in question.key_points:
            assert point.text.languages() == ["en", "zh"], (question.id, point.id)


# A bank of close questions with one-line references, as real students' corpora have (in our
# own words): "What is a linked list?" next to the circular list and the array. Each: id,
# prompt, the one key point (also the model answer), its follow-up.
CLOSE_QUESTIONS = [
    (
        "linked-list",
        "What is a linked list?",
        "A collection of elements allocated dynamically, one at a time.",
        "How is the memory of a linked list allocated?",
    ),
    (
        "circular-list",
        "How does a circular linked list differ from a basic one?",
        "In a circular linked list the last element points back to the head of the list.",
        "Where does the last element point?",
    ),
    (
        "array-advantage",
        "What is the main advantage of an array over a linked list?",
        "An array reaches any element by its index; a list is walked from the head.",
        "How do you reach the tenth element of each?",
    ),
]


def one_point_bank(questions) -> str:
    """A bank's TOML: one key point per question, which is also its model answer."""
    blocks = ['id = "lists"', 'title.en = "Lists"']
    for qid, prompt, point, follow_up in questions:
        blocks += [
            "[[questions]]",
            f'id = "{qid}"',
            'topic = "lists"',
            f'prompt.en = "{prompt}"',
            f'model_answer.en = "{point}"',
            "[[questions.key_points]]",
            'id = "point"',
            f'text.en = "{point}"',
            f'follow_up.en = "{follow_up}"',
        ]
    return "\n".join(blocks) + "\n"


def test_an_answer_that_covers_some_of_its_question_must_clearly_answer_another(grader, tmp_path):
    """Off-topic needs a clear statement of the other question's point (a hit) once the answer
    covers a tenth of its own: "a pointer to the next element" half resembles "the last element
    points back to the head", and was called off-topic (2) for it."""
    from mockint.rubric import load_bank

    path = tmp_path / "lists.toml"
    path.write_text(one_point_bank(CLOSE_QUESTIONS), encoding="utf-8")
    bank = load_bank(path)
    asked = bank.questions[0]

    def grade(answer):
        return grader.grade(asked, answer, bank_id=bank.id, other_questions=bank.questions)

    on_topic = grade("A data type that contains a pointer to at least the next element in a list.")
    assert on_topic.coverage >= 100 * cal.OFF_TOPIC_SOME_COVERAGE
    assert on_topic.verdict != "off-topic" and on_topic.score > cal.OFF_TOPIC_CAP
    # Answers that do state a neighbour's point are still off-topic.
    for other in (
        "In a circular linked list the last element points back to the head of the list "
        "instead of to null.",
        "An array gives direct access to any element by its index, while a linked list must "
        "be walked from the head.",
    ):
        assert grade(other).verdict == "off-topic", other
