"""The Python API: open a store, ask questions, get short answers with checked citations."""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index import (
    ArticleRecord,
    Embedder,
    NewsdeskError,
    Store,
    StoreStats,
    UpdateSummary,
    backend_of,
    is_link,
    lexical_tokens,
    open_store,
    update_store,
)
from index.errors import ModelMismatchError
from index.readers import ReaderLimits

from .abstain import Abstainer, matching_years, story_year
from .analysis import (
    QuestionAnalysis,
    StoreWords,
    analyse,
    option_as_asked,
    without_exclusion,
)
from .citations import (
    CheckedSentence,
    CitationChecker,
    answer_sentences,
    echo_in_story,
    gives_what_was_asked,
    in_source_spelling,
    short_answer,
)
from .claims import ClaimChecker
from .compose import (
    Composer,
    abstain_text,
    asks_for_body,
    bodies_named,
    citation_for,
    evidence_prompt,
    names_someone_new,
)
from .config import Settings, fetch_policy, load_settings, make_embedder, vector_settings
from .errors import ConfigError, EmptyQuestionError, QuestionTooLongError
from .evidence import (
    EvidenceSelector,
    act_told,
    answer_head,
    defining_first,
    figure_of_measured,
    gives_measured,
    holds_answer,
    named_in_story,
    names_as_asked,
    stating_the_figures,
)
from .generation_slot import GenerationSlot
from .llm import LocalModel, as_model, load_model
from .policy import AnswerPolicy, policy_from_settings
from .query import find_source_mentions
from .retrieval import Filters, Retriever
from .types import Answer, AnswerStream, CheckReport, ClaimResult, Passage
from .verdict import Decision, VerdictMaker

if TYPE_CHECKING:
    from .chat import Chat, FollowUp

MAX_QUESTION_CHARS = 2000


class Assistant:
    """Answers questions from one store. Loads the embedder and the language model once and
    reuses them; picks up a newly published store version between questions.

    `model` is any llama-index LLM object (Ollama, OpenAILike, LlamaCPP, ...) or a
    `qa.llm.LocalModel`, used as it is; without one, the backend `settings.llm` names is
    loaded on the first generated answer (the packaged SmolLM2 by default).
    """

    def __init__(self, settings: Settings, embedder: Embedder | None = None,
                 model: LocalModel | Any | None = None, policy: AnswerPolicy | None = None,
                 on_stage: Callable[[str, float], None] | None = None) -> None:
        """`policy`: every threshold of answering (default: from the settings);
        `on_stage(name, seconds)`: called after each stage of each answer (tracing)."""
        self.settings = settings
        self._model: LocalModel | None = as_model(model) if model is not None else None
        self.policy = policy or policy_from_settings(settings)
        self.on_stage = on_stage
        self.store_path = Path(settings.store).expanduser().resolve()
        self.embedder = embedder or make_embedder(settings)
        self._store: Store | None = open_store(self.store_path,
                                               vectors=vector_settings(settings))
        _check_embedder(self._store, self.embedder)
        self._store_lock = threading.Lock()
        self._reading = threading.local()  # .store: the version this thread's answer reads
        self._model_lock = threading.Lock()
        self._generation = GenerationSlot()  # llama.cpp runs one generation at a time
        # The pipeline's stages, each with its part of the policy.
        weights = self._term_weights
        self.retriever = Retriever(lambda: self.store, self.embedder, self.policy.retrieval)
        self.selector = EvidenceSelector(self.embedder, weights, self.policy.evidence)
        self.abstainer = Abstainer(self.policy.abstain)
        self.claims = ClaimChecker(self.embedder.encode, weights, self.policy.check)
        self.verdicts = VerdictMaker(self.claims, self.policy.verdict)
        self.composer = Composer(self.policy.compose)
        self.checker = CitationChecker(self.claims)
        self._common_words: dict[str, bool] = {}
        self._usual_years: dict[int, int | None] = {}  # store version -> its stories' year

    # --- opening ---------------------------------------------------------------------

    @classmethod
    def open(cls, store: str | Path | None = None, *, model: Any = None,
             **settings: Any) -> Assistant:
        """Open an existing store (default `storage/`); settings override newsdesk.toml/QA_*.

        `llm=` is either a backend name (the `llm` setting: "smollm2", "gguf", ...) or a
        llama-index LLM object, which is then used as the model (as `model=` is)."""
        model, settings = _model_argument(model, settings)
        return cls(load_settings(store=store, **settings), model=model)

    @classmethod
    def from_corpus(cls, folder: str | Path, store: str | Path | None = None, *,
                    model: Any = None, **settings: Any) -> Assistant:
        """Index (or update the index of) a folder of articles, then open it (`llm=` and
        `model=` as for open())."""
        model, settings = _model_argument(model, settings)
        config = load_settings(store=store, **settings)
        embedder = make_embedder(config)
        update_store(config.store, [Path(folder)], embedder=embedder,
                     limits=_limits(config), chunk_tokens=config.chunk_tokens,
                     vectors=vector_settings(config))
        return cls(config, embedder=embedder, model=model)

    @property
    def store(self) -> Store:
        """The live store version; reopened when `qa index` (or an upload) published a newer
        one, so a running chat sees new articles without a restart. An answer in progress
        keeps reading the version it started with."""
        pinned = getattr(self._reading, "store", None)
        if pinned is not None:
            return pinned
        with self._store_lock:
            if self._store is None or self._store.is_stale():
                try:
                    fresh = open_store(self.store_path,
                                       vectors=vector_settings(self.settings))
                except NewsdeskError:
                    if self._store is None:
                        raise
                    fresh = None  # keep answering from the version we have
                if fresh is not None and self._store is not None and \
                        fresh.embed_model not in ("", self.embedder.name):
                    fresh = None  # rebuilt with another embedding model: needs a restart
                if fresh is not None:
                    self._store = fresh  # the old one is closed by garbage collection
            return self._store

    @property
    def model(self) -> LocalModel:
        if self._model is None:
            with self._model_lock:
                if self._model is None:
                    self._model = load_model(self.settings)
        return self._model

    def warm_up(self, model: bool = True) -> None:
        """Load the embedder (and the language model) and touch the indexes now, so the first
        question does not pay for it; a server calls this at start."""
        self.retriever.retrieve("news", 1)
        if model and self.settings.mode == "generate":
            _ = self.model

    def close(self) -> None:
        with self._store_lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    # --- the store -------------------------------------------------------------------

    def stats(self) -> StoreStats:
        return self.store.stats()

    def sources(self) -> list[str]:
        return self.store.sources()

    def date_range(self) -> tuple[str | None, str | None]:
        """The earliest and latest article dates in the store."""
        return self.store.date_range()

    def article(self, article_id: str) -> ArticleRecord | None:
        """A stored article (title, date, source, url, full text) for showing a citation."""
        return self.store.article(article_id)

    def add(self, paths: Sequence[str | Path], progress: Callable[[str, int, int], None] | None
            = None, prune: bool = False, follow_feeds: bool = False) -> UpdateSummary:
        """Add or update articles from files and from links (strings such as "https://...":
        article pages or RSS/Atom feeds); the next question already sees them.

        A link's failure (404, timeout, not HTML, ...) is in the summary's `failed`, named by
        the link. `follow_feeds` reads the feed a page announces instead of the page."""
        links = [str(p) for p in paths if isinstance(p, str) and is_link(p)]
        files = [Path(p) for p in paths if not (isinstance(p, str) and is_link(p))]
        summary = update_store(self.store_path, files, embedder=self.embedder,
                               prune=prune, limits=_limits(self.settings), progress=progress,
                               chunk_tokens=self.settings.chunk_tokens, lock_wait=30,
                               vectors=vector_settings(self.settings), links=links,
                               fetch=fetch_policy(self.settings), follow_feeds=follow_feeds,
                               feed_max_items=self.settings.feed_max_items)
        _ = self.store  # switch to the new version now
        return summary

    # --- asking ----------------------------------------------------------------------

    def retrieve(self, question: str, k: int | None = None, since: str | None = None,
                 until: str | None = None, sources: Sequence[str] | None = None,
                 article_ids: Sequence[str] | None = None, mode: str = "hybrid"
                 ) -> list[Passage]:
        """The passages retrieval returns for a question, best first."""
        filters = Filters(since, until, tuple(sources or ()), tuple(article_ids or ()))
        return self.retriever.retrieve(_clean(question), k or self.settings.top_k, filters, mode)

    def ask(self, question: str, mode: str | None = None, since: str | None = None,
            until: str | None = None, sources: Sequence[str] | None = None,
            article_ids: Sequence[str] | None = None) -> Answer:
        """Answer a question; `mode` is "generate" (the local model) or "extractive"."""
        stream = self.stream(question, mode, since, until, sources, article_ids)
        for _ in stream:
            pass
        assert stream.answer is not None
        return stream.answer

    def stream(self, question: str, mode: str | None = None, since: str | None = None,
               until: str | None = None, sources: Sequence[str] | None = None,
               article_ids: Sequence[str] | None = None, *,
               context: FollowUp | None = None) -> AnswerStream:
        """Like ask(), but yields the model's tokens as they come; `.answer` after the loop.

        `context`: what a follow-up refers to, from the conversation (see Chat)."""
        question = _clean(question)
        mode = mode or self.settings.mode
        if mode not in ("generate", "extractive"):
            raise NewsdeskError(f"unknown answer mode {mode!r}; use generate or extractive")
        filters = Filters(since, until, tuple(sources or ()), tuple(article_ids or ()))
        return AnswerStream(lambda holder: self._one_version(
            self._answer(question, mode, filters, context, holder)))

    def chat(self) -> Chat:
        """A conversation: follow-up questions are read in the light of earlier ones."""
        from .chat import Chat  # chat.py refers back to Assistant

        return Chat(self)

    def _one_version(self, pieces: Generator[str, None, None]) -> Iterator[str]:
        """Run an answer against the store version that is live when it starts, to its end:
        its passages, evidence and citations all come from that version, even when `qa index`
        publishes a new one meanwhile (the next question reads that).

        The version is pinned only while the answer runs a step, in the thread that runs it,
        never while it waits between two pieces: a reader may take each piece in another
        thread (Gradio does), close the stream from another thread, or drop it unclosed, and
        no thread is left reading an old version."""
        store = self.store
        try:
            while True:
                previous = getattr(self._reading, "store", None)
                self._reading.store = store
                try:
                    piece = next(pieces)
                except StopIteration:
                    return
                finally:
                    self._reading.store = previous
                yield piece
        finally:
            pieces.close()  # GeneratorExit: ends the generation, frees the model

    # --- the pipeline: analyse -> retrieve -> select -> decide -> compose -> check ----------

    def _answer(self, question: str, mode: str, filters: Filters, follow_up: FollowUp | None,
                holder: AnswerStream) -> Iterator[str]:
        stage = _Stages(self.on_stage)
        asked = follow_up.resolved if follow_up else question
        analysis = stage("analyse", self.analyse, asked)
        search = f"{analysis.cased} {follow_up.topic}".strip() if follow_up else analysis.cased
        passages = stage("retrieve", self.retriever.retrieve, search,
                         self.policy.retrieval.top_k, filters)
        if analysis.kind in ("summary", "list"):
            passages = self.retriever.whole_article(passages)
        # A follow-up's evidence is scored by the follow-up read with the names it carries;
        # "Besides the MDA IV, what else ...?" without what it already knows of (the story
        # was found with it).
        scored_by = f"{analysis.cased} {follow_up.names}".strip() if follow_up else \
            without_exclusion(analysis.cased) if analysis.kind == "list" else None
        evidence = stage("select", self.selector.select, analysis, passages, scored_by)
        evidence = stating_the_figures(analysis, evidence)
        if follow_up and follow_up.said:
            # before deciding: the sentences the last answer quoted are not what a follow-up
            # asking something new is answered by ("How much is she trying to get back?")
            evidence = said_last(evidence, set(follow_up.said), analysis)
        story_years = self._story_years(analysis, passages)
        abstention = stage("decide", self.abstainer.decide, analysis, passages, evidence,
                           self._mentioned_anywhere, self.retriever.source_aliases(),
                           bool(follow_up and follow_up.said), story_years)
        if abstention.off_subject:
            # "Gordon Brown wrote a Guardian piece ...": the outlet's own articles are on
            # other things, but another outlet's story may tell what it wrote; looked for
            # without the outlet's name, and answered only if one does.
            wider = self.retriever.retrieve(self._without_outlets(search),
                                            self.policy.retrieval.top_k, filters)
            if analysis.kind in ("summary", "list"):
                wider = self.retriever.whole_article(wider)
            told = self.selector.select(analysis, wider, scored_by)
            again = self.abstainer.decide(analysis, wider, told, self._mentioned_anywhere,
                                          self.retriever.source_aliases(), False)
            if not again.abstain:
                passages, evidence, abstention = wider, told, again
        answer = Answer(question=question, text="", passages=passages, mode=mode,
                        resolved_question=search, timings=stage.timings,
                        store_version=self.store.version, kind=analysis.kind)
        if self.policy.abstain.years:
            evidence = matching_years(analysis, evidence, story_years)
        acted = act_told(evidence, analysis, self.policy.compose.extra_sentence_ratio)
        if acted is not None:  # "What game does he play ...?": the sentence telling the act
            evidence = [acted, *[e for e in evidence if e.start != acted.start
                                 or e.passage.article_id != acted.passage.article_id]]
        evidence = defining_first(evidence, analysis, self.policy.compose.extra_sentence_ratio)
        if analysis.expects and evidence:
            # "how much": of the closest sentences, those with a figure first; "who": one with
            # a name first, when it scores nearly as well (the best may say "he").
            head = answer_head(evidence, analysis, self.policy.abstain.answer_type_sentences,
                               self.policy.abstain.measured_ratio)
            if analysis.expects in ("name", "term"):
                floor = self.policy.compose.extra_sentence_ratio * head[0].score
                head = [e for e in head if e.score >= floor]
                named = named_in_story(evidence, head, analysis)
                if named is not None:
                    head = [named, *[e for e in head if e is not named]]
            if follow_up and follow_up.said and (
                    analysis.measured and not any(gives_measured(e, analysis) for e in head)
                    or analysis.expects == "name" and not any(
                        names_someone_new(e.text, analysis) for e in head)):
                head = read_on(evidence, set(follow_up.said), analysis,
                               self.policy.follow_up.read_on)[:1] + head
            evidence = sorted(head, key=lambda e: (
                not holds_answer(e, analysis),
                bool(analysis.measured) and not gives_measured(e, analysis),
                bool(analysis.measured) and not figure_of_measured(e, analysis))
            ) + [e for e in evidence if all(e is not h for h in head)]
        if evidence and asks_for_body(analysis):
            # "Which city ...": of the closest sentences (as many as must hold a figure for
            # "how much"), one naming a city, team or company the question does not
            # ("Taipei's TFC 101 Tower ...") comes first, before the best that names none
            # ("The TFC 101 Tower is due to be opened ...").
            head = evidence[:self.policy.abstain.answer_type_sentences]
            story = [e.passage.text for e in head]
            titled = names_as_asked(analysis)  # "Shochiku film studios" first
            naming = [e for e in head if titled(e.text)] + [
                e for e in head if not titled(e.text) and bodies_named(
                    [e.text], analysis, story, [p.text for p in passages])]
            evidence = naming + [e for e in evidence if all(e is not n for n in naming)]
        if abstention.abstain:
            answer.abstained = True
            answer.text = abstain_text(bool(passages))
            answer.notes.append(abstention.reason)
            holder.answer = stage.finish(answer)
            yield answer.text
            return
        decision = stage("decide", self._decide, analysis, evidence)
        if decision.label:
            answer.verdict = decision.label
            answer.notes.append(f"verdict: {decision.reason}")
        if mode == "extractive" or analysis.wants_several or not self._model_helps(decision):
            answer.mode = "extractive"
            answer.text, answer.citations = stage("compose", self._compose_extractive,
                                                  analysis, evidence, decision)
            stage.timings["first_token"] = stage.elapsed()
            holder.answer = stage.finish(answer)
            yield answer.text
            return
        shown = self.composer.with_the_name(
            analysis, self.composer.answer_evidence(self.selector.top(evidence)), evidence)
        shown, _ = self.composer.with_a_shared_name(analysis, shown, evidence)
        system, user = evidence_prompt(analysis.cased, shown)
        draft: list[str] = []
        model = self.model
        with closing(self._generation.stream(lambda: model.stream(system, user))) as pieces:
            for piece in pieces:
                if "first_token" not in stage.timings:
                    stage.timings["first_token"] = stage.elapsed()
                draft.append(piece)
                yield piece
        stage.mark("generate")
        answer.draft = "".join(draft)
        respelt, changes = in_source_spelling(answer.draft, [e.text for e in shown])
        for wrote, source_writes in changes:
            answer.notes.append(f"the model's '{wrote}' is spelt as the source spells it: "
                                f"'{source_writes}'")
        result = stage("check", self.checker.check, respelt, shown,
                       echo_in_story(analysis.tokens, shown), None,
                       analysis.kind == "factoid", analysis.tokens)
        for claim in result.claims:
            if claim.status == "contradicted":
                answer.notes.append(f"contradicted, dropped: {claim.sentence} ({claim.reason})")
            elif claim.status == "not_found":
                why = f" ({claim.reason})" if claim.reason else ""
                answer.notes.append(f"unsupported, dropped: {claim.sentence}{why}")
        if result.moved:
            answer.notes.append(f"{result.moved} citation(s) moved to the supporting passage")
        asked = set(re.findall(r"[\w'’-]+", analysis.cased.lower()))
        if result.sentences and not gives_what_was_asked(
                [sentence.text for sentence in result.sentences], analysis.expects,
                analysis.counted, asked):
            # True to its source but no answer: "40 a day" for "how many applications in a
            # year", where the sentence it rests on gives "8,000 applications".
            answer.notes.append("the model's answer does not give what was asked")
            result = replace(result, sentences=[])
        short = None if result.sentences else short_answer(
            respelt, [e.text for e in shown], analysis.expects, analysis.counted, asked,
            analysis.measured)
        if result.sentences:
            sentences = list(result.sentences)
            if not any(0 in sentence.supports for sentence in sentences):
                # The model answered from another sentence than the best one (Shareholders
                # United's backers, where the best names the shareholders whose approval is
                # needed): the best is quoted after its answer, so the answer never says less
                # than the extractive one would.
                sentences.append(CheckedSentence(shown[0].text, (0,)))
                answer.notes.append("the best sentence is quoted after the model's answer, "
                                    "which rests on another")
            answer.text, answer.citations = self.composer.checked(sentences, shown)
        elif short is not None:
            lead, row = short
            answer.text, answer.citations = self.composer.cited([shown[row]], lead=lead)
            answer.notes.append(f"the model's short answer '{lead}' is written in the cited "
                                "sentence")
        else:
            answer.mode = "extractive"
            answer.notes.append("the model's answer was not supported; answered extractively")
            answer.text, answer.citations = self._compose_extractive(analysis, evidence,
                                                                     decision)
        holder.answer = stage.finish(answer)

    def analyse(self, question: str) -> QuestionAnalysis:
        """The question read once (kind, names, years, options), against the live store."""
        return analyse(question, self._store_words(), self.policy.abstain.rare_word_length,
                       self.policy.abstain.slip_length)

    def _decide(self, analysis: QuestionAnalysis, evidence: Sequence) -> Decision:
        mentions = find_source_mentions(analysis.cased, self.retriever.source_aliases())
        return self.verdicts.decide(analysis, evidence, mentions)

    def _model_helps(self, decision: Decision) -> bool:
        """The model writes factoid answers only. A verdict is ours, with the sentences that
        decide it quoted: measured on the natural questions, the 135M model's restatements of
        them mostly argued with the verdict ("No. The answer is: Yes") and were dropped."""
        return not decision.label

    def _compose_extractive(self, analysis: QuestionAnalysis, evidence: Sequence,
                            decision: Decision) -> tuple[str, list]:
        if decision.label:
            deciding = list(decision.deciding) or self.composer.answer_evidence(
                self.selector.top(evidence))
            label = option_as_asked(analysis.cased, decision.label) \
                if analysis.kind == "choice" else decision.label
            return self.composer.verdict(label, deciding)
        if analysis.wants_several:
            return self.composer.extractive(analysis, evidence)
        chosen = self.composer.answer_evidence(self.selector.top(evidence))
        chosen = self.composer.with_the_name(analysis, chosen, evidence)
        term = self.composer.term_asked_for(analysis, chosen, evidence)
        if term is not None:
            word, holder = term
            chosen = [holder, *[c for c in chosen if c is not holder]][
                :self.policy.compose.max_factoid_sentences]
            return self.composer.cited(chosen, lead=word)
        chosen, lead = self.composer.with_a_shared_name(analysis, chosen, evidence)
        return self.composer.cited(chosen, lead=lead)

    # --- checking any text -------------------------------------------------------------

    def check(self, text: str, since: str | None = None, until: str | None = None,
              sources: Sequence[str] | None = None,
              article_ids: Sequence[str] | None = None) -> CheckReport:
        """Check any text against the store, sentence by sentence: each sentence supported,
        contradicted (with the article sentence that says otherwise) or not found."""
        text = _clean(text)
        filters = Filters(since, until, tuple(sources or ()), tuple(article_ids or ()))
        started = time.perf_counter()
        with self._pinned():
            results = []
            for sentence in answer_sentences(text):
                analysis = self.analyse(sentence)
                passages = self.retriever.retrieve(sentence, self.policy.retrieval.top_k,
                                                   filters)
                evidence = self.selector.top(self.selector.select(analysis, passages),
                                             2 * self.policy.evidence.sentences)
                check = self.claims.check([sentence], evidence)[0]
                results.append(ClaimResult(
                    sentence=sentence, status=check.status, reason=check.reason,
                    supporting=[citation_for(n, evidence[i]) for n, i in
                                enumerate(check.supports[:2], start=1)],
                    contradicting=[citation_for(n, evidence[i]) for n, i in
                                   enumerate(check.contradicts[:2], start=1)]))
            version = self.store.version
        return CheckReport(text=text, claims=results, store_version=version,
                           seconds=time.perf_counter() - started)

    def _pinned(self):
        """Read one store version for a whole check (as an answer does)."""
        assistant = self

        class _Pin:
            def __enter__(self):
                self.previous = getattr(assistant._reading, "store", None)
                assistant._reading.store = assistant.store
                return self

            def __exit__(self, *exc):
                assistant._reading.store = self.previous

        return _Pin()

    # --- what the stages ask of the store -------------------------------------------------

    def _term_weights(self, tokens: list[str]) -> dict[str, float]:
        return self.store.term_weights(tokens)

    def _store_words(self) -> StoreWords:
        return StoreWords(texts_with=self._texts_with, unseen=self._unseen,
                          is_common_word=self._is_common_word)

    def _texts_with(self, words: str) -> list[str]:
        """Chunk texts that use these words, to read how the articles write them (titles are
        left out: many capitalise every word)."""
        store = self.store
        return [c.text for c in store.chunks(i for i, _ in store.search_lexical(words, 30))]

    def _unseen(self, words: Sequence[str]) -> set[str]:
        """Words no stored chunk contains (a stop word is never unseen)."""

        token_of = {w: lexical_tokens([w])[0] for w in words}
        tokens = sorted({t for ts in token_of.values() for t in ts})
        counts = self.store.document_frequency(tokens) if tokens else {}
        return {w for w, ts in token_of.items() if ts and all(counts.get(t, 0) == 0 for t in ts)}

    def _is_common_word(self, word: str) -> bool:
        """A whole word of the embedder's vocabulary: common English, not a rare name."""
        if word not in self._common_words:
            self._common_words[word] = self.embedder.count_tokens([word.lower()])[0] <= 1
        return self._common_words[word]

    def _without_outlets(self, text: str) -> str:
        """The text without the names of the store's outlets it mentions."""
        for mention in sorted(find_source_mentions(text, self.retriever.source_aliases()),
                              key=lambda m: -m.start):
            text = f"{text[:mention.start]} {text[mention.end:]}"
        return " ".join(text.split())

    def _story_years(self, analysis: QuestionAnalysis, passages: Sequence[Passage]
                     ) -> dict[str, int | None]:
        """For a question fixing a year, the year each undated story retrieved is of, read
        from its whole text (qa.abstain.story_year); {} otherwise."""
        if not analysis.years:
            return {}
        undated = [p.article_id for p in passages if not p.date]
        texts = self.retriever.article_texts(undated) if undated else {}
        years = {article: story_year(text) for article, text in texts.items()}
        if None in years.values():
            # A story that names no year is of no known one: take it to be of the year the
            # store's undated stories are of most often ("this year's festival" in a
            # collection of 2004-5 news), not of another year than the one asked.
            usual = self._usual_story_year()
            years = {article: usual if year is None else year
                     for article, year in years.items()}
        return years

    def _usual_story_year(self) -> int | None:
        """The year most of the store's undated stories are of (`story_year` of each, counted;
        the latest of a tie); None when none names a year. Worked out once a store version."""
        store = self.store
        if store.version not in self._usual_years:
            counts = Counter(year for year in map(story_year, store.undated_texts())
                             if year is not None)
            usual = max(counts, key=lambda year: (counts[year], year)) if counts else None
            self._usual_years = {store.version: usual}
        return self._usual_years[store.version]

    def _mentioned_anywhere(self, words: list[str]) -> bool:
        """Whether any stored chunk contains all these words (a name the question uses)."""
        store = self.store
        chunks = store.chunks(i for i, _ in store.search_lexical(" ".join(words), 20))
        articles = store.articles(c.article_id for c in chunks)
        titles = {article_id: article.title for article_id, article in articles.items()}
        for chunk in chunks:
            text = f"{titles.get(chunk.article_id, '')} {chunk.text}".lower()
            if all(w in set(re.findall(r"[a-z0-9]+", text)) for w in words):
                return True
        return False


class _Stages:
    """Runs each stage of one answer, timing it into `timings` and telling `on_stage`."""

    def __init__(self, on_stage: Callable[[str, float], None] | None) -> None:
        self.on_stage = on_stage
        self.started = time.perf_counter()
        self.last = self.started
        self.timings: dict[str, float] = {}

    def __call__(self, name: str, function: Callable[..., Any], *args: Any) -> Any:
        began = time.perf_counter()
        result = function(*args)
        self._record(name, time.perf_counter() - began)
        return result

    def mark(self, name: str) -> None:
        """Time since the previous stage ended, under `name` (a stage that streams)."""
        self._record(name, time.perf_counter() - self.last)

    def _record(self, name: str, seconds: float) -> None:
        self.timings[name] = self.timings.get(name, 0.0) + seconds
        self.last = time.perf_counter()
        if self.on_stage is not None:
            self.on_stage(name, seconds)

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def finish(self, answer: Answer) -> Answer:
        self.timings["total"] = self.elapsed()
        return answer


def _model_argument(model: Any, settings: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """Split `llm=` into the setting (a backend name) or the model (an LLM object)."""
    llm = settings.get("llm")
    if llm is None or isinstance(llm, str):
        return model, settings
    if model is not None:
        raise ConfigError("give the model once: as llm= or as model=, not both")
    return llm, {key: value for key, value in settings.items() if key != "llm"}


def _check_embedder(store: Store, embedder: Embedder) -> None:
    """Questions must be embedded by the model that embedded the store's passages."""
    if store.embed_model and store.embed_model != embedder.name:
        raise ModelMismatchError(
            f"the store at {store.root} was built with the embedding model "
            f"'{store.embed_model}' ({backend_of(store.embed_model)}), but the settings ask "
            f"for '{embedder.name}' ({embedder.backend}); remove embed_model and "
            "embed_backend from newsdesk.toml and QA_EMBED_* (the store's own model is then "
            "used), or rebuild the store with the new model: `qa index --rebuild PATHS`")


def _clean(question: str) -> str:
    text = " ".join(str(question or "").split())
    if not text:
        raise EmptyQuestionError("the question is empty; ask something about the articles")
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionTooLongError(f"the question has {len(text)} characters; keep it under "
                                   f"{MAX_QUESTION_CHARS}")
    return text


def _limits(settings: Settings) -> ReaderLimits:
    return ReaderLimits(max_file_bytes=int(settings.max_file_mb * 1024 * 1024),
                        max_article_chars=settings.max_article_chars,
                        max_html_bytes=int(settings.max_html_mb * 1024 * 1024))


def read_on(evidence: Sequence, said: set[tuple[str, int]], analysis: QuestionAnalysis,
            sentences: int) -> list:
    """The sentences just after the last answer's quotes, in their articles, that give what a
    follow-up measures ("What was the score?" after "Serena Williams staged a remarkable
    recovery to beat Lindsay Davenport ..." is the next sentence: "... 2-6 6-3 6-0"), or for
    "who", that name someone new ("Who is taking over from him?" after "Paul Tellier ... left
    the company ..." is the next: "Laurent Beaudoin ... will take on the role of CEO")."""
    found = []
    for article_id, start in sorted(said):
        after = sorted((e for e in evidence if e.passage.article_id == article_id
                        and e.start > start), key=lambda e: e.start)[:sentences]
        found += [e for e in after if (
            names_someone_new(e.text, analysis) if analysis.expects == "name"
            else holds_answer(e, analysis) and gives_measured(e, analysis))
            and all(e is not f for f in found)]
    return found


def said_last(evidence: Sequence, said: set[tuple[str, int]],
              analysis: QuestionAnalysis) -> list:
    """A follow-up asks for something new: the sentences the last answer quoted go after the
    others, unless one holds the kind of answer the question wants (a figure for "how big
    was the deficit he mentioned?") and so is the answer again. A name is not such a kind:
    the sentence that answered "Who quit as chief executive?" names whom "Who is taking over
    from him?" asks about, not who takes over. A team or a company is: "husband, Chicago Cubs
    shortstop Nomar Garciaparra" answers "Which team does he play for?" again."""
    body = asks_for_body(analysis)
    moved = [e for e in evidence if (e.passage.article_id, e.start) in said
             and not (analysis.expects not in (None, "name", "term")
                      and holds_answer(e, analysis))
             and not (body and bodies_named([e.text], analysis, [e.passage.text]))]
    return [e for e in evidence if all(e is not m for m in moved)] + moved
