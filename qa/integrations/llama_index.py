"""Newsdesk as a llama-index component: a retriever and a query engine over a Newsdesk store.

    from qa.integrations.llama_index import NewsdeskQueryEngine, NewsdeskRetriever

    retriever = NewsdeskRetriever.from_store("storage", similarity_top_k=5)
    nodes = retriever.retrieve("What did Li Qiang ask of Brussels?")
    engine = NewsdeskQueryEngine.from_store("storage")       # or llm=<any llama-index LLM>
    response = engine.query("What did Li Qiang ask of Brussels?")

What differs from a `VectorStoreIndex`: each node's text is exactly the article's text at
`start_char_idx:end_char_idx`, its id stays the same while the passage is unchanged, deleted
articles are gone from the next query on, and the query engine's answer is Newsdesk's checked
answer: `source_nodes[n - 1]` is the passage that `[n]` cites, and `metadata["abstained"]`
says when the articles do not answer.

Only the Assistant's public API is used (retrieve, ask, stream, the records in qa.types).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import llama_index.core.instrumentation as instrument
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.base.response.schema import (
    AsyncStreamingResponse,
    Response,
    StreamingResponse,
)
from llama_index.core.bridge.pydantic import Field
from llama_index.core.callbacks import CallbackManager
from llama_index.core.instrumentation.events.query import QueryEndEvent, QueryStartEvent
from llama_index.core.instrumentation.events.retrieval import (
    RetrievalEndEvent,
    RetrievalStartEvent,
)
from llama_index.core.instrumentation.events.synthesis import (
    SynthesizeEndEvent,
    SynthesizeStartEvent,
)
from llama_index.core.query_engine import CustomQueryEngine
from llama_index.core.schema import (
    NodeRelationship,
    NodeWithScore,
    QueryBundle,
    QueryType,
    RelatedNodeInfo,
    TextNode,
)
from llama_index.core.vector_stores.types import (
    FilterCondition,
    FilterOperator,
    MetadataFilter,
    MetadataFilters,
)

from qa.assistant import Assistant
from qa.errors import ConfigError, FilterError
from qa.types import Answer, Citation, Passage

dispatcher = instrument.get_dispatcher(__name__)

# Retrieval modes as llama-index users name them -> the Assistant's names.
MODES = {"hybrid": "hybrid", "dense": "dense", "bm25": "lexical", "lexical": "lexical"}
# Metadata a model or an embedder has no use for: hidden from both, kept on the node.
BOOKKEEPING = ("article_id", "chunk_id", "store_version", "score", "dense_score",
               "lexical_score", "citation", "quote", "quote_start", "quote_end")
HIDDEN_FROM_EMBEDDING = (*BOOKKEEPING, "url", "source")
FILTER_KEYS = ("date", "source", "article_id")


# --- nodes -----------------------------------------------------------------------------

def node_id(article_id: str, start: int, end: int) -> str:
    """A node's id: its article and span, so it stays the same for an unchanged passage
    across index versions (chunk ids change whenever the article is re-indexed)."""
    return f"{article_id}:{start}-{end}"


def passage_node(passage: Passage, store_version: int | None = None,
                 extra: dict[str, Any] | None = None) -> NodeWithScore:
    """A retrieved passage as a llama-index node; `node.text == article.text[start:end]`."""
    metadata = _flat({
        "title": passage.title, "date": passage.date, "source": passage.source,
        "url": passage.url, "article_id": passage.article_id, "chunk_id": passage.chunk_id,
        "store_version": store_version, "score": passage.score,
        "dense_score": passage.dense_score, "lexical_score": passage.lexical_score,
        **(extra or {})})
    node = _text_node(passage.article_id, passage.text, passage.start, metadata,
                      passage.title)
    return NodeWithScore(node=node, score=passage.score)


def citation_node(citation: Citation, store_version: int | None = None) -> NodeWithScore:
    """A cited passage as a node: the passage around the quote, with the quote and its span
    in the article in metadata (`quote == article.text[quote_start:quote_end]`)."""
    text, start = ((citation.passage, citation.passage_start) if citation.passage
                   else (citation.quote, citation.span[0]))
    metadata = _flat({
        "title": citation.title, "date": citation.date, "source": citation.source,
        "url": citation.url, "article_id": citation.article_id, "chunk_id": citation.chunk_id,
        "store_version": store_version, "citation": citation.n, "quote": citation.quote,
        "quote_start": citation.span[0], "quote_end": citation.span[1]})
    node = _text_node(citation.article_id, text, start, metadata, citation.title)
    return NodeWithScore(node=node, score=citation.score)


def _text_node(article_id: str, text: str, start: int, metadata: dict[str, Any],
               title: str) -> TextNode:
    end = start + len(text)
    return TextNode(
        id_=node_id(article_id, start, end), text=text, start_char_idx=start, end_char_idx=end,
        metadata=metadata,
        excluded_llm_metadata_keys=[k for k in BOOKKEEPING if k in metadata],
        excluded_embed_metadata_keys=[k for k in HIDDEN_FROM_EMBEDDING if k in metadata],
        relationships={NodeRelationship.SOURCE: RelatedNodeInfo(
            node_id=article_id, metadata={"title": title} if title else {})})


def _flat(values: dict[str, Any]) -> dict[str, Any]:
    """Flat, JSON-safe metadata: absent values left out (vector stores reject None)."""
    return {key: value for key, value in values.items() if value is not None}


# --- filters ---------------------------------------------------------------------------

@dataclass(frozen=True)
class FilterScope:
    """What a MetadataFilters allows, in the terms the Assistant filters by. `None` means
    no restriction; an empty set, or `since` after `until`, means nothing passes."""

    since: str | None = None
    until: str | None = None
    sources: frozenset[str] | None = None  # lower case: sources compare case-insensitively
    article_ids: frozenset[str] | None = None

    @property
    def empty(self) -> bool:
        return (self.sources is not None and not self.sources) or \
            (self.article_ids is not None and not self.article_ids) or \
            (self.since is not None and self.until is not None and self.since > self.until)

    def arguments(self) -> dict[str, Any]:
        """Keyword arguments for Assistant.retrieve / ask / stream."""
        if self.empty:  # a date range nothing falls in: the Assistant finds nothing
            return {"since": "9999-12-31", "until": "0001-01-01"}
        return {"since": self.since, "until": self.until,
                "sources": sorted(self.sources) if self.sources is not None else None,
                "article_ids": sorted(self.article_ids) if self.article_ids is not None
                else None}

    def both(self, other: FilterScope) -> FilterScope:
        return FilterScope(since=max(filter(None, (self.since, other.since)), default=None),
                           until=min(filter(None, (self.until, other.until)), default=None),
                           sources=_meet(self.sources, other.sources),
                           article_ids=_meet(self.article_ids, other.article_ids))

    def either(self, other: FilterScope) -> FilterScope:
        """Either scope: only when both restrict the same one field to a set of values."""
        for name in ("sources", "article_ids"):
            mine, theirs = getattr(self, name), getattr(other, name)
            if mine is not None and theirs is not None and \
                    self._only(name) and other._only(name):
                return FilterScope(**{name: mine | theirs})
        raise FilterError("an 'or' of filters can only join values of one field (source == "
                          "A or source == B); use one filter with operator 'in', or a date "
                          "range with >= and <=")

    def _only(self, name: str) -> bool:
        fields = {"since": self.since, "until": self.until, "sources": self.sources,
                  "article_ids": self.article_ids}
        return all(value is None for key, value in fields.items() if key != name)


def _meet(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    if a is None:
        return b
    return a if b is None else a & b


def filter_scope(filters: MetadataFilters | None,
                 all_sources: Callable[[], Sequence[str]]) -> FilterScope:
    """Translate llama-index filters on `date`, `source` and `article_id` into a scope.

    date: ==, >, >=, <, <= against an ISO day ("2023-12-07"; a time of day is ignored);
    source: ==, !=, in, nin (case-insensitive); article_id: ==, in. Filters combine with
    "and", or with "or" over values of one field. Anything else raises FilterError: a
    filter that was silently ignored would answer from articles the caller excluded.
    """
    if filters is None:
        return FilterScope()
    scopes = [filter_scope(item, all_sources) if isinstance(item, MetadataFilters)
              else _one_filter(item, all_sources) for item in filters.filters]
    condition = filters.condition or FilterCondition.AND
    if not scopes:
        return FilterScope()
    result = scopes[0]
    for scope in scopes[1:]:
        if condition == FilterCondition.AND:
            result = result.both(scope)
        elif condition == FilterCondition.OR:
            result = result.either(scope)
    if condition not in (FilterCondition.AND, FilterCondition.OR):
        raise FilterError(f"the filter condition {condition.value!r} is not supported; use "
                          "'and', or 'or' over values of one field")
    return result


def _one_filter(item: MetadataFilter, all_sources: Callable[[], Sequence[str]]) -> FilterScope:
    key, value = item.key, item.value
    operator = FilterOperator(item.operator or FilterOperator.EQ)
    if key == "date":
        day = _day(value)
        by_operator = {
            FilterOperator.EQ: FilterScope(since=day.isoformat(), until=day.isoformat()),
            FilterOperator.GTE: FilterScope(since=day.isoformat()),
            FilterOperator.GT: FilterScope(since=(day + dt.timedelta(days=1)).isoformat()),
            FilterOperator.LTE: FilterScope(until=day.isoformat()),
            FilterOperator.LT: FilterScope(until=(day - dt.timedelta(days=1)).isoformat())}
        if operator in by_operator:
            return by_operator[operator]
    elif key == "source":
        if operator == FilterOperator.EQ:
            return FilterScope(sources=frozenset({_text(key, value).lower()}))
        if operator == FilterOperator.IN:
            return FilterScope(sources=frozenset(v.lower() for v in _texts(key, value)))
        if operator in (FilterOperator.NE, FilterOperator.NIN):
            excluded = {v.lower() for v in (_texts(key, value) if operator ==
                                            FilterOperator.NIN else [_text(key, value)])}
            return FilterScope(sources=frozenset(s.lower() for s in all_sources()) - excluded)
    elif key == "article_id":
        if operator == FilterOperator.EQ:
            return FilterScope(article_ids=frozenset({_text(key, value)}))
        if operator == FilterOperator.IN:
            return FilterScope(article_ids=frozenset(_texts(key, value)))
    else:
        raise FilterError(f"cannot filter by {key!r}: the store filters by "
                          f"{', '.join(FILTER_KEYS)}")
    raise FilterError(f"the operator {operator.value!r} is not supported for {key!r}; use "
                      + {"date": "==, >, >=, <, <= with an ISO day",
                         "source": "==, !=, in or nin",
                         "article_id": "== or in"}[key])


def _day(value: Any) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise FilterError(f"the date filter value {value!r} is not an ISO day; write it as "
                          "YYYY-MM-DD") from None


def _text(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise FilterError(f"the {key!r} filter needs a text value, not {value!r}")
    return value


def _texts(key: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise FilterError(f"the {key!r} filter with 'in'/'nin' needs a list of texts, not "
                          f"{value!r}")
    return value


# --- the retriever ---------------------------------------------------------------------

class NewsdeskRetriever(BaseRetriever):
    """Newsdesk's retrieval (dense + BM25 fused, with its outlet-aware search) as a llama-index
    retriever. Nodes carry exact article spans and flat metadata (title, date, source, url;
    article_id, chunk_id, store_version and scores, hidden from the model and the embedder).

    mode: "hybrid" (default), "dense" or "bm25"; filters: MetadataFilters on date, source
    and article_id (see filter_scope).
    """

    def __init__(self, assistant: Assistant, similarity_top_k: int | None = None,
                 mode: str = "hybrid", filters: MetadataFilters | None = None,
                 callback_manager: CallbackManager | None = None, verbose: bool = False) -> None:
        if mode not in MODES:
            raise ConfigError(f"unknown retrieval mode {mode!r}; use hybrid, dense or bm25")
        if similarity_top_k is not None and similarity_top_k < 1:
            raise ConfigError(f"similarity_top_k must be at least 1, not {similarity_top_k}")
        self.assistant = assistant
        self.similarity_top_k = similarity_top_k or assistant.settings.top_k
        self.mode = mode
        self.filters = filters
        super().__init__(callback_manager=callback_manager, verbose=verbose)

    @classmethod
    def from_store(cls, store: str | Path | None = None, *, similarity_top_k: int | None = None,
                   mode: str = "hybrid", filters: MetadataFilters | None = None,
                   **settings: Any) -> NewsdeskRetriever:
        """Open a store (default `storage/`); settings as for Assistant.open."""
        return cls(Assistant.open(store, **settings), similarity_top_k, mode, filters)

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        scope = filter_scope(self.filters, self.assistant.sources)
        if scope.empty:
            return []
        passages = self.assistant.retrieve(query_bundle.query_str, k=self.similarity_top_k,
                                           mode=MODES[self.mode], **scope.arguments())
        version = self.assistant.store.version  # the live version: the one just searched
        return [passage_node(p, version) for p in passages]

    async def _aretrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        """Off the event loop: retrieval embeds the question and searches on this thread."""
        return await asyncio.to_thread(self._retrieve, query_bundle)


# --- the query engine ------------------------------------------------------------------

class NewsdeskQueryEngine(CustomQueryEngine):
    """Newsdesk's answering as a llama-index query engine.

    `query()` returns a `Response` whose text is the checked answer (every sentence supported
    by the passage its `[n]` cites, or an abstention), `source_nodes[n - 1]` the passage `[n]`
    cites (the quote and its span in metadata), and `metadata` the citations, `abstained`,
    the mode that wrote the text, and the closest passages when it abstains.

    With `streaming=True` the model's draft streams as it is written (it is not checked
    yet); once the stream ends, `response_txt`, `source_nodes` and `metadata` hold the
    checked answer. `aquery` runs the answer on a worker thread, never on the event loop.
    """

    assistant: Any = Field(description="the qa.Assistant that answers")
    mode: str | None = Field(default=None, description="generate or extractive; default: "
                                                       "the assistant's settings")
    filters: MetadataFilters | None = Field(default=None, description="date, source, "
                                                                      "article_id filters")
    streaming: bool = Field(default=False, description="stream the model's draft")

    @classmethod
    def from_store(cls, store: str | Path | None = None, *, llm: Any = None, **options: Any
                   ) -> NewsdeskQueryEngine:
        """Open a store; `llm` is any llama-index LLM object or a backend name (default:
        the packaged SmolLM2). Other options: mode, filters, streaming, and settings."""
        fields = {key: options.pop(key) for key in ("mode", "filters", "streaming")
                  if key in options}
        if llm is not None:
            options["llm"] = llm
        return cls(assistant=Assistant.open(store, **options), **fields)

    @classmethod
    def from_assistant(cls, assistant: Assistant, *, llm: Any = None, **fields: Any
                       ) -> NewsdeskQueryEngine:
        """An engine over an open Assistant; with `llm`, one that answers with that model
        (sharing the store and the embedder)."""
        if llm is not None:
            assistant = Assistant(assistant.settings, embedder=assistant.embedder, model=llm)
        return cls(assistant=assistant, **fields)

    def as_retriever(self, **options: Any) -> NewsdeskRetriever:
        """The retriever this engine's answers start from (same store, same filters)."""
        options.setdefault("filters", self.filters)
        return NewsdeskRetriever(self.assistant, **options)

    def retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return self.as_retriever().retrieve(query_bundle)

    @dispatcher.span
    def query(self, str_or_query_bundle: QueryType) -> Any:
        dispatcher.event(QueryStartEvent(query=str_or_query_bundle))
        response = super().query(str_or_query_bundle)
        dispatcher.event(QueryEndEvent(query=str_or_query_bundle, response=response))
        return response

    @dispatcher.span
    async def aquery(self, str_or_query_bundle: QueryType) -> Any:
        dispatcher.event(QueryStartEvent(query=str_or_query_bundle))
        response = await super().aquery(str_or_query_bundle)
        dispatcher.event(QueryEndEvent(query=str_or_query_bundle, response=response))
        return response

    def custom_query(self, query_str: str) -> Response | StreamingResponse:
        arguments = self._arguments()
        started = dt.datetime.now()
        if self.streaming:
            stream = self.assistant.stream(query_str, **arguments)
            return CheckedStreamingResponse.over(
                stream, lambda answer: self._finish(query_str, answer, started))
        answer = self.assistant.ask(query_str, **arguments)
        return self._finish(query_str, answer, started)

    async def acustom_query(self, query_str: str) -> Response | AsyncStreamingResponse:
        if not self.streaming:
            return await asyncio.to_thread(self.custom_query, query_str)
        arguments = self._arguments()
        started = dt.datetime.now()
        stream = await asyncio.to_thread(self.assistant.stream, query_str, **arguments)
        return CheckedAsyncStreamingResponse.over(
            stream, lambda answer: self._finish(query_str, answer, started))

    def _arguments(self) -> dict[str, Any]:
        scope = filter_scope(self.filters, self.assistant.sources)
        return {"mode": self.mode, **scope.arguments()}

    def _finish(self, query_str: str, answer: Answer, started: dt.datetime) -> Response:
        """The answer as a Response, and the retrieval and synthesis events it stands for
        (stamped with when each step happened, by the answer's own timings)."""
        response = answer_response(answer)
        retrieved = started + dt.timedelta(seconds=answer.timings.get("retrieve", 0.0))
        finished = started + dt.timedelta(seconds=answer.timings.get("total", 0.0))
        nodes = [passage_node(p, answer.store_version) for p in answer.passages]
        dispatcher.event(RetrievalStartEvent(str_or_query_bundle=query_str, timestamp=started,
                                             tags={"newsdesk": "retrieve"}))
        dispatcher.event(RetrievalEndEvent(str_or_query_bundle=query_str, nodes=nodes,
                                           timestamp=retrieved, tags={"newsdesk": "retrieve"}))
        dispatcher.event(SynthesizeStartEvent(query=query_str, timestamp=retrieved,
                                              tags={"newsdesk": "answer"}))
        dispatcher.event(SynthesizeEndEvent(query=query_str, response=response,
                                            timestamp=max(finished, retrieved),
                                            tags={"newsdesk": "answer"}))
        return response


def answer_response(answer: Answer) -> Response:
    """A checked Answer as a llama-index Response (`source_nodes[n - 1]` is citation n)."""
    citations = sorted(answer.citations, key=lambda c: c.n)
    metadata: dict[str, Any] = {
        "abstained": answer.abstained, "mode": answer.mode,
        "citations": [c.to_dict() for c in citations],
        "question": answer.question, "resolved_question": answer.resolved_question,
        "store_version": answer.store_version, "notes": list(answer.notes),
        "timings": dict(answer.timings)}
    if answer.abstained:
        metadata["closest_passages"] = [p.to_dict() for p in answer.passages]
    return Response(response=answer.text,
                    source_nodes=[citation_node(c, answer.store_version) for c in citations],
                    metadata=metadata)


# --- streaming -------------------------------------------------------------------------

@dataclass
class CheckedStreamingResponse(StreamingResponse):
    """The model's draft, token by token; then the checked answer in `response_txt`,
    `source_nodes` and `metadata` (a draft sentence the check dropped is not in it)."""

    finished: bool = field(default=False)

    @classmethod
    def over(cls, stream: Any, finish: Callable[[Answer], Response]
             ) -> CheckedStreamingResponse:
        response = cls(response_gen=iter(()))

        def pieces() -> Iterator[str]:
            yield from stream
            response._take(finish(stream.answer))

        response.response_gen = pieces()
        return response

    def _take(self, checked: Response) -> None:
        self.response_txt = checked.response
        self.source_nodes = checked.source_nodes
        self.metadata = checked.metadata
        self.finished = True

    def _drain(self, echo: bool = False) -> None:
        for text in self.response_gen:
            if echo:
                print(text, end="", flush=True)

    def __str__(self) -> str:
        self._drain()
        return self.response_txt or "None"

    def get_response(self) -> Response:
        self._drain()
        return Response(self.response_txt, self.source_nodes, self.metadata)

    def print_response_stream(self) -> None:
        """The draft as it is written, then the checked answer when it differs."""
        if not self.finished:
            draft: list[str] = []
            for text in self.response_gen:
                print(text, end="", flush=True)
                draft.append(text)
            if self.response_txt != "".join(draft):
                print(f"\n\nChecked answer: {self.response_txt}", end="")
            print()
        else:
            print(self.response_txt)


@dataclass
class CheckedAsyncStreamingResponse(AsyncStreamingResponse):
    """The async twin of CheckedStreamingResponse: the answer is written on one worker
    thread (an answer reads one store version, pinned to its thread) and its pieces handed
    to the event loop."""

    @classmethod
    def over(cls, stream: Any, finish: Callable[[Answer], Response]
             ) -> CheckedAsyncStreamingResponse:
        response = cls(response_gen=_nothing())

        async def pieces() -> AsyncIterator[str]:
            async for piece in _pieces_from_thread(stream):
                yield piece
            checked = finish(stream.answer)
            response.source_nodes = checked.source_nodes
            response.metadata = checked.metadata
            response.response_txt = checked.response  # after the draft was gathered

        response.response_gen = pieces()
        return response


async def _nothing() -> AsyncIterator[str]:
    return
    yield  # an async generator that yields nothing


_END = object()


async def _pieces_from_thread(pieces: Any) -> AsyncIterator[str]:
    """Iterate a blocking iterator on one worker thread, handing each piece to the loop."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[Any] = asyncio.Queue()
    stop = threading.Event()

    def pump() -> None:
        iterator = iter(pieces)
        try:
            for piece in iterator:
                if stop.is_set():
                    break
                loop.call_soon_threadsafe(queue.put_nowait, piece)
        except BaseException as error:  # handed to the consumer, raised there
            loop.call_soon_threadsafe(queue.put_nowait, _Failure(error))
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()
            loop.call_soon_threadsafe(queue.put_nowait, _END)

    worker = asyncio.ensure_future(asyncio.to_thread(pump))
    try:
        while True:
            item = await queue.get()
            if item is _END:
                break
            if isinstance(item, _Failure):
                raise item.error
            yield item
    finally:
        stop.set()
        await worker


@dataclass
class _Failure:
    error: BaseException


__all__ = ["CheckedAsyncStreamingResponse", "CheckedStreamingResponse", "FilterScope",
           "NewsdeskQueryEngine", "NewsdeskRetriever", "answer_response", "citation_node",
           "filter_scope", "node_id", "passage_node"]
