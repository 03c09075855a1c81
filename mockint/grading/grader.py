"""The grader: match an answer's segments against a question's key points and misconceptions.

How a score comes about (every number is traceable to a key point):

1. The answer is cut into segments (``segmenter``); each segment, and each pair of neighbouring
   segments, is a *unit* that can cover a key point.
2. Each unit is embedded by both embedders; rubric texts (key point statements in every
   language, paraphrases, misconceptions, the prompt) are embedded once and cached on disk.
3. A key point's raw similarity is its best match over units and references. It is then
   *calibrated* against how well the bare question prompt matches the same key point: an answer
   earns credit only for saying more than the question already says (this is what keeps vague,
   on-topic-sounding answers low).
4. Units that match a misconception better than the key point they resemble are not evidence for
   that point, and the misconception's penalty is applied.
5. Answers that read as keyword lists, or that answer another question of the bank better than
   this one, are capped.
"""

from __future__ import annotations

import functools
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from mockint.grading import alignment
from mockint.grading import calibration as cal
from mockint.grading.directions import reversed_direction
from mockint.grading.embedder import (
    CachedEncoder,
    Embedder,
    GraderLoadError,
    MultilingualEmbedder,
    SentenceTransformerEmbedder,
)
from mockint.grading.feedback import compose_feedback, note, verdict_for
from mockint.grading.glossary import in_chinese, tight, with_translations
from mockint.grading.judge import CONTRADICT, ENTAIL, NEUTRAL
from mockint.grading.models import Grade, KeyPointResult, MisconceptionResult
from mockint.grading.neighbours import load_neighbours, rivals_of
from mockint.grading.notation import Spelled, spell_out
from mockint.grading.opposites import (
    NAMED_PAIRS,
    SIDE_PAIRS,
    changes_the_other_way,
    crosses,
    exchanged,
    mentioned,
    names_counterpart,
    opposed,
    restored,
    reverses,
    said_of_each,
    said_of_the_other,
)
from mockint.grading.reported import set_aside
from mockint.grading.retractions import retract
from mockint.grading.roles import binds_alike, binds_otherwise
from mockint.grading.segmenter import (
    HARM,
    Segment,
    bare_claim,
    clauses_of,
    clauses_sharing,
    closest_clause,
    content_words,
    continues,
    detect_language,
    follows_condition,
    has_cjk,
    negated,
    only_condition,
    refers_back,
    same_polarity,
    segment_with_sentences,
    sentence_ends,
    word_count,
)
from mockint.grading.traditional import simplified
from mockint.rubric import Question

# Answers beyond this many characters are graded on their beginning only: nobody says 20,000
# characters in an interview, and embedding a megabyte would freeze the app.
MAX_ANSWER_CHARS = 20_000
RECENT_ANSWERS = 512


# The key of a code-switched answer's units read with their glossary words in Chinese.
_IN_CHINESE = "/in-chinese"


@dataclass
class _Units:
    """The answer's matchable units and their embeddings (one matrix per embedder)."""

    segments: list[Segment]
    spans: list[tuple[int, int]]
    # Units that can state a misconception: single segments and whole split sentences, not
    # neighbour pairs (one bool per span).
    claims: np.ndarray
    # The neighbour pairs that are one claim cut in two: inside one sentence, the second part
    # carrying on the first ("I oversample on the full dataset before splitting, so the test
    # set is balanced too"). They may state a misconception, if the judge agrees (one bool
    # per span).
    joined: np.ndarray
    vectors: dict[str, np.ndarray] = field(default_factory=dict)
    # Contextual word vectors of the segments, then of the extra sentence units, from the
    # primary model's forward pass (None when the answer was not embedded by it).
    words: list[alignment.WordVectors] | None = None


@dataclass
class _QuestionRefs:
    """Cached reference texts of one question: what each key point / misconception matches."""

    key: str  # the question's content hash
    kp_refs: list[list[str]]
    mc_refs: list[list[str]]
    corrections: list[list[str]]
    topic_refs: list[str]
    # For soft recall: each key point's wordings an English word model can align, and the
    # content stems the question itself already says (derived once, used on every grade).
    kp_alignable: list[list[str]] = field(init=False)
    asked: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self.kp_alignable = [alignment.alignable(group) for group in self.kp_refs]
        self.asked = alignment.content_stems(" ".join(alignment.alignable(self.topic_refs)))


class Grader:
    """Grades answers with a sentence-transformers model plus the multilingual encoder.

    Thread-safe: the TUI grades in a worker thread while the main thread may load rubrics.
    """

    def __init__(
        self, primary: Embedder, multilingual: Embedder | None, cache_dir=None, judge=None
    ):
        self.primary = CachedEncoder(primary, cache_dir)
        # The cross-encoder that reads a statement and a clause together (judge.py); without
        # it, grading falls back on embeddings alone.
        self.judge = judge
        # Word vectors of key point wordings, for soft recall (alignment.py); models without a
        # tokenizer (or a stand-in embedder) simply grade on sentence similarity alone.
        self._words = (
            alignment.WordVectorCache(primary) if alignment.supports_words(primary) else None
        )
        self.multilingual = CachedEncoder(multilingual, cache_dir) if multilingual else None
        self._refs: dict[str, _QuestionRefs] = {}
        # Recently embedded answers: re-grading one (after a follow-up, an override, a rubric
        # edit, a calibration run) then costs no model call.
        self._recent: OrderedDict[tuple[str, str], _Units] = OrderedDict()
        self._capacity = RECENT_ANSWERS
        self._imitated: dict[tuple[str, int], int] = {}
        self._said_of_each: dict[tuple, tuple[np.ndarray, ...] | None] = {}
        # Stacked reference vectors per (encoder, texts): rubric texts are few and fixed, and
        # looking each text up in the disk cache on every grade cost more than the matching.
        self._matrices: dict[tuple[str, tuple[str, ...]], np.ndarray] = {}
        self._lock = threading.Lock()

    def remember(self, answers: int) -> None:
        """Keep up to ``answers`` embedded answers (and their judged pairs) in memory: for
        calibration and benchmarks that grade the same answers again and again."""
        self._capacity = max(self._capacity, answers)
        if self.judge is not None:
            self.judge.remember(answers * 40)

    @property
    def model_name(self) -> str:
        names = [self.primary.name] + ([self.multilingual.name] if self.multilingual else [])
        return "+".join(names + ([self.judge.name] if self.judge else []))

    def encoders(self, language: str) -> list[tuple[CachedEncoder, float]]:
        """Which embedders judge an answer in ``language``, and how much each counts.

        all-MiniLM-L6-v2 knows no Chinese (measured: cross-lingual similarity ~0), so Chinese
        answers are judged by the multilingual encoder alone; English answers by both.
        """
        if self.multilingual is None:
            return [(self.primary, 1.0)]
        if language == "zh":
            return [(self.multilingual, 1.0)]
        return [(self.primary, cal.PRIMARY_WEIGHT), (self.multilingual, 1 - cal.PRIMARY_WEIGHT)]

    def embed(self, texts: Sequence[str], language: str = "en") -> np.ndarray:
        """Embed ``texts`` with the ``language``'s main embedder (used by the rubric linter)."""
        encoder = self.encoders(language)[0][0]
        return encoder.embedder.encode(list(texts))

    def _question_refs(self, question: Question) -> _QuestionRefs:
        key = question.content_hash()
        refs = self._refs.get(key)
        if refs is None:
            kp_refs = [
                list(dict.fromkeys(kp.text.all_texts() + kp.paraphrases))
                for kp in question.key_points
            ]
            mc_refs = [
                list(dict.fromkeys(mc.text.all_texts() + mc.paraphrases))
                for mc in question.misconceptions
            ]
            corrections = [mc.correction.all_texts() for mc in question.misconceptions]
            refs = _QuestionRefs(key, kp_refs, mc_refs, corrections, question.prompt.all_texts())
            self._refs[key] = refs
        return refs

    def _rubric_texts(self, question: Question) -> list[str]:
        """Every text of ``question`` an answer is matched against: its key points' and
        misconceptions' wordings, the corrections, its prompt and its model answer."""
        refs = self._question_refs(question)
        groups = refs.kp_refs + refs.mc_refs + refs.corrections
        texts = [t for group in groups for t in group] + refs.topic_refs
        return texts + question.model_answer.all_texts()

    def warm(self, questions: Sequence[Question]) -> None:
        """Embed (and cache on disk) every rubric text of ``questions`` ahead of grading, and
        the key points' word vectors (in memory)."""
        encoders = [e for e in (self.primary, self.multilingual) if e is not None]
        for question in questions:
            texts = self._rubric_texts(question)
            for encoder in encoders:
                encoder.encode(texts)
            if self._words is not None:
                # Key points' word vectors live in memory only: compute them now, not during
                # the first answer to each question.
                refs = self._question_refs(question)
                self._words.get([t for group in refs.kp_alignable for t in group])
            compile_terms(question)
        if cal.NEIGHBOURS:
            # The questions no bank asks are matched against every answer (off-topic), by
            # their texts alone: no word vectors.
            texts = [t for n in load_neighbours() for t in self._rubric_texts(n.question)]
            for encoder in encoders:
                encoder.encode(texts)
        self.save_cache()

    def wake(self) -> None:
        """Call each model once: the multilingual encoder builds itself on its first call (0.7 s
        here), which the first answer graded would otherwise wait for. Rubric texts found in
        the disk cache call no model, so :meth:`warm` alone does not do this."""
        for encoder in filter(None, (self.primary, self.multilingual)):
            encoder.embedder.encode(["warm up"])
        if self.judge is not None:
            self.judge.predict([("warm up", "warm up")])

    def save_cache(self) -> None:
        for encoder in filter(None, (self.primary, self.multilingual)):
            encoder.save()

    def _vectors(self, encoder: CachedEncoder, texts: Sequence[str]) -> np.ndarray:
        """The vectors of rubric ``texts`` (memoised; embedded and disk-cached when new)."""
        key = (encoder.name, tuple(texts))
        matrix = self._matrices.get(key)
        if matrix is None:
            matrix = self._matrices[key] = encoder.encode(list(texts))
        return matrix

    def _similarity(self, units: _Units, texts: list[str], language: str) -> np.ndarray:
        """Blended cosine similarity, shape (len(units), len(texts))."""
        total = None
        for encoder, weight in self.encoders(language):
            refs = self._vectors(encoder, texts)
            sims = units.vectors[encoder.name] @ refs.T
            if (again := units.vectors.get(encoder.name + _IN_CHINESE)) is not None:
                sims = np.maximum(sims, again @ refs.T)
            sims *= weight
            total = sims if total is None else total + sims
        assert total is not None
        return total

    def _embed_units(self, answer: str, language: str) -> _Units:
        key = (answer, language)
        with self._lock:
            if key in self._recent:
                self._recent.move_to_end(key)
                return self._recent[key]
        units = self._compute_units(answer, language)
        with self._lock:
            self._recent[key] = units
            while len(self._recent) > self._capacity:
                self._recent.popitem(last=False)
        return units

    def _compute_units(self, answer: str, language: str) -> _Units:
        return self._compute_many([(answer, language)])[0]

    def _compute_many(self, items: Sequence[tuple[str, str]]) -> list[_Units]:
        """Units of several answers, with one embedding call per embedder for all of them:
        batching is what makes bulk grading fast."""
        all_units, extras = [], []
        for answer, _ in items:
            segments, sentences = segment_with_sentences(answer)
            spans = [(s.start, s.end) for s in segments]
            # Pairs of neighbours catch a point stated across two short sentences.
            spans += [(a.start, b.end) for a, b in zip(segments, segments[1:])]
            spans += [(s.start, s.end) for s in sentences]
            n_pairs = max(len(segments) - 1, 0)
            claims = np.array([True] * len(segments) + [False] * n_pairs + [True] * len(sentences))
            joined = np.zeros(len(spans), dtype=bool)
            for k, (a, b) in enumerate(zip(segments, segments[1:])):
                one_sentence = not sentence_ends(answer[a.start : b.start + 1])
                joined[len(segments) + k] = one_sentence and continues(b.text)
            all_units.append(_Units(segments, spans, claims, joined))
            extras.append(sentences)
        for encoder in filter(None, (self.primary, self.multilingual)):
            wanted = [
                i
                for i, (_, lang) in enumerate(items)
                if any(e is encoder for e, _ in self.encoders(lang))
            ]
            texts = [bare_claim(s.text) for i in wanted for s in all_units[i].segments + extras[i]]
            if not texts:
                continue
            # A code-switched clause is also read with its glossary words in Chinese ("loss 会
            # diverge" as "损失会发散"): the multilingual encoder places a half-English
            # clause far from both of a statement's wordings, and the better reading counts.
            again: dict[int, str] = {}
            if encoder is self.multilingual and cal.READ_MIXED_AS_CHINESE:
                for n, t in enumerate(texts):
                    if (chinese := in_chinese(t)) != t:
                        again[n] = chinese
            words = None
            if encoder is self.primary and self._words is not None:
                # The same forward pass gives the word vectors that soft recall needs.
                vectors, words = alignment.encode_with_words(encoder.embedder, texts)
            else:
                vectors = encoder.embedder.encode(texts + list(again.values()))
            # The second reading: the same rows, the re-read ones replaced (only built when
            # some text was re-read, which English answers never are).
            read_again = None
            if again:
                read_again = vectors[: len(texts)].copy()
                read_again[list(again)] = vectors[len(texts) :]
            offset = 0
            for i in wanted:
                n, k = len(all_units[i].segments), len(extras[i])
                if words is not None:
                    all_units[i].words = words[offset : offset + n + k]
                readings = [(encoder.name, vectors)]
                if read_again is not None and any(offset <= m < offset + n + k for m in again):
                    readings.append((encoder.name + _IN_CHINESE, read_again))
                for name, matrix in readings:
                    seg_vectors = matrix[offset : offset + n]
                    sentence_vectors = matrix[offset + n : offset + n + k]
                    # A pair's vector is the normalised mean of its parts: nearly as good as
                    # embedding the joined text, and free.
                    pairs = seg_vectors[:-1] + seg_vectors[1:]
                    if len(pairs):
                        pairs /= np.maximum(np.linalg.norm(pairs, axis=1, keepdims=True), 1e-12)
                    all_units[i].vectors[name] = np.vstack(
                        [seg_vectors, pairs.reshape(-1, seg_vectors.shape[1]), sentence_vectors]
                    )
                offset += n + k
        return all_units

    def prepare(self, answers: Sequence[str]) -> None:
        """Embed many answers at once ahead of grading them (``grade --batch``, benchmarks)."""
        items = []
        for answer in answers:
            text = (answer or "").strip()[:MAX_ANSWER_CHARS]
            if text:
                items.append((text, detect_language(text)))
        items = [item for item in dict.fromkeys(items) if item not in self._recent]
        for start in range(0, len(items), 64):
            chunk = items[start : start + 64]
            for key, units in zip(chunk, self._compute_many(chunk)):
                with self._lock:
                    self._recent[key] = units
                    while len(self._recent) > self._capacity:
                        self._recent.popitem(last=False)

    def grade(
        self,
        question: Question,
        answer: str,
        *,
        bank_id: str = "",
        language: str | None = None,
        hints_used: int = 0,
        other_questions: Sequence[Question] = (),
        elsewhere: Sequence[Question] = (),
        focus: str | None = None,
    ) -> Grade:
        """Grade ``answer`` to ``question``.

        ``language`` is the language of the feedback (default: the answer's). ``other_questions``
        (the rest of the bank) lets the grader notice an answer to a different question;
        ``elsewhere`` (the questions of the other banks loaded) widens that to them, without
        their deciding whether an answer is on topic enough for the floor.
        ``focus`` (a key point id) grades a follow-up: only that point can be covered, and the
        score is how well the answer states it (misconceptions still count).
        """
        text = (answer or "").strip()
        truncated = len(text) > MAX_ANSWER_CHARS
        text = text[:MAX_ANSWER_CHARS]
        # What the candidate took back ("L2 gives sparse weights... no wait, L1 does") is not
        # what they said: blanked, at the same offsets, so quotes still point into the answer.
        said = retract(text, simplified(text))
        corrected = said is not text
        # Nor is a belief they report of others to correct it ("很多人以为 L2 也能做特征选择，其实
        # 不行"): blanked the same way (reported.py).
        unsaid = set_aside(said, simplified(said))
        reported = unsaid is not said
        said = unsaid
        # Arrows ("lr ↑ → diverges", "bias ↓ var ↑") are graded as the direction words
        # they stand for, Traditional characters as Simplified ones (學習率 as 学习率, 資料 as
        # 数据); quotes are given back as typed (_as_typed).
        spelled = spell_out(said)
        text = spelled.text
        answer_language = detect_language(text) if text.strip() else (language or "en")
        feedback_language = language or answer_language
        # (key, values) of feedback.NOTES, written out in the feedback language at the end.
        notes: list[tuple[str, dict]] = []
        if truncated:
            notes.append(("truncated", {"chars": MAX_ANSWER_CHARS}))
        if corrected:
            notes.append(("corrected", {}))
        refs = self._question_refs(question)
        points = [i for i, kp in enumerate(question.key_points) if focus in (None, kp.id)]
        if not points:
            raise ValueError(f"question {question.id} has no key point {focus!r}")
        dont_know = _says_dont_know(text)
        units = self._embed_units(text, answer_language) if text and not dont_know else None

        kp_results, mc_results = self._match(
            question, refs, text, units, answer_language, feedback_language, points
        )
        weight = sum(question.key_points[i].weight for i in points)
        coverage = 100.0 * sum(r.weight * r.credit for r in kp_results) / weight
        if dont_know:
            cap, floor, cap_notes = 0.0, 0.0, [("dont-know", {})]
        else:
            cap, floor, cap_notes = self._bounds(
                question,
                text,
                units,
                answer_language,
                other_questions,
                elsewhere,
                coverage / 100.0,
                bool(mc_results),
            )
        if focus is not None:
            floor = 0.0  # a follow-up that does not state the point has not answered it
        for key, values in cap_notes:
            notes.append((key, values))
            if key == "off-topic":
                # Which question it answers, so the candidate sees what they mistook this for.
                instead = values.pop("instead").get(feedback_language)
                notes.append(("answers-instead", {"prompt": instead}))
        curved = cal.curve(coverage)
        brief_cap, shallow = self._brief_cap(question, points, text, answer_language)
        if brief_cap < min(curved, cap):
            # One line can name the right idea, but cannot show an interviewer that a question
            # asking for several is understood: the ceiling grows with how much of what the
            # key points say the answer could hold.
            cap = brief_cap
            if word_count(text) < cal.MIN_ANSWER_WORDS:
                notes.append(("too-short", {}))
            else:
                notes.append(("shallow" if shallow else "brief", {}))
        capped = min(curved, cap)
        penalty = min(capped, cal.PENALTY_SCALE * sum(m.penalty for m in mc_results))
        if mc_results:
            # A stated mistake shows the core idea is not understood: however much else the
            # answer says, an interviewer would not pass it.
            capped = min(capped, cal.MISCONCEPTION_CAP)
        if hints_used:
            # A revealed keyword is worth less than remembering it.
            hint_cost = min(capped - penalty, cal.HINT_PENALTY * hints_used)
            penalty += hint_cost
            notes.append(("hints", {"n": hints_used, "cost": hint_cost}))
        if capped < curved:
            penalty += curved - capped
        score = max(0.0, curved - penalty)
        # A fluent answer to this question that says nothing wrong but nothing concrete still
        # addressed it: interviewers rank it above a list of terms or a wrong answer (the
        # on-topic floor). A wrong answer engaged it too: it ranks above an answer to another
        # question, below the on-topic floor. (A wrong follow-up earns nothing.)
        if mc_results:
            floor = cal.MISTAKE_FLOOR if focus is None else 0.0
        floor = min(floor, cap)
        if score < floor:
            score, penalty = floor, max(0.0, curved - floor)
            if not mc_results:
                notes.append(("floor", {"floor": floor}))
        score = round(score, 1)
        if spelled.text != spelled.typed:
            kp_results = [_as_typed(r, spelled) for r in kp_results]
            mc_results = [_as_typed(r, spelled) for r in mc_results]
        if corrected or reported:
            kp_results = [_squeezed(r, "evidence") for r in kp_results]
            mc_results = [_squeezed(r, "evidence", "text") for r in mc_results]
        verdict = verdict_for(score, text, off_topic=any(k == "off-topic" for k, _ in notes))
        follow_kp = (
            _follow_up_point(question, kp_results) if focus is None and not dont_know else None
        )
        return Grade(
            question_id=question.id,
            bank_id=bank_id,
            score=score,
            verdict=verdict,
            language=answer_language,
            model=self.model_name,
            key_points=kp_results,
            misconceptions=mc_results,
            follow_up=follow_kp.follow_up if follow_kp else None,
            follow_up_key_point=follow_kp.id if follow_kp else None,
            feedback=compose_feedback(verdict, kp_results, mc_results, notes, feedback_language),
            model_answer=question.model_answer.get(feedback_language),
            coverage=round(coverage, 1),
            penalty=round(penalty, 1),
            notes=[note(key, feedback_language, **values) for key, values in notes],
            focus=focus,
        )

    def _brief_cap(self, question, points, text, language) -> tuple[float, bool]:
        """(the most an answer of this length can score, whether the model answer's length is
        what sets it): its words against what the key points (the ones being asked about) take
        to say, so a one-point question accepts one short sentence and a five-point question
        does not; and, for the whole question, against its model answer."""
        words = word_count(text)
        asked = sum(word_count(question.key_points[i].text.get(language)) for i in points)
        # A term or two where the points take whole sentences is held down by this ceiling
        # alone ("normalizes layer activations" for batch norm scores 12). A fixed cap of 10
        # under four words (until stop 42) also cut "O(log n)" to "how many comparisons does a
        # search in a binary search tree take?" (graders: 5/5): lifting it raised Pearson on
        # Mohler's 2,273 answers 0.6085 -> 0.6127 and SemEval's correct-vs-contradictory AUC
        # 0.758 -> 0.763 and 0.759 -> 0.762, and changed no answer of data/.
        needed = asked * cal.BRIEF_SHARE
        # BRIEF_SHARE is fitted (benchmarks/calibrate.py); at 0 no ceiling beyond this.
        ceiling = 100.0 * words / needed if needed > 0 else 100.0
        expected = word_count(question.model_answer.get(language))
        if len(points) == len(question.key_points) and expected >= cal.DEPTH_MIN_WORDS:
            # Naming every point in a line each is not explaining them: the whole question's
            # answer is held to the length of its model answer, from DEPTH_BASE for a few words
            # up to full marks at that length. (Not a follow-up, which asks for one point; nor
            # a question whose model answer is a sentence or two, which one sentence answers.)
            depth = cal.DEPTH_BASE + (100.0 - cal.DEPTH_BASE) * words / expected
            if depth < ceiling:
                return depth, True
        return ceiling, False

    def _match(self, question, refs, text, units, answer_language, feedback_language, points):
        """(key point results for ``points``, misconception and mistake results)."""
        if units is None or not units.segments:
            return [
                _result(question.key_points[i], 0.0, 0.0, None, None, feedback_language)
                for i in points
            ], []
        # One similarity matrix per reference group, then the best reference per unit.
        kp_sims = np.stack(
            [self._similarity(units, r, answer_language).max(axis=1) for r in refs.kp_refs], axis=1
        )  # (units, key points)
        base = self._baseline(question, refs, answer_language)  # (key points,)
        # Each misconception's wordings against every unit, computed once and shared below.
        mc_ref_sims = [self._similarity(units, r, answer_language) for r in refs.mc_refs]
        recalls = self._recalls(refs, units, answer_language)
        columns = []
        for i in range(len(question.key_points)):
            column = kp_sims[:, i]
            if recalls is not None:
                weight = cal.RECALL_WEIGHT.get(answer_language, 0.0)
                column = alignment.aligned_similarity(column, recalls[i], weight)
            columns.append(column)
        worded = _worded(question, units, text)
        verdicts = self._judge_units(
            question, text, units, columns, base, mc_ref_sims, answer_language, points, worded
        )
        stated = self._stated_misconceptions(
            question, refs, units, text, kp_sims, mc_ref_sims, answer_language, verdicts, worded
        )
        mc_results: list[MisconceptionResult] = []
        for j, mc in enumerate(question.misconceptions):
            hits = np.flatnonzero(stated[:, j])
            if len(hits):
                start, end = units.spans[int(hits[0])]
                mc_results.append(
                    MisconceptionResult(
                        id=mc.id,
                        text=mc.text.get(feedback_language),
                        evidence=text[start:end],
                        correction=mc.correction.get(feedback_language),
                        penalty=mc.penalty,
                    )
                )
        # A unit that states a misconception is not evidence for the point it resembles, and
        # the point a stated misconception contradicts earns nothing anywhere in the answer: an
        # interviewer does not give credit for a right sentence next to its own denial.
        blocked = _spread(_with_introductions(stated.any(axis=1), units, text), units)
        contradicted = self._contradicted(question, refs, stated, kp_sims, mc_ref_sims, units, text)
        # A stated mistake that says the opposite of a key point ("if it's too low, the loss
        # diverges") denies that point too.
        for u in np.flatnonzero(stated.any(axis=1)):
            clause = text[slice(*units.spans[u])]
            for i in points:
                if opposed(question.key_points[i].text.get(answer_language), clause):
                    contradicted.add(i)
        # Which key point each unit matches best, for _reversed_point.
        best_point = np.argmax(np.stack(columns, axis=1), axis=1)
        # First every point the answer states the wrong way round, then the credit: a clause
        # named as a mistake is evidence for no point, whichever comes first in the rubric.
        wrong_sims: dict[int, float] = {}
        listed = _looks_like_keyword_list(text)  # a list of terms swaps no names
        # Two points each contradicted by a clause of their own is a swap ("a high learning
        # rate makes training slow ..., a low one makes the loss diverge"): the judge is
        # believed less surely then than for one clause alone. A point a stated mistake denies
        # counts as one of the two: "too high ... very slow and stuck", then "if your loss
        # explodes, increase the learning rate" (`swapped-effects`, which denies the point
        # about divergence) is the same swap.
        judged_wrong = sum(
            self._contradiction(
                i,
                verdicts,
                blocked,
                units,
                np.where(blocked, -1.0, columns[i]),
                answer_language,
                cal.JUDGE_CONTRADICT_PAIRED,
            )
            is not None
            for i in points
            if i not in contradicted
        )
        paired = judged_wrong >= 1 and judged_wrong + len(contradicted) >= 2
        threshold = cal.JUDGE_CONTRADICT_PAIRED if paired else cal.JUDGE_CONTRADICT
        swapped = {} if listed else self._swapped_definitions(question, refs, units, text, blocked)
        # A unit whose subject is the one before it ("so that layer's weights grow fourfold",
        # after a fully connected layer is named) says nothing alone of any point either.
        unanchored = np.array([refers_back(text[slice(*span)]) for span in units.spans])
        for i in points:
            kp = question.key_points[i]
            column = np.where(blocked, -1.0, columns[i])
            silent = blocked | unanchored
            wrong = self._contradiction(
                i, verdicts, silent, units, column, answer_language, threshold
            )
            if wrong is None:
                wrong = _reversed_point(i, question, units, text, columns, best_point, silent)
            if wrong is None and not listed:
                wrong = _swapped_roles(i, question, units, text, columns, silent)
            if wrong is None and kp.direction is not None and not listed:
                wrong = _reversed_direction(kp, units, text, silent)
            if wrong is None and i in swapped and not silent[swapped[i]]:
                wrong = swapped[i]
            if wrong is None:
                continue
            if i in contradicted:
                # Denied by a stated mistake already (named once): the clause that says it the
                # wrong way round is still evidence for nothing ("the loss starts oscillating
                # and can even diverge", of too low a learning rate, is no reading of the loss
                # curve).
                blocked |= _spread(np.arange(len(blocked)) == wrong, units)
                continue
            # The answer states this point the wrong way round ("too high a learning rate
            # makes training slow"): no credit, and the mistake is named with what is true.
            wrong_sims[i] = self._best_unit(
                kp, column, float(base[i]), units, text, answer_language, verdicts.kp.get(i, {})
            )[2]
            start, end = units.spans[wrong]
            mc_results.append(
                MisconceptionResult(
                    id=f"{CONTRADICTS}{kp.id}",
                    text=text[start:end],
                    evidence=text[start:end],
                    correction=kp.text.get(feedback_language),
                    penalty=cal.CONTRADICTION_PENALTY,
                )
            )
            blocked |= _spread(np.arange(len(blocked)) == wrong, units)
        results = []
        for i in points:
            kp = question.key_points[i]
            column = np.where(blocked, -1.0, columns[i])
            if i in contradicted:
                results.append(
                    _result(kp, max(0.0, float(column.max())), 0.0, None, None, feedback_language)
                )
                continue
            if i in wrong_sims:
                results.append(_result(kp, wrong_sims[i], 0.0, None, None, feedback_language))
                continue
            unit, credit, sim = self._best_unit(
                kp, column, float(base[i]), units, text, answer_language, verdicts.kp.get(i, {})
            )
            span = units.spans[unit] if credit > 0 else None
            evidence = text[span[0] : span[1]] if span else None
            results.append(_result(kp, sim, credit, evidence, span, feedback_language))
        return results, mc_results

    def _swapped_definitions(self, question, refs, units, text, blocked) -> dict[int, int]:
        """Key points that a claim unit states with two named things' roles exchanged, each
        with that unit: "bias is how much your predictions move around when you retrain on
        different data, and variance is the systematic error of a model too simple for the
        problem", "boosting is the variance-reduction method and random forest the
        bias-reduction one".

        What the unit says of each (its parts that open with one name, the names blanked out,
        opposites.said_of_each) is compared with what the key points say of each: both must
        resemble what the rubric says of the *other* one by SWAP_DEFINITION_MARGIN more than
        what it says of their own. The names alone are no evidence (they are blanked out), and
        a single part is not enough: only the exchange of both. Embeddings alone miss it, as
        the names weigh most in them; the judge reads such a pair as neutral."""
        found: dict[int, int] = {}
        if not cal.SWAPPED_DEFINITIONS:
            return found
        encoder = self.multilingual or self.primary
        # Neighbour pairs too: "X is …, and Y is …" is often cut in two at the comma.
        for unit in np.flatnonzero(~blocked):
            clause = text[slice(*units.spans[unit])]
            lowered = clause.lower()
            for sides in SIDE_PAIRS:
                # A part opens with a name only where the clause has it: most clauses name
                # neither of a pair, and are not cut into parts 14 times for nothing.
                if not all(any(name.lower() in lowered for name in side) for side in sides):
                    continue
                said = said_of_each(clause, *sides, defined=True)
                if any(
                    part is None or word_count(part) < cal.SWAP_DEFINITION_MIN_WORDS
                    for part in said
                ):
                    continue
                rubric = self._rubric_said_of_each(question, refs.key, sides, encoder)
                if rubric is None:
                    continue
                vectors = encoder.embedder.encode(list(said))
                vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
                crossed = []
                for side in (0, 1):
                    own, other = rubric[side], rubric[1 - side]
                    sims_own, sims_other = own[1] @ vectors[side], other[1] @ vectors[side]
                    if sims_other.max() - sims_own.max() < cal.SWAP_DEFINITION_MARGIN:
                        break
                    crossed.append(other[0][int(np.argmax(sims_other))])
                else:
                    for i in crossed:
                        found.setdefault(i, int(unit))
        return found

    def _rubric_said_of_each(self, question, question_key, sides, encoder):
        """Per side, (key point index of each wording part, their normalised vectors): what the
        key points' wordings say of each of two named things (opposites.said_of_each); None
        when they say nothing of one of them. ``question_key`` is the question's content hash,
        already computed for its references (hashing a question takes about 0.6 ms, and this
        runs for every unit that names both things)."""
        key = (question_key, sides, encoder.name)
        if key not in self._said_of_each:
            parts: tuple[list, list] = ([], [])
            for i, kp in enumerate(question.key_points):
                for wording in dict.fromkeys(kp.text.all_texts() + kp.paraphrases):
                    for side, part in enumerate(said_of_each(wording, *sides)):
                        if part is not None:
                            parts[side].append((i, part))
            if all(parts):
                self._said_of_each[key] = tuple(
                    (
                        [i for i, _ in side],
                        (v := self._vectors(encoder, [p for _, p in side]))
                        / np.linalg.norm(v, axis=1, keepdims=True),
                    )
                    for side in parts
                )
            else:
                self._said_of_each[key] = None
        return self._said_of_each[key]

    def _recalls(self, refs, units, language) -> list[np.ndarray] | None:
        """Per key point, per unit: how much of the point's wording beyond the question the
        unit says (soft recall of its content words, alignment.py); None when not used.

        A sentence embedding rewards an answer for being about the same thing; recall asks
        whether it says the specific thing. On SemEval-2013's unseen questions this took
        accuracy from 0.678 to 0.746 (benchmarks/semeval_features.py).
        """
        if self._words is None or units.words is None or not cal.RECALL_WEIGHT.get(language):
            return None
        n = len(units.segments)
        segments, extra = units.words[:n], units.words[n:]
        return [
            alignment.key_point_recalls(self._words.get(group), segments, refs.asked, extra=extra)
            for group in refs.kp_alignable
        ]

    @staticmethod
    def _best_unit(kp, column, baseline, units, text, language, judged) -> tuple[int, float, float]:
        """(unit, credit, similarity) of the unit that best covers a key point.

        When the point lists critical terms, the evidence must contain one: "high bias means
        the model overfits" resembles "high bias means underfitting" closely, and the word
        that tells them apart is the term. A unit without any term earns at most
        NO_TERM_CREDIT_CAP, unless it matches nearly verbatim (TERM_TRUST_SIM).

        Units the judge read (``judged``: unit -> probabilities) lose what their words would
        have earned as far as it finds they contradict the point; with
        JUDGE_PARAPHRASE_CREDIT, a clause it finds entails the point also earns credit however
        it is worded.
        """
        credits = _word_credits(kp, column, baseline, units, text, language)
        for unit, probs in judged.items():
            if column[unit] >= 0:  # not blocked by a stated misconception
                credits[unit] = max(
                    credits[unit] * (1.0 - float(probs[CONTRADICT])),
                    cal.judge_credit(float(probs[ENTAIL])) if cal.JUDGE_PARAPHRASE_CREDIT else 0.0,
                )
        # A unit that uses the opposite of one of the point's words ("a high learning rate
        # makes training slow" for "too low ... slow") is what embeddings cannot read: it
        # earns only what the judge says it states.
        # So does a pair of sentences holding such a unit.
        for unit in np.flatnonzero(_opposing(kp, credits, units, text)):
            probs = judged.get(int(unit))
            credits[unit] = 0.0 if probs is None else cal.judge_credit(float(probs[ENTAIL]))
        best = int(np.lexsort((-column, -credits))[0])
        return best, float(credits[best]), max(0.0, min(1.0, float(column[best])))

    def _judge_units(
        self, question, text, units, columns, base, mc_ref_sims, language, points, worded
    ) -> _Verdicts:
        """Ask the judge about the few units that could state each key point (the best
        matches) or a misconception: one batch of (statement, clause) pairs per answer.

        Pairs whose reading cannot change the grade are not asked (the judge is most of the
        cost of a grade): a clause that exchanges no opposite of a key point's words can only
        gain credit from the judge, never lose it, so without JUDGE_PARAPHRASE_CREDIT it is
        not read, and with it not once some unit earns the whole point from its words; and a
        clause without any of a misconception's terms can neither state it nor have it
        vetoed.
        """
        verdicts = _Verdicts()
        if self.judge is None:
            return verdicts
        asks: list[tuple[dict, int, int, str]] = []  # (verdict table, index, unit, statement)
        for i in points:
            kp, column = question.key_points[i], columns[i]
            # Whether a unit that can only gain is left unread (computed only when it could be
            # read: _best_unit works these credits out again afterwards).
            skip_gains = not cal.JUDGE_PARAPHRASE_CREDIT or _earned_by_words(
                kp, column, float(base[i]), units, text, language
            )
            for unit in np.argsort(-column)[: cal.JUDGE_UNITS]:
                unit = int(unit)
                if column[unit] >= cal.JUDGE_MIN_MATCH and not (
                    skip_gains and _only_gains(kp, units, text, unit)
                ):
                    statement = kp.text.get(_unit_language(units, text, unit))
                    asks.append((verdicts.kp.setdefault(i, {}), i, unit, statement))
        n_kp = len(asks)
        for j, mc in enumerate(question.misconceptions):
            best = mc_ref_sims[j].max(axis=1)
            # Only a unit with the mistake's words can state it: the judge reads the best
            # of those (in a long answer the unit most like the mistake is often another).
            # The best claims and, apart, the best joined pair: a pair must be read to stand.
            chosen = [
                unit
                for mask, n in (
                    (units.claims & worded[:, j], cal.JUDGE_UNITS),
                    (units.joined & worded[:, j], 1),
                )
                for unit in np.argsort(-np.where(mask, best, -1.0))[:n]
                if mask[unit]
            ]
            for unit in chosen:
                if best[unit] < cal.JUDGE_MIN_MISCONCEPTION:
                    continue
                # In English whatever the clause's language: against a Chinese statement the
                # judge hardly ever says neutral (a Chinese clause either entails or contradicts
                # it), against the English one its entailment tells stated mistakes apart.
                statement = mc.text.get("en")
                asks.append((verdicts.mc.setdefault(j, {}), j, int(unit), statement))
        if not asks:
            return verdicts
        clauses = [text[slice(*units.spans[u])] for _, _, u, _ in asks]
        probs = self.judge.predict([(s, c) for (_, _, _, s), c in zip(asks, clauses)])
        # The judge alone calls many incomplete clauses contradictions. A clause contradicts a
        # key point only when it exchanges an opposite of one of the point's words and, with
        # that word put back, states the point (opposites.py: "too high -> slow" restored is
        # "too low -> slow"). A contradiction also goes both ways; half of a key point does
        # not, so the judge reads the pair again with the texts exchanged, and the two
        # readings are averaged.
        probs = probs.copy()
        again = []
        for k in range(n_kp):
            back = restored(asks[k][3], clauses[k])
            if back is None:
                probs[k][NEUTRAL] += probs[k][CONTRADICT]
                probs[k][CONTRADICT] = 0.0
            elif probs[k][CONTRADICT] >= cal.JUDGE_REVERSE_MIN:
                again.append((k, back))
        if again:
            reread = self.judge.predict(
                [(clauses[k], asks[k][3]) for k, _ in again]
                + [(asks[k][3], back) for k, back in again]
            )
            for n, (k, _) in enumerate(again):
                reverse, fixed = reread[n], reread[len(again) + n]
                contra = (probs[k][CONTRADICT] + reverse[CONTRADICT]) / 2
                # Put right, the clause must state the point, or at least the judge must move
                # away from contradiction: the exchanged opposite was what it objected to (a
                # restored clause with details of its own, "...diverge to NaN", is often read
                # as neutral or worse, never as the point itself).
                moved = probs[k][CONTRADICT] - fixed[CONTRADICT]
                if fixed[ENTAIL] < cal.JUDGE_RESTORED and moved < cal.JUDGE_RESTORED_SHIFT:
                    contra = 0.0  # put right, it still does not say the point
                probs[k][NEUTRAL] += probs[k][CONTRADICT] - contra
                probs[k][CONTRADICT] = contra
        for (table, _, unit, _), p in zip(asks, probs):
            table[unit] = p
        return verdicts

    @staticmethod
    def _contradiction(i, verdicts, blocked, units, column, language, threshold) -> int | None:
        """The claim unit the judge finds states key point ``i`` the wrong way round, with
        contradiction at least ``threshold``, if any (the clearest one); only a unit about the
        point counts (it matches the point at least as well as a unit starting to earn
        credit)."""
        best, best_p = None, 0.0
        for unit, probs in verdicts.kp.get(i, {}).items():
            contra, entail = float(probs[CONTRADICT]), float(probs[ENTAIL])
            if (
                units.claims[unit]
                and not blocked[unit]
                and column[unit] >= cal.LOW.get(language, cal.LOW["en"])
                and contra >= threshold
                and contra - entail >= cal.JUDGE_MARGIN
                and contra > best_p
            ):
                best, best_p = unit, contra
        return best

    def _stated_misconceptions(
        self, question, refs, units, text, kp_sims, mc_ref_sims, language, verdicts, worded
    ) -> np.ndarray:
        """(units, misconceptions) booleans: which unit states which misconception.

        The judge decides where it read the unit: a clause it finds entails the misconception
        states it, in whatever words. Without it, or as a second opinion, embeddings decide,
        though they barely see the difference between "normalizes the activations" and
        "normalizes the weights": a unit must match the misconception better than both every
        correct key point and the misconception's own correction, and agree with it in polarity
        ("accuracy is not enough" does not state "accuracy is enough").
        """
        n_units, n_mc = len(units.spans), len(refs.mc_refs)
        stated = np.zeros((n_units, n_mc), dtype=bool)
        if not n_mc:
            return stated
        mc_sims = np.stack([sims.max(axis=1) for sims in mc_ref_sims], axis=1)
        corr_sims = np.stack(
            [self._similarity(units, r, language).max(axis=1) for r in refs.corrections], axis=1
        )
        rival = np.maximum(kp_sims.max(axis=1, initial=0.0)[:, None], corr_sims)
        # Not other neighbour pairs: "An epoch is all the data. A batch is a subset." blends
        # two true statements into one that resembles a false one.
        near = mc_sims >= min(
            cal.MISCONCEPTION_MIN[language],
            cal.MISCONCEPTION_MIN_LEADING[language],
            cal.MISCONCEPTION_MIN_FAR_LEADING[language],
        )
        near[~(units.claims | units.joined)] = False
        # A right statement the unit says the opposite of is no rival: "K-means always
        # converges to the global optimum" reads as near the correction "...only a local
        # optimum..." as the mistake, and "global" for "local" is what tells them apart.
        # (Before the lead is measured when LEAD_OVER_UNOPPOSED: "一定能收敛到全局最优解，所以
        # 结果跟初始化没有关系" leads everything right it does not deny by 0.33.)
        unopposed = rival.copy()
        for u, j in zip(*np.nonzero(near)):
            unopposed[u, j] = _unopposed_rival(
                question, units, text, int(u), int(j), kp_sims, corr_sims
            )
        lead_rival = unopposed if cal.LEAD_OVER_UNOPPOSED else rival
        close = near & (
            (mc_sims >= cal.MISCONCEPTION_MIN[language])
            | (
                (mc_sims >= cal.MISCONCEPTION_MIN_LEADING[language])
                & (mc_sims - lead_rival >= cal.MISCONCEPTION_LEAD)
            )
            | (
                (mc_sims >= cal.MISCONCEPTION_MIN_FAR_LEADING[language])
                & (mc_sims - lead_rival >= cal.MISCONCEPTION_FAR_LEAD)
            )
        )
        rival = np.where(close, unopposed, rival)
        lexical = self._lexical_lean(question, refs, units, text, close)
        candidates = close & (
            mc_sims - rival + cal.LEXICAL_WEIGHT * lexical >= cal.MISCONCEPTION_MARGIN
        )

        def wording(u: int, j: int) -> str:
            """The wording of misconception ``j`` that unit ``u`` matches best."""
            return refs.mc_refs[j][int(np.argmax(mc_ref_sims[j][u]))]

        def nearest_wording(u: int, j: int, keep) -> str | None:
            """Of the wordings of misconception ``j`` that ``keep`` accepts, the one unit ``u``
            matches best (None when it accepts none)."""
            kept = [k for k, w in enumerate(refs.mc_refs[j]) if keep(w)]
            if not kept:
                return None
            return refs.mc_refs[j][max(kept, key=lambda k: mc_ref_sims[j][u][k])]

        def same_script_wording(u: int, j: int) -> str | None:
            """The wording of misconception ``j`` in the script of unit ``u`` it matches best,
            when the best of all is in the other one."""
            cjk = has_cjk(text[slice(*units.spans[u])])
            if has_cjk(wording(u, j)) == cjk:
                return None
            return nearest_wording(u, j, lambda w: has_cjk(w) == cjk)

        def reverses_mistake(u: int, j: int) -> bool:
            """A unit that pairs a word of the mistake with its opposite ("simple models have
            high bias and low variance" against "simple models have high variance"), or
            exchanges one ("过拟合就加数据" against "欠拟合就加数据"), says the reverse of the
            mistake, however alike the two read to the embeddings and the judge."""
            unit_text = text[slice(*units.spans[u])]
            mc = question.misconceptions[j]

            def reversed_in(statement: str) -> bool:
                mistake = closest_clause(statement, unit_text)
                return (
                    reverses(mistake, unit_text)
                    or restored(mistake, unit_text) is not None
                    or changes_the_other_way(mistake, unit_text)
                )

            # Opposite words are found within one language: "Learning rate 太高的话 loss 会
            # diverge" reverses "学习率太小 loss 会发散", not the nearest wording "a too-low
            # learning rate makes the loss diverge".
            own = same_script_wording(u, j) if cal.REVERSE_SAME_SCRIPT else None
            return (
                reversed_in(wording(u, j))
                or (own is not None and reversed_in(own))
                or _exchanges_english(wording(u, j), unit_text)
                or names_counterpart(
                    mc.text.all_texts(), unit_text, mc.terms, before=text[: units.spans[u][0]]
                )
                or said_of_the_other(
                    wording(u, j), unit_text, text[: units.spans[u][0]], mc.text.all_texts()
                )
                # "bagging 主要降 variance，boosting 主要降 bias" against the mistake that
                # gives bagging bias and boosting variance.
                or any(crosses(statement, unit_text) for statement in mc.text.all_texts())
                # "one fold is held out for validation and the other k-1 are used for
                # training" against "trains on one fold and validates on the other k-1".
                or binds_otherwise(mc.text.all_texts(), unit_text)
            )

        def agrees_in_polarity(u: int, j: int) -> bool:
            """Polarity of the clause that carries the claim, on both sides, against the
            wording of the misconception the unit matches best ("you don't need to tune it"
            matches the paraphrase "with Adam you don't need to tune", not "Adam tunes it for
            you")."""
            clause = text[slice(*units.spans[u])]
            mc_text = wording(u, j)
            # ...or, when that wording has none of the mistake's terms, against the nearest one
            # with a term the unit uses: "Boosting can't be parallelized" is judged against
            # "boosting trains its trees in parallel", not against "each tree is built without
            # looking at the others", whose "without" would make the denial look like agreement.
            mc = question.misconceptions[j]
            terms = mc.terms
            if cal.POLARITY_BY_TERM and not mentions_any(mc_text.lower(), terms):
                used = [t for t in terms if mentions_any(clause.lower(), (t,))]
                having = nearest_wording(u, j, lambda w: mentions_any(w.lower(), used))
                mc_text = having or mc_text
            # Where a clause with the mistake's words names a harm, it must agree too: "and for
            # time series use forward-in-time splits, since random folds let you peek at the
            # future" carries the "random" of "shuffle randomly" only to say it does harm.
            # So must one it runs into that says only what harm it does: "先过采样再划分，测试
            # 样本的复制品跑进了训练集" ("later" below).
            if HARM.search(clause) and not _agrees_where_harmed(clause, mc_text, terms):
                return False
            # ...and so must a unit cut off before the clause of its sentence that names the
            # harm of what it describes: "先用全量数据做标准化，然后再划分训练集和测试集，" goes on
            # "测试集的统计信息就漏进去了", an example of leakage, not a way to do it.
            if _harm_follows(_next_clause(text, units.spans[u][1])):
                return negated(closest_clause(clause, mc_text)) != negated(mc_text)
            # The clauses that carry the mistake's words must not all deny it: "Precision and
            # recall usually cannot be both high, when one go up the other go down" has its
            # "both" in a denial, however well its second clause matches "both go up".
            if mc.terms and _terms_only_denied(clause, [mc_text, *mc.text.all_texts()], mc.terms):
                return False
            if _nearest_clause_agrees(clause, mc_text):
                return True
            # A paraphrase may carry a negation of its own that is no part of the claim ("fit
            # the scaler on the full dataset before splitting so no information is missing"):
            # where an English unit says the mistake's words, its English statement, whose
            # negations are the claim's, decides too, when every clause of the unit that shares
            # a word with it agrees. (Not in Chinese, whose negations are counted less surely:
            # "不是说特征之间无条件独立" has two, and denies the mistake.)
            english = _unit_language(units, text, u) == "en"
            return (
                english and bool(worded[u, j]) and _every_clause_agrees(clause, mc.text.get("en"))
            )

        # A clause that points back ("模型越简单则反过来", "and vice versa") says nothing alone,
        # nor does a condition cut off before its consequence ("the catch is if the network
        # ends in a dense layer:").
        # Nor does a heading over a list ("需要缩放的模型：" and the models on the lines below).
        alone = np.array(
            [
                not refers_back(text[start:end])
                and not only_condition(text[start:end])
                and not _heads_list(text, end)
                for start, end in units.spans
            ]
        )
        # ...and only a unit with the words that make it wrong can state a mistake, unless it
        # reads nearly as the mistake itself and far from anything right ("I apply SMOTE to
        # the whole dataset before splitting" has none of the terms "test set", "all the data").
        # (Not in a list of terms, which is read by its terms: "TP, FP, FN, precision =
        # TP/(TP+FP)" reads nearly as "precision = TP / (TP + FN)".)
        trusted = (
            (mc_sims >= cal.MISCONCEPTION_TERM_TRUST)
            & (mc_sims - rival >= cal.MISCONCEPTION_LEAD)
            & (not _looks_like_keyword_list(text))
        )
        # Not a unit whose words of the mistake are all denied: "不保证整棵树全局最优" reads
        # nearly as "得到的就是全局最优的树", and its 不保证 is what the embeddings miss.
        for u, j in zip(*np.nonzero(trusted & ~worded)):
            trusted[u, j] = not _denies_terms(
                question.misconceptions[j], text[slice(*units.spans[u])]
            )
        candidates &= alone[:, None] & (worded | trusted)
        for u, j in zip(*np.nonzero(candidates)):
            if agrees_in_polarity(u, j) and not reverses_mistake(u, j):
                stated[u, j] = True
        # A unit that gives the mistake's quantities the mistake's roles states it, however
        # close it reads to the right point it turns round ("每次用其中 1 份来训练，剩下的 k-1 份
        # 用来验证" against "one fold for validation, the other k-1 for training"), when it
        # resembles the mistake at all: the binding is the claim, and no margin can see it.
        for u, j in zip(*np.nonzero(near & alone[:, None] & ~stated)):
            mc = question.misconceptions[j]
            if binds_alike(mc.text.all_texts(), text[slice(*units.spans[u])]) and (
                agrees_in_polarity(u, j)
            ):
                stated[u, j] = True
        # A joined pair may still be two claims the embeddings blend ("..., then precision,
        # recall and F1, and for binary problems the ROC curve" is not "the ROC curve plots
        # precision against recall"): it stands only where the judge read it and did not take
        # it for the opposite of the mistake.
        for u in np.flatnonzero(units.joined & stated.any(axis=1)):
            for j in np.flatnonzero(stated[u]):
                probs = verdicts.mc.get(j, {}).get(int(u))
                if cal.JOINED_LEANING_STANDS and lexical[u, j] > 0:
                    continue
                if probs is None or float(probs[CONTRADICT]) >= cal.JUDGE_JOINED_VETO:
                    stated[u, j] = False
        for j, judged in verdicts.mc.items():
            mc = question.misconceptions[j]
            for u, probs in judged.items():
                entail, contra = float(probs[ENTAIL]), float(probs[CONTRADICT])
                english = _unit_language(units, text, int(u)) == "en"
                # The judge reads Chinese less surely: there the unit must resemble the
                # mistake nearly as much as anything right.
                slack = cal.JUDGE_MC_SLACK if english else cal.JUDGE_MC_SLACK_ZH
                start, end = units.spans[u]
                if (
                    alone[u]
                    and entail >= cal.JUDGE_MISCONCEPTION
                    and entail - contra >= cal.JUDGE_MARGIN
                    and not reverses_mistake(u, j)
                    # It must also resemble the mistake nearly as much as anything right, or
                    # say the opposite of a right point: the judge alone takes "linear
                    # regression predicts a continuous value" for "logistic regression
                    # predicts a continuous value".
                    and (
                        mc_sims[u, j] - rival[u, j] >= -slack
                        or _opposes_in(
                            question.key_points[self._imitated_point(question, refs, j)],
                            text[start:end],
                            language,
                        )
                    )
                    and worded[u, j]
                    # The judge hardly sees a negation in Chinese: "用全部数据 fit 就有问题了"
                    # entails "normalizing the whole dataset first is harmless" at 0.8 for it.
                    # Checked against the mistake's own statements, whose negations are spelt
                    # out, where a paraphrase may say one in a word ("skip", "insensitive").
                    # In English, the clause nearest the statement in words carries the claim:
                    # "a random forest is robust, hard to overfit by adding trees" shares a word
                    # with "Adding more trees to a random forest makes it overfit" in its first
                    # clause too, but denies it in the one about adding trees.
                    and (
                        _nearest_clause_agrees(text[start:end], mc.text.get("en"))
                        if english
                        else _some_clause_agrees(text[start:end], mc.text.all_texts())
                    )
                ):
                    stated[u, j] = True
        # A mistake about a narrower thing than the question ("for time series you can shuffle
        # the rows") is stated only where the answer names that thing, in the unit's sentence
        # or the one before: "You shuffle the data, cut it into k folds" is right of k-fold.
        for j, mc in enumerate(question.misconceptions):
            for u in np.flatnonzero(stated[:, j]) if mc.about else ():
                context = _with_sentence_before(text, *units.spans[u])
                stated[u, j] = mentions_any(context.lower(), mc.about)
        return stated

    def _lexical_lean(self, question, refs, units, text, where) -> np.ndarray:
        """(units, misconceptions) in {-1, 0, 1}: which way the unit's words lean (computed
        only ``where`` true: the units close enough to a misconception to matter).

        +1 when the unit uses a word only the misconception uses ("weights" in "BN normalizes
        the weights", absent from the key point it imitates), -1 when it names one of that key
        point's critical terms ("activations"), 0 for both or neither. The embedding cannot
        weigh one word; the word is often the whole difference.
        """
        lean = np.zeros((len(units.spans), len(refs.mc_refs)))
        for j, mc in enumerate(question.misconceptions):
            if not where[:, j].any():
                continue
            i = self._imitated_point(question, refs, j)
            kp = question.key_points[i]
            if mc.terms:
                wrong_words = None
            else:
                # No terms in the rubric: the words only the misconception uses, a weaker cue.
                wrong_words = content_words(" ".join(refs.mc_refs[j])) - content_words(
                    " ".join(refs.kp_refs[i] + refs.corrections[j])
                )
            for u in np.flatnonzero(where[:, j]):
                start, end = units.spans[u]
                unit_text = text[start:end]
                lowered = unit_text.lower()
                if wrong_words is None:
                    towards = mentions_any(lowered, mc.terms, affirmed=True)
                else:
                    towards = bool(wrong_words & content_words(unit_text))
                away = bool(kp.terms) and mentions_any(lowered, kp.terms)
                lean[u, j] = int(towards) - int(away)
        return lean

    def _contradicted(self, question, refs, stated, kp_sims, mc_ref_sims, units, text) -> set[int]:
        """Key points that a stated misconception contradicts more clearly than the answer
        states them (an answer that says both, the wrong version louder, is confused).

        Neither a unit that holds the stated mistake nor a clause about the point's counterpart
        only states the point: in "high bias 就等于 overfitting；high variance 则是 underfitting"
        the second clause resembles "bias 高就是欠拟合" closely, and is the same mistake again.
        """
        points = set()
        for j in range(stated.shape[1]):
            rows = np.flatnonzero(stated[:, j])
            if not len(rows):
                continue
            mc_sim = float(mc_ref_sims[j][rows].max())
            mistaken = [units.spans[r] for r in rows]
            for i in self._contradicted_points(question, refs, j):
                statements = question.key_points[i].text.all_texts()
                # Neither a unit holding the mistake nor one about the counterpart states it.
                others = [
                    u
                    for u, (start, end) in enumerate(units.spans)
                    if not any(start <= a and b <= end for a, b in mistaken)
                    and not names_counterpart(statements, text[start:end])
                ]
                own = kp_sims[others, i]
                if not len(own) or float(own.max()) < mc_sim:
                    points.add(i)
        return points

    def _contradicted_points(self, question, refs, j: int) -> tuple[int, ...]:
        """The key points that misconception ``j`` denies, which an answer stating it earns only
        where it states them more clearly: those its ``contradicts`` names, or, where the rubric
        does not say, the one it imitates."""
        named = question.misconceptions[j].contradicts
        if named is None:
            return (self._imitated_point(question, refs, j),)
        ids = [kp.id for kp in question.key_points]
        return tuple(ids.index(point) for point in named)

    def _imitated_point(self, question, refs, j: int) -> int:
        """The key point misconception ``j`` reads most like (most similar in meaning): the one
        whose words tell a right clause from the mistake. Not always the point it denies: "SGD
        uses the whole dataset for every update" reads most like the definition of an epoch,
        and denies none of a question on epochs, batches and iterations."""
        key = (refs.key, j)
        cached = self._imitated.get(key)
        if cached is None:
            sims = self.misconception_point_similarities(question, j)
            cached = self._imitated[key] = int(np.argmax(sims))
        return cached

    def misconception_point_similarities(self, question: Question, j: int) -> np.ndarray:
        """How near misconception ``j`` of ``question`` is to each of its key points in meaning
        (their closest wordings, by the multilingual encoder where there is one): the nearest
        is the point it is taken to deny when the rubric does not say."""
        refs = self._question_refs(question)
        encoder = self.multilingual or self.primary
        mc = self._vectors(encoder, refs.mc_refs[j])
        return np.array([float((mc @ self._vectors(encoder, g).T).max()) for g in refs.kp_refs])

    def _baseline(self, question, refs, language) -> np.ndarray:
        """How well the bare prompt matches each key point: the similarity that earns nothing."""
        prompts = refs.topic_refs
        base = np.zeros(len(refs.kp_refs))
        for encoder, weight in self.encoders(language):
            p = self._vectors(encoder, prompts)
            for i, group in enumerate(refs.kp_refs):
                base[i] += weight * float((p @ self._vectors(encoder, group).T).max())
        return base

    def _bounds(
        self, question, text, units, language, others, elsewhere, covered, mistaken
    ) -> tuple[float, float, list]:
        """(cap, floor, notes): the most an answer that is not a real answer to this question
        can score, and the least a fluent on-topic one does. ``covered`` is the weighted share
        of the key points the answer covers, ``mistaken`` whether it states a mistake about this
        question: neither such answer is off-topic."""
        if units is None or not units.segments:
            return 0.0, 0.0, [("empty", {})]
        notes = []
        cap, floor = 100.0, 0.0
        if (
            word_count(text) >= cal.MIN_ANSWER_WORDS
            and _looks_like_keyword_list(text)
            and not _wants_terms(question)
        ):
            cap = min(cap, cal.KEYWORD_LIST_CAP)
            notes.append(("keyword-list", {}))
        neighbours = rivals_of(question) if cal.NEIGHBOURS else ()
        mine, rivals = self._topicality(
            question, [*others, *elsewhere, *neighbours], units, language
        )
        if rivals:
            rival, other = max(rivals, key=lambda pair: pair[0])
            # Off-topic only when another question matches clearly, and better: a vague answer
            # matches every question weakly, and which one wins by a hair is noise.
            # Nor when it covers any of this question's points, or gets this question wrong:
            # in a bank of related questions a right answer often resembles a neighbour too.
            # And it must answer that other question: state one of its key points; hit one,
            # when the answer covers some of this question and the other is a question of the
            # library, whose banks hold related questions by design (the catalogue's are chosen
            # apart from them).
            neighbour = any(other is n for n in neighbours)
            close = covered >= cal.OFF_TOPIC_SOME_COVERAGE and not neighbour
            # An answer to a classic question no bank asks, clearly nearer it than this one,
            # is off-topic even where its generic sentences touch some of this question ("a
            # kNN answer scales its features, as k-means must").
            clearly = (
                neighbour
                and rival >= cal.OFF_TOPIC_CLEAR_RIVAL
                and mine <= rival - cal.OFF_TOPIC_CLEAR_MARGIN
                and covered < cal.OFF_TOPIC_CLEAR_MAX_COVERAGE
            )
            if (
                not mistaken
                and (
                    clearly
                    or rival >= cal.OFF_TOPIC_RIVAL_MIN
                    and mine < rival - cal.OFF_TOPIC_MARGIN
                    and covered < cal.OFF_TOPIC_MAX_COVERAGE
                )
                and self._answers(other, units, language, close)
            ):
                cap = min(cap, cal.OFF_TOPIC_CAP)
                notes.append(("off-topic", {"instead": other.prompt}))
        # Whether the answer is on topic enough for the floor is against this bank's questions
        # only: in a large library some question of another bank matches a vague answer a hair
        # better by chance.
        bank = {id(q) for q in others}
        near = [score for score, q in rivals if id(q) in bank]
        if near and mine >= max(near) and cap == 100.0 and word_count(text) >= cal.MIN_ANSWER_WORDS:
            # Closer to this question than to any other, and a real sentence or two...
            if _admits_not_knowing(text):
                # ...but "I'm not sure, something about splitting the data?" is a
                # candidate saying they cannot answer it: only what they do state earns.
                notes.append(("unsure", {}))
            else:
                floor = cal.ON_TOPIC_FLOOR
        return cap, floor, notes

    def _answers(self, question, units, language, clearly: bool = False) -> bool:
        """Whether some unit of the answer states a key point of ``question`` (embeddings
        only) with at least OFF_TOPIC_RIVAL_CREDIT (``clearly``: OFF_TOPIC_RIVAL_CREDIT_COVERED,
        a hit)."""
        refs = self._question_refs(question)
        best = max(
            (float(self._similarity(units, group, language).max()) for group in refs.kp_refs),
            default=0.0,
        )
        needed = cal.OFF_TOPIC_RIVAL_CREDIT_COVERED if clearly else cal.OFF_TOPIC_RIVAL_CREDIT
        return float(cal.credits(np.array([best]), 0.0, language)[0]) >= needed

    def _topicality(
        self, question, others, units, language
    ) -> tuple[float, list[tuple[float, Question]]]:
        """(this question's match to the whole answer, each other question's match with that
        question).

        A question's match is its prompt's or model answer's similarity to the answer's mean
        vector, with the multilingual encoder.
        """
        encoder = self.encoders(language)[-1][0]  # the multilingual one when there is one
        # The whole answer as the normalised mean of its segments: no extra model call.
        mean = units.vectors[encoder.name][: len(units.segments)].mean(axis=0)
        answer_vec = mean / max(float(np.linalg.norm(mean)), 1e-12)

        def topic(q: Question) -> float:
            texts = q.prompt.all_texts() + q.model_answer.all_texts()
            return float((self._vectors(encoder, texts) @ answer_vec).max())

        # Not the same question asked again (another bank, or a bank that asks it twice): an
        # answer to "What is a queue?" was called off-topic on "What is a queue?" in Mohler's
        # bank, which asks it in two assignments.
        asked = _prompt_keys(question)
        return topic(question), [
            (topic(q), q) for q in others if q.id != question.id and not asked & _prompt_keys(q)
        ]


def _prompt_keys(question: Question) -> set[str]:
    """The question's prompts, one per language, without case, spacing or punctuation."""
    keys = (re.sub(r"\W+", "", text).casefold() for text in question.prompt.all_texts())
    return {key for key in keys if key}


# Mistakes the judge finds that the rubric does not list are reported with this id prefix and the
# id of the key point they contradict.
CONTRADICTS = "contradicts:"


@dataclass
class _Verdicts:
    """What the judge said: per key point (and per misconception), per unit it read, the
    probabilities of entailment, neutral and contradiction."""

    kp: dict[int, dict[int, np.ndarray]] = field(default_factory=dict)
    mc: dict[int, dict[int, np.ndarray]] = field(default_factory=dict)


def _spread(flags: np.ndarray, units: _Units, contained: bool = False) -> np.ndarray:
    """``flags`` spread to every unit whose text overlaps a flagged one (``contained``: only
    to the units holding a flagged one whole): a pair of sentences holding a wrong one is not
    evidence either."""
    out = flags.copy()
    for u in np.flatnonzero(flags):
        start, end = units.spans[u]
        for v, (s, e) in enumerate(units.spans):
            if (s <= start and end <= e) if contained else (s < end and start < e):
                out[v] = True
    return out


def _unopposed_rival(question, units: _Units, text: str, u: int, j: int, kp_sims, corr_sims):
    """How well unit ``u`` matches the closest right statement (a key point, or the correction
    of misconception ``j``) that it does not say the opposite of (opposites.py). A unit that
    says the opposite of the mistake itself keeps every rival."""
    clause = text[slice(*units.spans[u])]
    mc = question.misconceptions[j]

    def opposes(statement) -> bool:
        return any(opposed(t, clause) for t in statement.all_texts())

    if opposes(mc.text):
        return max(float(kp_sims[u].max(initial=0.0)), float(corr_sims[u, j]))
    best = 0.0 if opposes(mc.correction) else float(corr_sims[u, j])
    for i, kp in enumerate(question.key_points):
        if not opposes(kp.text):
            best = max(best, float(kp_sims[u, i]))
    return best


def _with_introductions(flags: np.ndarray, units: _Units, text: str) -> np.ndarray:
    """``flags`` and every clause ending in a colon that introduces a flagged one: in "A tiny
    learning rate is what blows training up: the small steps let the gradients pile up until
    you get NaN" the part after the colon says what the part before it claims, so a mistake
    stated there is stated by both, and neither is evidence for a point."""
    out = flags.copy()
    for u in np.flatnonzero(flags):
        start = units.spans[u][0]
        for v, (s, e) in enumerate(units.spans):
            head = text[s:e].rstrip()
            # The clause itself, not a pair that also holds the sentence before it ("An epoch is
            # one pass over the data. The batch size is the number of batches:"): spread to
            # everything it overlaps, the pair would take a right sentence down with it.
            if units.claims[v] and head.endswith((":", "：")) and 0 <= start - e <= 3:
                out[v] = True
    return out


def _word_credits(kp, column, baseline, units, text, language) -> np.ndarray:
    """Credit per unit for key point ``kp`` from its words alone (embeddings and recall),
    before the judge: none for a unit without any of the point's critical terms unless it
    matches nearly verbatim (see Grader._best_unit)."""
    credits = cal.credits(column, baseline, language)
    if kp.terms:
        for unit, (start, end) in enumerate(units.spans):
            if (
                credits[unit] > cal.NO_TERM_CREDIT_CAP
                and column[unit] < cal.TERM_TRUST_SIM
                and not mentions_any(text[start:end].lower(), kp.terms)
                and not (cal.TERMS_IN_ANY_ORDER and _says_words_of(text[start:end], kp.terms))
            ):
                credits[unit] = cal.NO_TERM_CREDIT_CAP
    return credits


def _opposing(kp, credits: np.ndarray, units: _Units, text: str) -> np.ndarray:
    """Which units with credit exchange an opposite of one of ``kp``'s words, spread to the
    pairs of sentences holding one: these earn only what the judge says they state."""
    flagged = np.zeros(len(units.spans), dtype=bool)
    for unit in np.flatnonzero(credits > 0):
        flagged[unit] = _opposes(kp, text[slice(*units.spans[unit])])
    return _spread(flagged, units, contained=True)


def _earned_by_words(kp, column, baseline, units, text, language) -> bool:
    """Whether some unit earns the whole of key point ``kp`` from its words, with a clause the
    judge could only add to: then the judge's reading of the point's other units is moot."""
    words = _word_credits(kp, column, baseline, units, text, language)
    opposing = _opposing(kp, words, units, text)
    return any(
        not opposing[u] and _only_gains(kp, units, text, int(u))
        for u in np.flatnonzero(words >= 1.0)
    )


def _only_gains(kp, units: _Units, text: str, unit: int) -> bool:
    """Whether the judge's reading of ``unit`` against key point ``kp`` can only add credit: the
    clause exchanges no opposite of the point's words, so a contradiction it finds is set
    aside (Grader._judge_units) and the unit is not one that earns only what the judge says."""
    clause = text[slice(*units.spans[unit])]
    statement = kp.text.get(_unit_language(units, text, unit))
    return restored(statement, clause) is None and not _opposes(kp, clause)


def _exchanges(kp, clause: str) -> list[tuple[str, str]]:
    """The opposites of key point ``kp``'s words that the clause exchanges (opposites.py), read
    in the clause's language, or in both when it mixes them ("learning rate 太大的话 training
    会很慢": its English words against the English point, its Chinese against the Chinese)."""
    languages = [detect_language(clause)]
    if has_cjk(clause) and _LATIN_WORD.search(clause):
        languages = ["en", "zh"]
    return [p for p in (exchanged(kp.text.get(lang), clause) for lang in languages) if p]


def _exchanges_english(statement: str, clause: str) -> bool:
    """Whether ``clause`` exchanges an English opposite of a word anywhere in ``statement``
    ("small C gives a wider margin" against "the larger C is, the stronger the regularization
    and the wider the margin", whose clause nearest it has no "larger"). English only: the
    one-character Chinese opposites (大/小) turn up across a whole statement by chance."""
    pair = exchanged(statement, clause)
    return pair is not None and pair[0].isascii()


def _opposes(kp, clause: str) -> bool:
    """Whether the clause exchanges an opposite of a word of key point ``kp``."""
    return bool(_exchanges(kp, clause))


_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


# A clause bound tightly enough for a term and an exchanged opposite in it to be one claim.
REVERSED_CLAUSE_WORDS = 10


def _reversed_point(i, question, units, text, columns, best_point, blocked) -> int | None:
    """The claim unit that ties key point ``i``'s own critical term to the opposite of its
    condition, if any: "learning rate 太小的话反而容易 diverge" for "too high a learning rate
    ... diverges" (the term "diverg" kept, "太小" for "太大").

    The judge reads Chinese and code-switched clauses poorly (XNLI-zh accuracy 0.46), so for
    those (English has the judge) this needs none:
    - a short clause (REVERSED_CLAUSE_WORDS; in a longer one the term and the opposite are
      often about different things, "先前向算出 loss 然后从输出层往回用链式法则…");
    - the point is the unit's best match (a clause about recall is not a wrong statement of
      precision), at least where credit starts;
    - it uses one of the point's terms and exchanges an opposite of another of its words
      (opposites.py).

    When the exchanged word is itself a term ("训练集和测试集上效果都差，也就是欠拟合" against
    "variance 高就是过拟合"), the clause may be about a neighbouring point whose subject it
    lost to a comma; the judge decides those.
    """
    kp = question.key_points[i]
    if not kp.terms or not has_cjk(text):
        return None
    for unit in np.argsort(-columns[i]):
        clause = text[slice(*units.spans[unit])]
        language = _unit_language(units, text, int(unit))
        if columns[i][unit] < cal.LOW.get(language, cal.LOW["en"]):
            break
        if (
            has_cjk(clause)
            and word_count(clause) <= REVERSED_CLAUSE_WORDS
            and units.claims[unit]
            and not blocked[unit]
            and best_point[unit] == i
            and mentions_any(clause.lower(), kp.terms)
            and any(
                not mentions_any(" ".join(pair).lower(), kp.terms)
                and _said_of_the_same(kp.text.get("zh"), clause, pair)
                for pair in _exchanges(kp, clause)
            )
            and not follows_condition(text, units.spans[unit][0])
        ):
            return int(unit)
    return None


def _reversed_direction(kp, units: _Units, text: str, blocked: np.ndarray) -> int | None:
    """The unit that says which way key point ``kp`` moves its quantities the wrong way round
    ("raise the threshold and recall goes up"; directions.py), or None: of the units holding
    the effect said wrongly, the longest within its sentence, so the feedback quotes the cause
    with it."""

    def size(u: int) -> int:
        return units.spans[u][1] - units.spans[u][0]

    for (first, last), (start, end) in reversed_direction(kp.direction, text):
        holding = [u for u, (s, e) in enumerate(units.spans) if s <= start and end <= e]
        if not holding or blocked[min(holding, key=size)]:
            continue  # already named, as a listed mistake or another point said wrongly
        holding = [u for u in holding if not blocked[u]]
        within = [u for u in holding if first <= units.spans[u][0] and units.spans[u][1] <= last]
        if within:
            return max(within, key=size)
        if holding:
            return min(holding, key=size)
    return None


def _said_of_the_same(statement: str, clause: str, pair: tuple[str, str]) -> bool:
    """Whether the clause's word and the statement's opposite of it follow the same character
    ("太高" against "太低"), when they are one Chinese character each. A lone 多 or 小 is said
    of anything: "text classification 里用得多" says nothing of the "数据少" of "needs little
    data", "小数据集" nothing of "数据集大到内存放不下"."""
    mine, theirs = pair
    if mine.isascii():
        return True
    # A code-switched clause says its subject in English: "variance 最小" is the "方差最小" that
    # reverses "方差最大".
    clause = in_chinese(clause)

    def leads(text: str, word: str) -> set[str]:
        # A degree word before it (很小, 太高) is read with the character before that: "梯度很小"
        # says nothing of the "绝对值很大" of the saturation point, "学习率太低" reverses
        # "学习率太高".
        tight_text = tight(text)
        found = set()
        for k in range(1, len(tight_text)):
            if not (tight_text.startswith(word, k) and has_cjk(tight_text[k - 1])):
                continue
            lead = tight_text[k - 1]
            if lead in _DEGREE and k > 1 and has_cjk(tight_text[k - 2]):
                lead = tight_text[k - 2] + lead
            found.add(lead)
        return found

    def objects(text: str, word: str) -> set[str]:
        tight_text = tight(text)
        return {
            tight_text[k + len(word)]
            for k in range(len(tight_text) - len(word))
            if tight_text.startswith(word, k) and has_cjk(tight_text[k + len(word)])
        }

    if len(mine) == 1 and len(theirs) == 1:
        return bool(leads(clause, mine) & leads(statement, theirs))
    # A longer word is said of what it follows or of what it acts on: "降低复杂度" exchanges
    # nothing of the "提高泛化能力" of "正则化…用来减少过拟合、提高泛化能力".
    return bool(
        leads(clause, mine) & leads(statement, theirs)
        or objects(clause, mine) & objects(statement, theirs)
    )


# Degree words that say how much, not of what.
_DEGREE = frozenset("很太更最较超极挺蛮")


def _swapped_roles(i, question, units, text, columns, blocked) -> int | None:
    """The claim unit that says what key point ``i`` says of one thing about its counterpart,
    if any: "so L2 gives you sparse models" for "L1 ... drives many weights exactly to zero,
    giving a sparse model"; "an epoch is one update step" for "an iteration is one ... weight
    update".

    The words match the point they garble better than the point about the thing they name:
    that is the test. The unit matches point ``i`` best, clearly (SWAP_MARGIN above any other
    point, SWAP_ABOVE_LOW above where credit starts), it exchanges one of a pair of names
    (opposites.NAMED_PAIRS) with the point, and another key point of the question is about
    the name it uses, and the clause uses none of that point's own other words. A right clause
    about that counterpart matches the counterpart's own point better, or shares its words.

    English clauses only, of at most SWAP_MAX_WORDS words (a longer one is often about two
    things): the multilingual encoder does not place Chinese clauses finely enough
    ("训练集和测试集上效果都差，也就是欠拟合" lands nearest the point about overfitting).
    """
    kp = question.key_points[i]
    for unit in np.argsort(-columns[i]):
        if columns[i][unit] < cal.LOW["en"] + cal.SWAP_ABOVE_LOW:
            break
        clause = text[slice(*units.spans[unit])]
        if (
            not units.claims[unit]
            or blocked[unit]
            or has_cjk(clause)  # English only (a Chinese unit has Chinese characters)
            or word_count(clause) > cal.SWAP_MAX_WORDS
        ):
            continue
        # Point i must be the unit's best match, by SWAP_MARGIN.
        rivals = [column[unit] for j, column in enumerate(columns) if j != i]
        if rivals and columns[i][unit] - max(rivals) < cal.SWAP_MARGIN:
            continue
        # A clause that says of the counterpart what the point denies of its own subject
        # agrees with it: "Parameters are fit by optimizing the training loss" against
        # "Hyperparameters are set before training…; they are not learned by gradient descent".
        # (Only a denial: "keeps them all nonzero" says the "without making them exactly zero"
        # of L2's point about L1.)
        if _DENIAL.search(closest_clause(kp.text.get("en"), clause)) and not negated(clause):
            continue
        for mine, theirs in _exchanges(kp, clause):
            if frozenset((mine, theirs)) not in NAMED_PAIRS:
                continue
            if any(
                j != i
                and mine in (said := mentioned(other.text.get("en")))
                and theirs not in said
                and not _shares_own_words(clause, other, kp, mine)
                for j, other in enumerate(question.key_points)
            ):
                return int(unit)
    return None


_DENIAL = re.compile(r"\b(?:not|never)\b|n't\b", re.IGNORECASE)


def _shares_own_words(clause: str, counterpart, kp, name: str) -> bool:
    """Whether the clause uses a word of the counterpart's point that point ``kp`` lacks,
    besides the name itself: "high variance shows up as overfitting, low training error but
    high test error" says "variance", so it is about the point on variance and overfitting,
    however many of its words the point on bias and underfitting also has."""
    own = alignment.content_stems(counterpart.text.get("en")) - alignment.content_stems(
        kp.text.get("en")
    )
    if (own - alignment.content_stems(name)) & alignment.content_stems(clause):
        return True
    # ...or one of its critical terms the point neither lists nor says, however short: "Recall
    # is TP over TP plus FN" says "FN" ("zero" is no such term of L1's point: L2's point says
    # "towards zero" too).
    said = kp.text.get("en").lower()
    terms = tuple(
        t
        for t in counterpart.terms
        if t not in kp.terms and t.lower() != name.lower() and not mentions_any(said, (t,))
    )
    return mentions_any(clause.lower(), terms)


def _some_clause_agrees(unit: str, statements: Sequence[str]) -> bool:
    """Whether some clause of ``unit`` that shares a word with one of the mistake's own
    ``statements`` has that statement's polarity (they spell their negations out, where a
    paraphrase may say one in a word: "skip", "insensitive")."""
    return any(
        same_polarity(clause, statement)
        for statement in statements
        for clause in clauses_sharing(unit, statement)
    )


def _every_clause_agrees(unit: str, statement: str) -> bool:
    """Whether ``unit`` has clauses that share a word with ``statement``, all with its
    polarity."""
    sharing = clauses_sharing(unit, statement)
    return bool(sharing) and all(same_polarity(c, statement) for c in sharing)


_SENTENCE_END = re.compile(r"[.!?](?=\s)|[。！？]")


def _with_sentence_before(text: str, start: int, end: int) -> str:
    """The text from the start of the sentence before the one ``start`` is in, to ``end``."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    return text[ends[-2] if len(ends) > 1 else 0 : end]


def _agrees_where_harmed(clause: str, statement: str, terms: Sequence[str]) -> bool:
    """Whether some clause of ``clause`` with one of the mistake's ``terms`` agrees with the
    ``statement`` in polarity, a harm named in the clause it runs into counting as a negation
    (True too when no such clause names a harm or runs into one)."""
    used = [t for t in terms if mentions_any(clause.lower(), (t,))]
    parts = clauses_of(clause)
    # (clause carrying the terms, whether the one after it names only a harm)
    carrying = [
        (c, _harm_follows(parts[k + 1 :]))
        for k, c in enumerate(parts)
        if mentions_any(c.lower(), used)
    ]
    if not any(HARM.search(c) or harm_after for c, harm_after in carrying):
        return True
    return any(same_polarity(c, statement) != harm_after for c, harm_after in carrying)


def _heads_list(text: str, end: int) -> bool:
    """Whether the text up to ``end`` ends on a colon with a new line after it: a heading over
    the lines that follow."""
    return text[:end].rstrip().endswith((":", "：")) and text[end:].lstrip(" \t").startswith("\n")


def _next_clause(text: str, end: int) -> list[str]:
    """The clause of ``text`` right after ``end``, in the same sentence ([] when the sentence
    ends there)."""
    if not text[:end].rstrip().endswith((",", "，", ";", "；")):
        return []
    stop = _SENTENCE_END.search(text, end)
    rest = text[end : stop.end() if stop else len(text)]
    return clauses_of(rest)[:1]


def _harm_follows(later: Sequence[str]) -> bool:
    """Whether the next of the ``later`` clauses names a harm (segmenter.HARM) and denies
    nothing: what the clause before it does is wrong."""
    return bool(later) and bool(HARM.search(later[0])) and negated(later[0])


def _terms_only_denied(unit: str, statements: Sequence[str], terms) -> bool:
    """Whether every English clause of ``unit`` that says one of a mistake's ``terms`` has the
    other polarity than the clause nearest it of each of the mistake's ``statements`` (and one
    does).
    (Each statement: a paraphrase may carry a negation of its own that is no part of the
    claim, "outliers don't move k-means much".)"""
    # A term that holds a denial itself ("不算", "doesn't count") says the mistake denied.
    plain = [t for t in terms if not negated(t)]
    # English clauses only: in Chinese a term's own denial is read where it stands (不 or 不用
    # before it, mentions_any), and a clause's other negations are often of something else
    # ("loss 不再下降、model 已经 converge").
    carrying = [
        c
        for c in clauses_of(unit)
        if not has_cjk(c) and mentions_any(c.lower(), plain, affirmed=True)
    ]
    return bool(carrying) and not any(
        same_polarity(c, statement) for c in carrying for statement in statements
    )


def _nearest_clause_agrees(unit: str, statement: str) -> bool:
    """Whether the clause of ``unit`` that shares most words with ``statement`` has its
    polarity."""
    return same_polarity(closest_clause(unit, statement), statement)


def _opposes_in(kp, clause: str, language: str) -> bool:
    """Whether the clause says the opposite of a word of key point ``kp`` in ``language``."""
    return opposed(kp.text.get(language), clause)


def _unit_language(units: _Units, text: str, unit: int) -> str:
    """The language to put a rubric statement in next to this unit: Chinese when the unit is
    mostly Chinese (code-switched clauses included), else English."""
    start, end = units.spans[unit]
    return detect_language(text[start:end])


# An apology or a "this one" before it ("Sorry, 这个我不知道。") is still only that, and so
# are several ways of saying it ("I'm not sure, I don't know.").
_DONT_KNOW_PHRASE = (
    r"(这个|这题|这道题)?(i\s+(really\s+)?(do\s*n[o']?t|dont)\s+know|no\s+idea"
    r"|(i\s*(am|'m)\s+)?(really\s+)?not\s+(really\s+)?sure|i\s+have\s+no\s+idea|pass"
    r"|我?(真的)?不(太)?(知道|清楚|会)|不懂|没有?概念)"
)
_DONT_KNOW = re.compile(
    r"^\W*((sorry|um+|uh+|well|honestly|抱歉|对不起|不好意思|说实话|嗯+|呃+)\W*)*"
    rf"{_DONT_KNOW_PHRASE}(\W+{_DONT_KNOW_PHRASE})*\W*$",
    re.IGNORECASE,
)


# Said anywhere in an answer: the candidate admits they cannot really answer.
_NOT_KNOWING = re.compile(
    r"\b(not\s+(really\s+|quite\s+|entirely\s+|100%\s+)?sure|(do\s*n[o']?t|dont|do\s+not)\s+"
    r"(really\s+|quite\s+)?(know|remember|recall)|no\s+idea|can'?t\s+(really\s+)?"
    r"(explain|remember|recall)|cannot\s+(really\s+)?(explain|remember|recall)"
    r"|have\s+to\s+look\s+it\s+up|i\s+forget)\b"
    r"|不(太|是很|大)?(清楚|确定|知道|记得)|记不(太)?清|说不(太)?上来|忘了",
    re.IGNORECASE,
)


def _admits_not_knowing(text: str) -> bool:
    """The candidate says, somewhere in the answer, that they do not know or remember."""
    return bool(_NOT_KNOWING.search(text))


def _says_dont_know(text: str) -> bool:
    """The candidate says only that they do not know (nothing to grade, nothing to quote)."""
    return bool(_DONT_KNOW.match(text.strip()))


def _as_typed(result, spelled: Spelled):
    """``result`` with its quotes of the spelled-out answer (notation.py) as the candidate
    typed them: "lr ↑ → diverges", not "lr up → diverges"."""
    span = getattr(result, "evidence_span", None)
    if span is None and result.evidence:
        found = spelled.text.find(result.evidence)
        span = (found, found + len(result.evidence)) if found >= 0 else None
    if span is None:
        return result
    start, end = spelled.typed_span(*span)
    update = {"evidence": spelled.typed[start:end]}
    if hasattr(result, "evidence_span"):
        update["evidence_span"] = (start, end)
    if getattr(result, "text", None) == result.evidence:  # a contradiction quotes the clause
        update["text"] = update["evidence"]
    return result.model_copy(update=update)


def _squeezed(result, *fields):
    """``result`` with the runs of spaces a retraction left inside its quotes made one."""
    update = {f: " ".join(v.split()) for f in fields if (v := getattr(result, f))}
    return result.model_copy(update=update)


def _result(kp, sim, credit, evidence, span, language) -> KeyPointResult:
    status = "hit" if credit >= cal.HIT_CREDIT else "partial" if credit > 0 else "miss"
    return KeyPointResult(
        id=kp.id,
        text=kp.text.get(language),
        weight=kp.weight,
        status=status,
        similarity=round(sim, 3),
        credit=round(credit, 3),
        evidence=evidence,
        evidence_span=span,
        follow_up=kp.follow_up.get(language),
    )


def _follow_up_point(question: Question, results: list[KeyPointResult]) -> KeyPointResult | None:
    """The most important gap: the heaviest missed point, else the heaviest partial one."""
    for status in ("miss", "partial"):
        gaps = [r for r in results if r.status == status]
        if gaps:
            return max(gaps, key=lambda r: (r.weight, -r.credit))
    return None


def _worded(question, units: _Units, text: str) -> np.ndarray:
    """(units, misconceptions) booleans: which unit uses one of which misconception's terms
    (a misconception without terms: every unit). Only such a unit can state it."""
    out = np.ones((len(units.spans), len(question.misconceptions)), dtype=bool)
    # Each unit's words once, not once per misconception (this runs on every grade).
    said = [_set_against(text, a) + text[a:b].lower() for a, b in units.spans]
    for j, mc in enumerate(question.misconceptions):
        if mc.terms:
            out[:, j] = [mentions_any(words, mc.terms, affirmed=True) for words in said]
    return out


def _set_against(text: str, start: int) -> str:
    """The contrast word a unit starting at ``start`` was cut from, if any ("vs " for "finite
    differences, which would be one pass per parameter" after "...one extra forward pass --
    vs"), so that what the unit names first is read as the alternative set aside."""
    found = _SET_AGAINST.search(text[max(0, start - 24) : start])
    return found.group(1).lower() + " " if found else ""


# Words that set what follows against the answer's claim ("vs finite differences", 不像 sigmoid).
_CONTRAST_EN = r"vs\.?|versus|as opposed to|unlike|compared (?:to|with)"
_CONTRAST_ZH = r"不像|相比于?|相较于?"
_SET_AGAINST = re.compile(
    r"(\b(?:" + _CONTRAST_EN + r")|" + _CONTRAST_ZH + r")\s*$",
    re.IGNORECASE,
)


def _denies_terms(mc, clause: str) -> bool:
    """Whether ``clause``, which does not say any of misconception ``mc``'s terms, uses one
    where it denies it ("不保证…全局最优")."""
    return cal.DENIED_BEFORE_TERMS and bool(mc.terms) and mentions_any(clause.lower(), mc.terms)


def mentions_any(lowered_answer: str, terms: Sequence[str], affirmed: bool = False) -> bool:
    """Whether the (lower-cased) text contains one of ``terms``: Latin terms word by word at
    word starts, in any inflection ("actual positives" matches "actual positive cases",
    "regulariz" matches "regularization", "adam" does not match "madam"); Chinese anywhere.

    Not a term the text sets aside ("normalizes the weights, not the activations", "instead of
    loading everything", 而不是权重): naming a thing to deny it is not saying it. A term that
    holds the denial itself ("rather than multiplied") still counts.

    ``affirmed``: nor a Chinese term right after the 不 or 没 that negates it, as a mistake's
    words are read ("不一定非得用 0.5" does not say the mistake's 一定)."""
    pattern = _terms_pattern(with_translations(tuple(terms)))
    if pattern is None:
        return False

    def said_in(text: str) -> bool:
        denied = _denied_spans(text)
        return any(
            not any(start <= m.start() and m.end() <= end for start, end in denied)
            and not (affirmed and _negated_before(text, m.start(), m.group()))
            for m in pattern.finditer(text)
        )

    text = tight(lowered_answer)
    # "up-weighted" says the term "upweight", as "re-weighting" says "reweight": read again with
    # the hyphens inside words taken out (multi-word terms already allow one between words).
    joined = _IN_WORD_HYPHEN.sub("", text)
    return said_in(text) or (joined != text and said_in(joined))


_IN_WORD_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")


def _says_words_of(clause: str, terms: Sequence[str]) -> bool:
    """Whether ``clause`` uses every content word of one of the multi-word English ``terms``,
    in any order and any inflection, outside what it sets aside: "normalizes the inputs to each
    layer" says the words of "layer input"; "the weights, not the layer inputs" does not."""
    wanted = [words for words in map(_term_words, terms) if words]
    if not wanted:
        return False
    said = _words_said(clause)
    return any(all(any(s.startswith(w) for s in said) for w in words) for words in wanted)


# Both run for every unit and key point of every grade: the same clauses and terms each time.
@functools.lru_cache(maxsize=4096)
def _term_words(term: str) -> tuple[str, ...]:
    """The content words (over three letters, singular) of an English term of two or more of
    them ("layer's inputs": layer, input); () for any other term."""
    if not term.isascii():
        return ()
    words = tuple(
        w[:-1] if w.endswith("s") else w
        for w in re.findall(r"[a-z][a-z0-9-]*", term.lower().replace("'s", ""))
        if len(w) > 3
    )
    return words if len(words) >= 2 else ()


@functools.lru_cache(maxsize=4096)
def _words_said(clause: str) -> tuple[str, ...]:
    """The English words of ``clause``, lower-cased, outside what it sets aside."""
    text = tight(clause.lower())
    for start, end in _denied_spans(text):
        text = text[:start] + " " * (end - start) + text[end:]
    return tuple(re.findall(r"[a-z][a-z0-9-]*", text))


def _negated_before(text: str, start: int, term: str) -> bool:
    """Whether the Chinese ``term`` found at ``start`` follows the 不 or 没 that negates it (and
    does not hold a negation itself, as 不会过拟合 does), or a denial a few characters before it
    in the same clause ("不保证整棵树全局最优", "并不是越大越好", "不会因为树多而过拟合")."""
    if not (cal.AFFIRMED_TERMS and start > 0 and has_cjk(term[:1]) and term[:1] not in "不没无非"):
        return False
    if text[start - 1] in "不没":
        return True
    return (
        cal.DENIED_BEFORE_TERMS
        and _DENIAL_BEFORE.search(text[max(0, start - 8) : start]) is not None
    )


# A denial that governs the words after it up to the clause's end: "不保证…", "并不是…".
_DENIAL_BEFORE = re.compile(
    r"(?:不保证|不能保证|无法保证|不一定|未必|并不|并非|不是|没有|不会"
    # ...and those that say it is not needed: "不用一次把全部数据都加载到内存里".
    r"|不用|不需要|无需|不必|没必要|用不着)[^，,。；;：:！？!?、]{0,6}$"
)


@functools.lru_cache(maxsize=4096)
def _denied_spans(text: str) -> tuple[tuple[int, int], ...]:
    # One scan per unit: the same unit is checked against every key point's and mistake's terms.
    return tuple(m.span(1) for m in _DENIED.finditer(text))


# What a clause sets aside: the object after ", not" (or "not" opening a clause cut at that
# comma), "rather than", "instead of", 而不是 or 而非, or what it is contrasted with ("vs",
# "unlike", 不像, 相比), up to the next punctuation or "but"
# ("not only" and "not just" set nothing aside).
_DENIED = re.compile(
    r"(?:(?:^|,)\s*(?:and\s+)?not\s+(?!only\b|just\b|necessarily\b|always\b|because\b)"
    r"|\brather than\s+|\binstead of\s+|而不是|而非"
    # ...and what it is set against: "vs finite differences, which would be one pass per
    # parameter" names the alternative to what the answer says, not a claim of its own.
    r"|\b(?:" + _CONTRAST_EN + r")\s+|" + _CONTRAST_ZH + ")"
    r"([^,.;:!?，。；：！？]*?)(?=[,.;:!?，。；：！？]|\s+but\b|$)"
)


# Between the words of a term: the rest of the word (not an adverb's "-ly": "real positives"
# is not "really positive"), then at most one more word, never a negation ("whole dataset" in
# "the whole training dataset"; not "a batch never finishes").
# The words may be joined by a hyphen too: "the standard feature-selection tool" says "feature
# selection".
_TERM_GAP = r"(?!ly\b)[a-z]*(?:[\s-]+(?!not\b|never\b|no\b)[a-z]+)?[\s-]+"


def compile_terms(question: Question) -> None:
    """Compile the patterns of ``question``'s term lists ahead of its first answer: with every
    translation and Chinese filler word spelt out, one list takes up to 40 ms to compile, about
    90 ms a question (measured: 2.3 s for the 537 lists of the built-in banks)."""
    items = question.key_points + question.misconceptions
    for item in items:
        for terms in (item.terms, getattr(item, "about", [])):
            if terms:
                _terms_pattern(with_translations(tuple(terms)))


@functools.lru_cache(maxsize=4096)
def _terms_pattern(terms: tuple[str, ...]) -> re.Pattern | None:
    # One compiled alternation per term list: this runs for every unit and misconception.
    parts = []
    for term in terms:
        t = term.lower().strip()
        if re.fullmatch(r"[a-z][a-z -]*[a-z]", t):
            words = [w[:-1] if len(w) > 3 and w.endswith("s") else w for w in t.split()]
            parts.append(r"(?<![a-z0-9])" + _TERM_GAP.join(map(re.escape, words)))
        elif t:
            escaped = _chinese_term(t, spread=bool(_CJK_TERM.fullmatch(t)))
            parts.append((r"(?<![a-z0-9])" if re.match(r"[a-z0-9]", t) else "") + escaped)
    return re.compile("|".join(parts)) if parts else None


# A Chinese term of three characters or more, in any of the filler words candidates put inside
# it: "更多的训练数据" says the term "更多的数据", "加一些训练数据" says "加数据". Only words that
# modify and never deny or reverse (no 不, 没, 少), and not 的, which makes a noun a clause:
# "预测为正的样本里" is not "正样本里".
_CJK_TERM = re.compile(r"[\u4e00-\u9fff]{3,}")
_ZH_TERM_GAP = r"(?:训练|一些|一点|很多|大量|更){0,2}"
# ...and in any of the words that say "amounts to": "L2 等价于拉普拉斯先验" says the term "l2
# 相当于拉普拉斯".
_COPULAS = ("相当于", "等价于", "等同于", "对应于", "对应的是", "对应", "就是", "即为")
_COPULA = re.compile("(" + "|".join(_COPULAS) + ")")
_ANY_COPULA = "(?:" + "|".join(_COPULAS) + ")"


# ...and a "very" in it as any word as strong or stronger: "校准得非常好" says the term
# "校准得很好", but "很差" does not say "特别差" (a rubric's strong word picks a claim out).
_STRONG = ("非常", "特别", "十分", "极其", "极为", "超级")
_INTENSIFIER = re.compile("(" + "|".join(_STRONG + ("很",)) + ")")
_ANY_STRONG = "(?:" + "|".join(_STRONG) + ")"
_ANY_VERY = "(?:" + "|".join(_STRONG + ("很",)) + ")"


def _chinese_term(term: str, spread: bool) -> str:
    """The pattern of a term with Chinese in it: its copulas as any copula, its "very" as any
    word as strong, and (``spread``) the filler words of _ZH_TERM_GAP allowed between its
    characters."""
    out = []
    for k, piece in enumerate(_COPULA.split(term)):
        if not piece:
            continue
        if k % 2:
            out.append(_ANY_COPULA)
            continue
        for n, part in enumerate(_INTENSIFIER.split(piece)):
            if n % 2:
                out.append(_ANY_VERY if part == "很" else _ANY_STRONG)
            elif part and spread:
                out.append(_ZH_TERM_GAP.join(map(re.escape, part)))
            elif part:
                out.append(re.escape(part))
    return (_ZH_TERM_GAP if spread else "").join(out)


# What separates the items of a list: punctuation, line breaks, bullets, spaced dashes, and the
# full stops of telegraphic notes ("too low: slow. too high: diverge.").
_SEPARATORS = re.compile(r"[,，、;；/|\n]+|\s[-–—•·]\s|^\s*[-*•]\s|\.\s+|。")
# Words that relate ideas (verbs, conjunctions, pronouns of a speaker, arrows). Prepositions and
# articles are left out on purpose: they live inside terms ("out of memory", "on-the-fly").
_RELATIONAL = re.compile(
    r"\b(is|are|was|were|be|been|it|this|that|because|so|when|which|if|then|means|makes|"
    r"make|helps|help|can|could|will|would|does|do|should|has|have|gets|becomes|causes|leads|"
    r"use|uses|need|needs|want|i|you|we|they|just|by|into|than)\b|->|→|=>"
    r"|[是了把让使会能可以因为所以就要都也还不没而对做用被得地着过到但若则即为]|否则|除非|如果|例如|比如",
    re.IGNORECASE,
)
# Terms that hold one of those characters without relating anything: "过拟合、正则化、不可约误差"
# is a list of terms. ("mean" is left out of the words above for the same reason: "running
# mean", "batch mean".)
_TERMS_WITH_RELATIONAL = re.compile(r"过拟合|正则|不可约|不平衡|不均衡|可学习|对数|对比|对角")


def _relates(item: str) -> bool:
    """Whether a list item relates things ("树模型不需要") rather than names one ("过拟合")."""
    return bool(_RELATIONAL.search(_TERMS_WITH_RELATIONAL.sub(" ", item)))


# What introduces a list: "The main factors: A, B, C", "主要因素：A、B、C".
_INTRODUCED = re.compile(r"[:：]")
# Code is not a list of terms, though semicolons cut it into short items.
_CODE = re.compile(r"[{}]|\w\([^()]*\)\s*;|==|!=|->|::")
# A number, or an expression that starts with one ("12", "3n", "3(n-1)"); not "L1" or "F1".
_NUMERIC = re.compile(r"^\s*[\d(][A-Za-z0-9\s.…+\-*()]{0,7}$")


LIST_SENTENCE_WORDS = 6
LONG_ITEM_AMONG = 8


# Asked three times of every answer (names swapped, a mistake's terms trusted, the score capped).
@functools.lru_cache(maxsize=1024)
def _looks_like_keyword_list(text: str) -> bool:
    """Terms strung together: mostly items of three words or fewer, few of which relate
    anything to anything."""
    if len(_CODE.findall(text)) >= 2:
        return False
    # A number is not a term: "1/2/3 进栈，3 出栈" walks through an example in prose.
    items = [i for i in _SEPARATORS.split(text) if i and i.strip() and not _NUMERIC.match(i)]
    # An item of six words or more is a sentence, not a term: "A way to store values in the
    # program, such as numbers, words, letters" gives examples of what it says. Of 2,273 real
    # students' answers (Mohler et al. 2011), four such had been capped at 5/100 (graders:
    # 4.0-4.5 of 5). But one of six or seven words among eight items or more is a formula said
    # in words ("Epoch, batch, …, dataset size divided by batch size, SGD"): six of the lists of
    # terms in data/ (graders 12-20) scored 60 for it.
    sizes = sorted(word_count(i) for i in items)
    if len(items) < 3 or sizes[-1] >= LIST_SENTENCE_WORDS + 2:
        return False
    if sizes[-1] >= LIST_SENTENCE_WORDS and (
        len(items) < LONG_ITEM_AMONG or sizes[-2] >= LIST_SENTENCE_WORDS
    ):
        return False
    short = sum(1 for i in items if word_count(i) <= 3) / len(items)
    related = sum(1 for i in items if _relates(i)) / len(items)
    return short >= 0.7 and related < 0.25


def _wants_terms(question: Question) -> bool:
    """Whether the question's own model answer is a list of terms ("push and pop", "Private
    and public."): then a list of terms is an answer, not a way around giving one. Of 2,273
    real students' answers (Mohler et al. 2011), the keyword-list cap took 28 to 5/100 whose
    graders gave them 4.2 of 5 on average, most covering every key point; none of the banks'
    own questions wants a bare list."""
    answers = question.model_answer.all_texts()
    return bool(answers) and all(
        not _relates(a)
        # "决定分拣策略的四个主要因素：分区、订单分割、订单分批、分类。": the list after the colon
        or any(_looks_like_keyword_list(part) for part in _INTRODUCED.split(a))
        for a in answers
    )


def load_grader(
    model: str | None = None, *, multilingual: bool = True, judge: bool | None = None
) -> Grader:
    """Load the embedding models and the judge (seconds) and return a ready grader.

    ``model`` is any sentence-transformers model name or local path (default: ``MOCKINT_MODEL``
    or the bundled all-MiniLM-L6-v2). ``judge`` (default: on unless ``MOCKINT_JUDGE=0``) loads
    the cross-encoder that tells a right statement from a wrong one. Raises
    :class:`GraderLoadError` with a readable message.
    """
    from mockint import locations
    from mockint.grading.judge import Judge, judge_enabled

    primary = SentenceTransformerEmbedder(model)
    second = MultilingualEmbedder() if multilingual else None
    try:
        cache = locations.embeddings_cache_dir()
    except OSError:
        cache = None
    if second is None and not isinstance(primary, SentenceTransformerEmbedder):
        raise GraderLoadError("no embedder available")
    reader = Judge() if (judge_enabled() if judge is None else judge) else None
    return Grader(primary, second, cache, reader)
