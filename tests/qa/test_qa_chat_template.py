"""Each GGUF is prompted in the chat template stored in its own metadata: the packaged SmolLM2,
and copies of it written here with other templates (and one with none, then ChatML)."""

from __future__ import annotations

from pathlib import Path

import pytest
from events import captured_events, of_type
from gguf_files import copy_gguf
from test_qa_answers import SEED_QUESTION, assert_citations_sound

SYSTEM = "Answer from the sources."
USER = "Sources:\n[1] Brussels heard Li.\n\nQuestion: What did Li ask?"

# A format SmolLM2 never saw: role headers.
HEADERS_TEMPLATE = ("{% for message in messages %}{{ '### ' + message['role'] | upper + ':\\n' + "
                    "message['content'] + '\\n' }}{% endfor %}{% if add_generation_prompt %}"
                    "{{ '### ASSISTANT:\\n' }}{% endif %}")
HEADERS_PROMPT = f"### SYSTEM:\n{SYSTEM}\n### USER:\n{USER}\n### ASSISTANT:\n"
# Gemma's shape: no system turn, and the template writes the BOS token itself.
NO_SYSTEM_TEMPLATE = ("{{ bos_token }}{% if messages[0]['role'] == 'system' %}"
                      "{{ raise_exception('System role not supported') }}{% endif %}"
                      "{% for message in messages %}{{ '<start_of_turn>' + message['role'] + "
                      "'\\n' + message['content'] | trim + '<end_of_turn>\\n' }}{% endfor %}"
                      "{% if add_generation_prompt %}{{ '<start_of_turn>model\\n' }}{% endif %}")
NO_SYSTEM_PROMPT = (f"<start_of_turn>user\n{SYSTEM}\n\n{USER}<end_of_turn>\n"
                    "<start_of_turn>model\n")


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> dict[str, Path]:
    from qa.llm import packaged_model_path

    folder = tmp_path_factory.mktemp("gguf")
    source = packaged_model_path()
    return {
        "headers": copy_gguf(source, folder / "headers.gguf", HEADERS_TEMPLATE),
        # The tokenizer adds a BOS token itself, so the template's own must not be doubled.
        "no-system": copy_gguf(source, folder / "no-system.gguf", NO_SYSTEM_TEMPLATE,
                               {"tokenizer.ggml.add_bos_token": True}),
        "none": copy_gguf(source, folder / "none.gguf", None),
        "broken": copy_gguf(source, folder / "broken.gguf", "{% for message in messages %}"),
    }


def load(path: Path):
    from qa import load_settings
    from qa.llm import load_model

    return load_model(load_settings(llm="gguf", llm_model=str(path)))


def sent_prompt(model) -> str:
    """What llama.cpp was actually given, seen through llama-index's instrumentation."""
    with captured_events() as events:
        assert model.complete(SYSTEM, USER)  # the model writes something
    started = of_type(events, "LLMCompletionStartEvent")
    assert len(started) == 1
    return started[0].prompt


def test_the_packaged_model_is_prompted_in_its_own_template_which_is_chatml():
    from qa import load_settings
    from qa.llm import chatml, load_model

    model = load_model(load_settings())
    assert model.template.source == "gguf"
    assert "<|im_start|>" in model.template.template
    assert model.prompt(SYSTEM, USER) == chatml(SYSTEM, USER) == sent_prompt(model)
    # The llama-index object prompts the same way wherever llama-index uses it.
    from llama_index.core.llms import ChatMessage

    assert model.llm.messages_to_prompt([ChatMessage(role="system", content=SYSTEM),
                                         ChatMessage(role="user", content=USER)]) == \
        chatml(SYSTEM, USER)
    assert model.llm.generate_kwargs["stop"] == ["<|im_end|>", "<|im_start|>", "\n\n"]


def test_a_gguf_with_another_template_is_prompted_in_that_template(models):
    model = load(models["headers"])
    assert model.template.source == "gguf"
    assert model.prompt(SYSTEM, USER) == HEADERS_PROMPT
    assert sent_prompt(model) == HEADERS_PROMPT
    assert "<|im_start|>" not in HEADERS_PROMPT


def test_a_template_without_a_system_turn_gets_the_instruction_in_the_user_turn(models):
    model = load(models["no-system"])
    assert model.template.adds_bos and model.template.bos_token == "<|im_start|>"
    # The template writes the BOS token, llama.cpp adds one too: the prompt leaves it out.
    assert model.prompt(SYSTEM, USER) == NO_SYSTEM_PROMPT
    assert sent_prompt(model) == NO_SYSTEM_PROMPT


def test_a_gguf_without_a_template_is_prompted_in_chatml(models):
    from qa.llm import chatml

    model = load(models["none"])
    assert model.template.source == "chatml"
    assert sent_prompt(model) == chatml(SYSTEM, USER)
    assert model.llm.generate_kwargs["stop"][:2] == ["<|im_end|>", "<|im_start|>"]


def test_a_broken_template_is_a_clear_model_error(models):
    from qa import ModelLoadError

    with pytest.raises(ModelLoadError) as raised:
        load(models["broken"])
    message = str(raised.value)
    assert "broken.gguf" in message and "chat template" in message
    assert "gguf-new-metadata" in message and "\n" not in message


def test_another_template_still_answers_with_sound_citations(models, mixed_store, embedder):
    """The same tensors prompted in a format they never saw: whatever the model writes, the
    citation check holds."""
    from qa import Assistant, load_settings

    bot = Assistant(load_settings(store=mixed_store, llm="gguf",
                                  llm_model=str(models["headers"])), embedder=embedder)
    with captured_events() as events:
        answer = bot.ask(SEED_QUESTION, mode="generate")
    prompts = [e.prompt for e in of_type(events, "LLMCompletionStartEvent")]
    assert len(prompts) == 1 and prompts[0].startswith("### SYSTEM:\n")
    assert prompts[0].endswith("### ASSISTANT:\n")
    assert not answer.abstained
    assert_citations_sound(answer, bot)
