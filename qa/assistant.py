"""The Python API: open a store, ask questions, get short answers with checked citations."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing
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
    open_store,
    update_store,
)
from index.errors import ModelMismatchError
from index.readers import ReaderLimits

from .abstain import judge
from .citations import CitationChecker
from .compose import (
    abstain_text,
    answer_evidence,
    compose_checked,
    compose_extractive,
    evidence_prompt,
)
from .config import Settings, load_settings, make_embedder, vector_settings
from .errors import EmptyQuestionError, QuestionTooLongError
from .evidence import diverse_top, question_terms, select_evidence
from .generation_slot import GenerationSlot
from .llm import LocalModel, load_model
from .retrieval import Filters, Retriever
from .types import Answer, AnswerStream, Passage

if TYPE_CHECKING:
    from .chat import Chat

MAX_QUESTION_CHARS = 2000


class Assistant:
    """Answers questions from one store. Loads the embedder and the language model once and
    reuses them; picks up a newly published store version between questions."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None,
                 model: LocalModel | None = None) -> None:
        self.settings = settings
        self.store_path = Path(settings.store).expanduser().resolve()
        self.embedder = embedder or make_embedder(settings)
        self._store: Store | None = open_store(self.store_path,
                                               vectors=vector_settings(settings))
        _check_embedder(self._store, self.embedder)
        self._store_lock = threading.Lock()
        self._reading = threading.local()  # .store: the version this thread's answer reads
        self._model = model
        self._model_lock = threading.Lock()
        self._generation = GenerationSlot()  # llama.cpp runs one generation at a time
        self.retriever = Retriever(lambda: self.store, self.embedder)
        self.checker = CitationChecker(self.embedder,
                                       lambda tokens: self.store.term_weights(tokens))

    # --- opening ---------------------------------------------------------------------

    @classmethod
    def open(cls, store: str | Path | None = None, **settings: Any) -> Assistant:
        """Open an existing store (default `storage/`); settings override newsdesk.toml/QA_*."""
        return cls(load_settings(store=store, **settings))

    @classmethod
    def from_corpus(cls, folder: str | Path, store: str | Path | None = None,
                    **settings: Any) -> Assistant:
        """Index (or update the index of) a folder of articles, then open it."""
        config = load_settings(store=store, **settings)
        embedder = make_embedder(config)
        update_store(config.store, [Path(folder)], embedder=embedder,
                     limits=_limits(config), chunk_tokens=config.chunk_tokens,
                     vectors=vector_settings(config))
        return cls(config, embedder=embedder)

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
            = None, prune: bool = False) -> UpdateSummary:
        """Add or update articles from files; the next question already sees them."""
        summary = update_store(self.store_path, [Path(p) for p in paths], embedder=self.embedder,
                               prune=prune, limits=_limits(self.settings), progress=progress,
                               chunk_tokens=self.settings.chunk_tokens, lock_wait=30,
                               vectors=vector_settings(self.settings))
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
               context: str | None = None) -> AnswerStream:
        """Like ask(), but yields the model's tokens as they come; `.answer` after the loop.

        `context` is an earlier question a follow-up refers to (see Chat)."""
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

    def _answer(self, question: str, mode: str, filters: Filters, context: str | None,
                holder: AnswerStream) -> Iterator[str]:
        started = time.perf_counter()
        timings: dict[str, float] = {}
        # A follow-up is searched together with the question it follows, but its evidence is
        # what answers the follow-up itself.
        search_text = f"{question} {context}" if context else question
        passages = self.retriever.retrieve(search_text, self.settings.top_k, filters)
        timings["retrieve"] = time.perf_counter() - started
        terms = question_terms(question, self.store.term_weights)
        evidence = select_evidence(question, passages, self.embedder, terms)
        verdict = judge(question if not context else search_text, passages, evidence,
                        self._mentioned_anywhere, self.retriever.source_aliases())
        answer = Answer(question=question, text="", passages=passages, mode=mode,
                        resolved_question=search_text, timings=timings,
                        store_version=self.store.version)
        if verdict.abstain:
            answer.abstained = True
            answer.text = abstain_text(bool(passages))
            answer.notes.append(verdict.reason)
            timings["total"] = time.perf_counter() - started
            holder.answer = answer
            yield answer.text
            return
        chosen = diverse_top(evidence, self.settings.evidence_sentences)
        if mode == "extractive":
            answer.text, answer.citations = compose_extractive(question, chosen)
            timings["first_token"] = timings["total"] = time.perf_counter() - started
            holder.answer = answer
            yield answer.text
            return

        shown = answer_evidence(chosen)
        system, user = evidence_prompt(question, shown)
        draft = []
        model = self.model
        with closing(self._generation.stream(lambda: model.stream(system, user))) as pieces:
            for piece in pieces:
                if "first_token" not in timings:
                    timings["first_token"] = time.perf_counter() - started
                draft.append(piece)
                yield piece
        timings["generate"] = time.perf_counter() - started - timings["retrieve"]
        result = self.checker.check("".join(draft), chosen, question, terms,
                                    numbering=[chosen.index(item) for item in shown])
        answer.notes.extend(f"dropped unsupported sentence: {s}" for s in result.dropped)
        if result.moved:
            answer.notes.append(f"{result.moved} citation(s) moved to the supporting passage")
        if result.sentences:
            answer.text, answer.citations = compose_checked(result.sentences, chosen)
        else:
            answer.mode = "extractive"
            answer.notes.append("the model's answer was not supported; answered extractively")
            answer.text, answer.citations = compose_extractive(question, chosen)
        timings["total"] = time.perf_counter() - started
        holder.answer = answer

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

