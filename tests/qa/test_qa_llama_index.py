"""Newsdesk as a llama-index component: the retriever (inside llama-index's own
RetrieverQueryEngine too), the query engine, filters, streaming, async, events, and any
llama-index LLM object as the Assistant's model. Real store, embedder and llama.cpp."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from events import captured_events, of_type
from test_qa_answers import (
    QUESTIONS,
    SEED_QUESTION,
    SEED_SENTENCE,
    UNANSWERABLE,
    assert_citations_sound,
)

from qa.integrations.llama_index import (
    NewsdeskQueryEngine,
    NewsdeskRetriever,
    node_id,
)

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
TOPIC = "technology companies and their products"


def assert_exact(nodes, assistant) -> None:
    """Every node is its article's text at its span, under its stable id."""
    for scored in nodes:
        node = scored.node
        article = assistant.article(node.metadata["article_id"])
        assert article is not None
        assert article.text[node.start_char_idx:node.end_char_idx] == node.text
        assert node.node_id == node_id(article.article_id, node.start_char_idx,
                                       node.end_char_idx)
        assert node.source_node is not None and node.source_node.node_id == article.article_id


def filters(*items, condition="and"):
    from llama_index.core.vector_stores.types import MetadataFilter, MetadataFilters

    return MetadataFilters(filters=[MetadataFilter(key=k, value=v, operator=o)
                                    for k, o, v in items], condition=condition)


@pytest.fixture(scope="module")
def seed_assistant(seed_store, embedder):
    from qa import Assistant, load_settings

    return Assistant(load_settings(store=seed_store), embedder=embedder)


# --- the components --------------------------------------------------------------------

def test_they_are_llama_index_components_that_import_qa_does_not_load():
    from llama_index.core.base.base_query_engine import BaseQueryEngine
    from llama_index.core.base.base_retriever import BaseRetriever
    from llama_index.core.query_engine import CustomQueryEngine

    assert BaseRetriever in NewsdeskRetriever.__mro__
    assert {CustomQueryEngine, BaseQueryEngine} <= set(NewsdeskQueryEngine.__mro__)
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, qa; print(sorted(m for m in sys.modules if "
         "m.startswith(('llama_index', 'qa.integrations'))))"],
        capture_output=True, text=True, timeout=120, check=True).stdout
    assert loaded.strip() == "[]", loaded


# --- the retriever ---------------------------------------------------------------------

def test_nodes_are_exact_spans_with_flat_metadata(seed_assistant):
    from llama_index.core.schema import MetadataMode

    nodes = NewsdeskRetriever(seed_assistant, similarity_top_k=4).retrieve(SEED_QUESTION)
    assert len(nodes) == 4
    assert_exact(nodes, seed_assistant)
    assert any(SEED_SENTENCE in n.node.text for n in nodes)
    for scored in nodes:
        metadata = scored.node.metadata
        assert json.loads(json.dumps(metadata)) == metadata  # flat and JSON-safe
        assert metadata["title"] == "EU urges China to engage in Ukraine peace process"
        assert metadata["date"] == "2023-12-07" and metadata["store_version"] >= 1
        assert scored.score == metadata["score"] > 0
        shown = scored.node.get_content(metadata_mode=MetadataMode.LLM)
        assert "title: EU urges China" in shown and "date: 2023-12-07" in shown
        assert "chunk_id" not in shown and "store_version" not in shown
        embedded = scored.node.get_content(metadata_mode=MetadataMode.EMBED)
        assert "score" not in embedded and "article_id" not in embedded


@pytest.mark.parametrize("mode,ours", [("hybrid", "hybrid"), ("dense", "dense"),
                                       ("bm25", "lexical")])
def test_each_mode_returns_what_the_assistant_retrieves(assistant, mode, ours):
    for question in QUESTIONS[:4]:
        nodes = NewsdeskRetriever(assistant, similarity_top_k=10, mode=mode).retrieve(question)
        passages = assistant.retrieve(question, k=10, mode=ours)
        assert [n.node.metadata["chunk_id"] for n in nodes] == [p.chunk_id for p in passages]
        assert [n.score for n in nodes] == [p.score for p in passages]
        assert_exact(nodes, assistant)


def test_bad_retriever_settings_are_refused(assistant):
    from qa import ConfigError

    with pytest.raises(ConfigError, match="hybrid, dense or bm25"):
        NewsdeskRetriever(assistant, mode="sparse")
    with pytest.raises(ConfigError, match="similarity_top_k"):
        NewsdeskRetriever(assistant, similarity_top_k=0)


def test_a_node_keeps_its_id_when_its_article_is_reindexed(seed_store_copy, embedder,
                                                           tmp_path):
    """An article that grew at its end is re-indexed under new chunk ids; the passages that
    did not change keep their node ids."""
    from index import update_store
    from qa import Assistant, load_settings

    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    bot = Assistant(load_settings(store=seed_store_copy), embedder=embedder)
    retriever = NewsdeskRetriever(bot, similarity_top_k=3)
    before = {n.node.node_id: n.node.metadata for n in retriever.retrieve(SEED_QUESTION)}
    article = next(folder.glob("*.md"))
    article.write_text(article.read_text() + "\nA paragraph added later says nothing new.\n")
    summary = update_store(seed_store_copy, [folder], embedder=embedder)
    assert summary.replaced == [article.name]
    after = {n.node.node_id: n.node.metadata for n in retriever.retrieve(SEED_QUESTION)}
    kept = set(before) & set(after)
    assert kept, (before.keys(), after.keys())
    for key in kept:
        assert after[key]["store_version"] > before[key]["store_version"]
        assert after[key]["chunk_id"] != before[key]["chunk_id"]  # new chunks, same ids


def test_filters_narrow_what_is_retrieved(assistant):
    from llama_index.core.vector_stores.types import FilterOperator as Op

    from qa import FilterError

    def retrieve(metadata_filters):
        return NewsdeskRetriever(assistant, similarity_top_k=10,
                                 filters=metadata_filters).retrieve(TOPIC)

    everything = retrieve(None)
    assert len({n.node.metadata.get("source") for n in everything}) > 1
    techcrunch = retrieve(filters(("source", Op.EQ, "techcrunch")))
    assert techcrunch and {n.node.metadata["source"] for n in techcrunch} == {"TechCrunch"}
    assert_exact(techcrunch, assistant)
    either = retrieve(filters(("source", Op.EQ, "TechCrunch"), ("source", Op.EQ, "The Verge"),
                              condition="or"))
    assert {n.node.metadata["source"] for n in either} == {"TechCrunch", "The Verge"}
    listed = retrieve(filters(("source", Op.IN, ["TechCrunch", "The Verge"])))
    assert [n.node.node_id for n in either] == [n.node.node_id for n in listed]
    others = retrieve(filters(("source", Op.NIN, ["TechCrunch", "The Verge"])))
    assert others and not {"TechCrunch", "The Verge"} & {n.node.metadata.get("source")
                                                         for n in others}
    window = retrieve(filters(("date", Op.GTE, "2023-10-01"), ("date", Op.LT, "2023-10-05")))
    assert window and all("2023-10-01" <= n.node.metadata["date"] <= "2023-10-04"
                          for n in window)
    # The same narrowing as the Assistant's own filters.
    assert [n.node.metadata["chunk_id"] for n in window] == [
        p.chunk_id for p in assistant.retrieve(TOPIC, k=10, since="2023-10-01",
                                               until="2023-10-04")]
    one = everything[0].node.metadata["article_id"]
    only = retrieve(filters(("article_id", Op.EQ, one)))
    assert only and {n.node.metadata["article_id"] for n in only} == {one}
    assert retrieve(filters(("source", Op.EQ, "TechCrunch"), ("source", Op.EQ, "Wired"))) == []
    assert retrieve(filters(("date", Op.GT, "2023-10-10"), ("date", Op.LT, "2023-09-01"))) == []
    for bad, words in [(filters(("author", Op.EQ, "x")), "cannot filter by 'author'"),
                       (filters(("date", Op.EQ, "last week")), "not an ISO day"),
                       (filters(("source", Op.TEXT_MATCH, "Tech")), "not supported"),
                       (filters(("source", Op.EQ, "TechCrunch"), ("date", Op.EQ, "2023-10-01"),
                                condition="or"), "'or'")]:
        with pytest.raises(FilterError, match=words):
            retrieve(bad)


# --- llama-index's own query engine over our retriever ---------------------------------

def test_retriever_query_engine_answers_from_exact_spans_with_the_packaged_model(
        seed_assistant):
    """llama-index's RetrieverQueryEngine, its default prompts and synthesizer, our retriever
    and the packaged SmolLM2 as its LLM (prompted in the GGUF's own template)."""
    from llama_index.core.query_engine import RetrieverQueryEngine

    retriever = NewsdeskRetriever(seed_assistant, similarity_top_k=1)
    engine = RetrieverQueryEngine.from_args(retriever, llm=seed_assistant.model.llm)
    with captured_events() as events:
        response = engine.query(SEED_QUESTION)
    assert len(response.source_nodes) == 1
    assert_exact(response.source_nodes, seed_assistant)
    assert SEED_SENTENCE in response.source_nodes[0].node.text
    prompts = [e.prompt for e in of_type(events, "LLMCompletionStartEvent")]
    assert prompts and prompts[0].startswith("<|im_start|>system\n")  # SmolLM2's template
    assert SEED_SENTENCE in prompts[0] and SEED_QUESTION in prompts[0]
    written = "".join(getattr(e.response, "text", "") or ""
                      for e in of_type(events, "LLMCompletionEndEvent"))
    assert response.response and response.response.strip() == written.strip()
    assert of_type(events, "RetrievalEndEvent")[0].nodes[0].node.text == \
        response.source_nodes[0].node.text


# --- our query engine ------------------------------------------------------------------

def assert_matches_ask(response, answer, assistant) -> None:
    assert response.response == answer.text
    assert response.metadata["abstained"] is answer.abstained
    assert response.metadata["citations"] == [c.to_dict() for c in answer.citations]
    assert len(response.source_nodes) == len(answer.citations)
    for n, scored in enumerate(response.source_nodes, start=1):  # source_nodes[n-1] is [n]
        node, citation = scored.node, answer.citations[n - 1]
        assert node.metadata["citation"] == citation.n == n
        assert node.metadata["quote"] == citation.quote
        article = assistant.article(citation.article_id)
        assert article.text[node.metadata["quote_start"]:node.metadata["quote_end"]] == \
            citation.quote
        assert article.text[node.start_char_idx:node.end_char_idx] == node.text
        assert citation.quote in node.text


@pytest.mark.parametrize("mode", ["generate", "extractive"])
def test_query_engine_returns_the_assistants_checked_answer(assistant, mode):
    engine = NewsdeskQueryEngine.from_assistant(assistant, mode=mode)
    for question in QUESTIONS[1:3]:
        response = engine.query(question)
        answer = assistant.ask(question, mode=mode)
        assert_matches_ask(response, answer, assistant)
        assert not response.metadata["abstained"]
    seed = engine.query(SEED_QUESTION)
    assert any(n.node.metadata["quote"] == SEED_SENTENCE for n in seed.source_nodes)
    assert "prudent" in seed.response


@pytest.mark.parametrize("question", UNANSWERABLE)
def test_an_abstention_is_a_response_with_abstained_and_no_invented_text(assistant, question):
    response = NewsdeskQueryEngine.from_assistant(assistant).query(question)
    answer = assistant.ask(question)
    assert response.metadata["abstained"] is True
    assert response.response == answer.text and "don't say" in response.response
    assert response.source_nodes == [] and not re.search(r"\[\d+\]", response.response)
    assert response.metadata["closest_passages"]  # offered, not cited


def test_query_engine_filters_narrow_its_answers(assistant):
    from llama_index.core.vector_stores.types import FilterOperator as Op

    engine = NewsdeskQueryEngine.from_assistant(
        assistant, mode="extractive", filters=filters(("source", Op.EQ, "The Verge")))
    response = engine.query("What did The Verge report about Apple and Google search?")
    assert not response.metadata["abstained"]
    assert {c["source"] for c in response.metadata["citations"]} == {"The Verge"}
    # Nothing passes these filters: the answer says so instead of answering from elsewhere.
    nowhere = NewsdeskQueryEngine.from_assistant(
        assistant, filters=filters(("date", Op.GTE, "2030-01-01"))).query(SEED_QUESTION)
    assert nowhere.metadata["abstained"] and nowhere.source_nodes == []


def test_streaming_gives_the_draft_then_the_checked_answer(assistant):
    engine = NewsdeskQueryEngine.from_assistant(assistant, mode="generate", streaming=True)
    streaming = engine.query(SEED_QUESTION)
    pieces = list(streaming.response_gen)
    assert len(pieces) > 1, "the model's draft streams in pieces"
    answer = assistant.ask(SEED_QUESTION, mode="generate")
    assert str(streaming) == streaming.response_txt == answer.text
    assert_matches_ask(streaming.get_response(), answer, assistant)


def test_query_events_follow_the_answer(assistant):
    engine = NewsdeskQueryEngine.from_assistant(assistant, mode="extractive")
    with captured_events() as events:
        response = engine.query(SEED_QUESTION)
    names = [type(e).__name__ for e in events]
    order = ["QueryStartEvent", "RetrievalStartEvent", "RetrievalEndEvent",
             "SynthesizeStartEvent", "SynthesizeEndEvent", "QueryEndEvent"]
    assert [n for n in names if n in order] == order
    retrieved = of_type(events, "RetrievalEndEvent")[0]
    assert [n.node.metadata["chunk_id"] for n in retrieved.nodes] == [
        p.chunk_id for p in assistant.retrieve(SEED_QUESTION)]
    assert of_type(events, "SynthesizeEndEvent")[0].response.response == response.response
    stamps = [of_type(events, name)[0].timestamp for name in order[1:5]]
    assert stamps == sorted(stamps)
    # Inside the engine's spans: query() around custom_query() around the answer's steps.
    outer = {e.span_id for e in events if type(e).__name__ in (order[0], order[-1])}
    inner = {e.span_id for e in events if type(e).__name__ in order[1:5]}
    assert len(outer) == len(inner) == 1
    assert outer.pop().startswith("NewsdeskQueryEngine.query-")
    assert inner.pop().startswith("NewsdeskQueryEngine.custom_query-")


# --- async -----------------------------------------------------------------------------

def test_aquery_and_aretrieve_leave_the_event_loop_free(assistant):
    engine = NewsdeskQueryEngine.from_assistant(assistant, mode="generate")
    streaming_engine = NewsdeskQueryEngine.from_assistant(assistant, mode="generate",
                                                          streaming=True)
    retriever = NewsdeskRetriever(assistant, similarity_top_k=5)

    async def run():
        ticks = 0
        stop = asyncio.Event()

        async def tick():
            nonlocal ticks
            while not stop.is_set():
                await asyncio.sleep(0.005)
                ticks += 1

        ticker = asyncio.create_task(tick())
        started = time.perf_counter()
        response, nodes = await asyncio.gather(engine.aquery(SEED_QUESTION),
                                               retriever.aretrieve(SEED_QUESTION))
        elapsed, ticked = time.perf_counter() - started, ticks
        streamed = await streaming_engine.aquery(SEED_QUESTION)
        pieces = [piece async for piece in streamed.async_response_gen()]
        stop.set()
        await ticker
        return response, nodes, elapsed, ticked, streamed, pieces

    response, nodes, elapsed, ticks, streamed, pieces = asyncio.run(run())
    answer = assistant.ask(SEED_QUESTION, mode="generate")
    assert_matches_ask(response, answer, assistant)
    assert [n.node.node_id for n in nodes] == [
        n.node.node_id for n in retriever.retrieve(SEED_QUESTION)]
    # The loop kept running while the answer was written: at least a tick per 50 ms.
    assert ticks >= elapsed / 0.05, (ticks, elapsed)
    assert len(pieces) > 1 and streamed.response_txt == answer.text
    assert [n.node.metadata["quote"] for n in streamed.source_nodes] == [
        c.quote for c in answer.citations]


# --- any llama-index LLM ---------------------------------------------------------------

@pytest.fixture(scope="module")
def llama_cpp_llm():
    """A LlamaCPP as a llama-index user builds it, on the packaged GGUF: llama-index's
    generic prompt format, its own sampling settings."""
    from llama_index.llms.llama_cpp import LlamaCPP

    from qa.llm import packaged_model_path
    from qa.llm.llama_cpp import quiet_stderr

    with quiet_stderr():
        return LlamaCPP(model_path=str(packaged_model_path()), temperature=0.0,
                        max_new_tokens=120, context_window=2048, verbose=False,
                        model_kwargs={"n_threads": 2})


def test_a_llama_index_llm_object_answers_with_valid_citations(mixed_store, llama_cpp_llm):
    from qa import Assistant
    from qa.llm import chatml

    bot = Assistant.open(mixed_store, llm=llama_cpp_llm)
    assert bot.model.llm is llama_cpp_llm and bot.model.kind == "llama.cpp"
    # llama-index's generic format is replaced by the GGUF's own template, not the object.
    assert bot.model.prompt("S", "U") == chatml("S", "U")
    answers = [bot.ask(question, mode="generate") for question in QUESTIONS[:4]]
    for answer in answers:
        assert_citations_sound(answer, bot)
    seed = answers[0]
    assert not seed.abstained and any(c.quote == SEED_SENTENCE for c in seed.citations)
    assert any(a.mode == "generate" for a in answers), "the model's own words were used"


def test_the_query_engine_takes_an_llm_object(assistant, llama_cpp_llm):
    engine = NewsdeskQueryEngine.from_assistant(assistant, llm=llama_cpp_llm, mode="generate")
    assert engine.assistant.model.llm is llama_cpp_llm and engine.assistant is not assistant
    response = engine.query(SEED_QUESTION)
    assert_matches_ask(response, engine.assistant.ask(SEED_QUESTION, mode="generate"),
                       engine.assistant)
    assert any(n.node.metadata["quote"] == SEED_SENTENCE for n in response.source_nodes)


def test_whatever_a_model_invents_the_check_keeps_out(assistant):
    """A model that answers with a number and a source that exist nowhere: the same check
    and fallback as for the packaged model."""
    from llama_index.core.llms import CompletionResponse, CustomLLM, LLMMetadata
    from llama_index.core.llms.callbacks import llm_completion_callback

    invented = "Li Qiang asked Brussels for 900 billion euros of aircraft orders [3]."

    class Inventive(CustomLLM):
        @property
        def metadata(self) -> LLMMetadata:
            return LLMMetadata(model_name="inventive")

        @llm_completion_callback()
        def complete(self, prompt: str, formatted: bool = False, **kwargs):
            return CompletionResponse(text=invented)

        @llm_completion_callback()
        def stream_complete(self, prompt: str, formatted: bool = False, **kwargs):
            def pieces():
                for word in invented.split(" "):
                    yield CompletionResponse(text="", delta=word + " ")
            return pieces()

    from qa import Assistant

    bot = Assistant(assistant.settings, embedder=assistant.embedder, model=Inventive())
    assert bot.model.kind == "llama-index" and bot.model.name == "Inventive inventive"
    answer = bot.ask(SEED_QUESTION, mode="generate")
    assert "900" not in answer.text and "aircraft" not in answer.text
    assert answer.mode == "extractive" and not answer.abstained
    assert_citations_sound(answer, bot)


def test_llm_arguments_are_unambiguous(mixed_store, llama_cpp_llm):
    from qa import Assistant, ConfigError

    with pytest.raises(ConfigError, match="not both"):
        Assistant.open(mixed_store, llm=llama_cpp_llm, model=llama_cpp_llm)
    with pytest.raises(ConfigError, match="llama-index LLM"):
        Assistant.open(mixed_store, model="smollm2")
    bot = Assistant.open(mixed_store, llm="smollm2")  # a name still chooses a backend
    assert bot.settings.llm == "smollm2"
    assert bot.model.kind == "llama.cpp" and bot.model.llm is not llama_cpp_llm


# --- the README ------------------------------------------------------------------------

@pytest.mark.slow
def test_the_readme_example_runs(seed_store, tmp_path):
    """The first example of the README's "Use it from llama-index", as written, against a
    store in `storage/` of the working folder."""
    readme = (CORPUS.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use it from llama-index", 1)[1].split("\n## ", 1)[0]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    shutil.copytree(seed_store, tmp_path / "storage")
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, timeout=900, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    assert run.returncode == 0, run.stderr[-3000:]
    lines = run.stdout.splitlines()
    assert lines[0].startswith("eu-china-summit-2023-12-07.md:")
    assert "EU urges China to engage in Ukraine peace process 2023-12-07" in lines[0]
    assert "False" in lines and SEED_SENTENCE in lines
    assert sum("prudent" in line and "[1]" in line for line in lines) >= 2  # engine and tool
