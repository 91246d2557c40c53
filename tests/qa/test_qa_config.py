"""Settings: defaults, then newsdesk.toml, then QA_* variables, then explicit arguments."""

from __future__ import annotations

import pytest

from qa import ConfigError, load_settings


def test_precedence(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("QA_CONFIG", raising=False)
    assert load_settings().top_k == 8
    (tmp_path / "newsdesk.toml").write_text('top_k = 5\nmode = "extractive"\nport = 9000\n')
    settings = load_settings()
    assert (settings.top_k, settings.mode, settings.port) == (5, "extractive", 9000)
    monkeypatch.setenv("QA_TOP_K", "6")
    assert load_settings().top_k == 6
    assert load_settings(top_k=7).top_k == 7
    assert load_settings(top_k=None).top_k == 6


def test_defaults_are_local(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert settings.host == "127.0.0.1"
    assert settings.llm == "smollm2"


def test_bad_values_name_the_field(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("QA_TOP_K", "zero")
    with pytest.raises(ConfigError, match="top_k"):
        load_settings()
    monkeypatch.delenv("QA_TOP_K")
    (tmp_path / "newsdesk.toml").write_text("top_k = [\n")
    with pytest.raises(ConfigError, match="newsdesk.toml"):
        load_settings()


def test_a_temperature_llama_cpp_cannot_take_is_named():
    from qa import ConfigError, load_settings
    from qa.llm import load_model

    with pytest.raises(ConfigError, match="temperature = 1.5"):
        load_model(load_settings(temperature=1.5))
