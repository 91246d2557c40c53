"""The model served by an OpenAI-compatible server: llama.cpp's own server (`python -m
llama_cpp.server`, the same code path as vLLM's API) started on 127.0.0.1 with the packaged
SmolLM2 GGUF, asked through the Assistant with llm = "openai".
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from test_qa_answers import SEED_QUESTION, SEED_SENTENCE, assert_citations_sound

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def models_at(base_url: str) -> list[str]:
    with urllib.request.urlopen(f"{base_url}/models", timeout=5) as response:
        return [m["id"] for m in json.load(response)["data"]]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """llama.cpp's OpenAI-compatible server with the packaged model, on a free local port."""
    from qa.llm import packaged_model_path

    port = free_port()
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(packaged_model_path()),
             "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048",
             "--n_threads", "2", "--model_alias", "smollm2-135m"],
            stdout=out, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 180
    while True:
        try:
            if models_at(base_url):
                break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"llama.cpp's server did not start:\n{Path(log).read_text()[-3000:]}")
        time.sleep(0.5)
    yield {"process": process, "url": base_url, "log": log}
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def served_assistant(server, mixed_store, embedder):
    from qa import Assistant, load_settings

    settings = load_settings(store=mixed_store, llm="openai", llm_base_url=server["url"])
    return Assistant(settings, embedder=embedder)


def test_a_served_model_streams_a_checked_cited_answer(server, served_assistant):
    assert served_assistant.model.kind == "openai"
    # No llm_model configured: the name the server serves is asked for and used.
    assert served_assistant.model.name == "smollm2-135m" == models_at(server["url"])[0]
    stream = served_assistant.stream(SEED_QUESTION, mode="generate")
    pieces = list(stream)
    answer = stream.answer
    assert len(pieces) > 1, "the server's answer streams in pieces"
    assert answer is not None and not answer.abstained
    assert "first_token" in answer.timings and "generate" in answer.timings
    assert_citations_sound(answer, served_assistant)
    assert any(c.quote == SEED_SENTENCE for c in answer.citations), answer.citations
    assert "prudent" in answer.text
    # It went through the server: llama.cpp logged the streamed chat completion.
    assert "POST /v1/chat/completions" in Path(server["log"]).read_text()


def test_an_openai_like_object_answers_through_the_assistant(server, mixed_store, embedder):
    """A llama-index OpenAILike object built by the user (not from settings), given to the
    Assistant as its model: every citation of every answer holds."""
    from llama_index.llms.openai_like import OpenAILike
    from test_qa_answers import QUESTIONS

    from qa import Assistant, load_settings

    llm = OpenAILike(model="smollm2-135m", api_base=server["url"], api_key="none",
                     is_chat_model=True, temperature=0.0, max_tokens=120, max_retries=0,
                     timeout=120)
    bot = Assistant(load_settings(store=mixed_store), embedder=embedder, model=llm)
    assert bot.model.llm is llm and bot.model.kind == "llama-index"
    assert bot.model.url == server["url"] and "smollm2-135m" in bot.model.name
    answers = [bot.ask(question, mode="generate") for question in QUESTIONS[:2]]
    for answer in answers:
        assert_citations_sound(answer, bot)
    assert any(c.quote == SEED_SENTENCE for c in answers[0].citations)
    assert any(a.mode == "generate" for a in answers), "the served model's words were used"


def test_a_stopped_server_is_a_clear_model_error(server, served_assistant):
    from qa import ModelLoadError, load_settings
    from qa.llm import load_model

    server["process"].terminate()
    server["process"].wait(timeout=30)
    with pytest.raises(ModelLoadError) as raised:
        served_assistant.ask(SEED_QUESTION, mode="generate")
    message = str(raised.value)
    assert server["url"] in message and "llm_base_url" in message
    assert "\n" not in message and "Traceback" not in message
    # Loading anew asks the server for its model first, and says the same.
    with pytest.raises(ModelLoadError, match="cannot reach the OpenAI-compatible server"):
        load_model(load_settings(llm="openai", llm_base_url=server["url"]))
    # Extractive answers need no model and still work.
    answer = served_assistant.ask(SEED_QUESTION, mode="extractive")
    assert answer.text.startswith(SEED_SENTENCE[:-1])
