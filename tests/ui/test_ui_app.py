"""The web chat's wiring: settings, filters, the queue's limits, and a missing store."""

from __future__ import annotations

import pytest

from qa import NewsdeskError, StoreNotFoundError, load_settings
from ui.app import launch, launch_options, parse_day, read_filters


def test_dates_are_read_as_days_and_bad_ones_explained():
    assert parse_day("2023-12-07", "From") == "2023-12-07"
    assert parse_day("2023-12-07 10:00:00", "From") == "2023-12-07"
    assert parse_day("  ", "From") is None and parse_day(None, "From") is None
    with pytest.raises(ValueError, match="Until “yesterday” is not a date; write it as"):
        parse_day("yesterday", "Until")
    with pytest.raises(ValueError, match="the date range is empty"):
        read_filters("extractive", "2024-01-02", "2024-01-01", [], "generate")
    filters = read_filters(None, None, "2020-01-01", ["Wire", ""], "generate")
    assert (filters.mode, filters.since, filters.until, filters.sources) == (
        "generate", None, "2020-01-01", ("Wire",))
    assert filters.describe() == "until 2020-01-01 · source: Wire"


def test_server_is_local_by_default_and_uploads_are_capped():
    settings = load_settings()
    options = launch_options(settings)
    assert settings.host == "127.0.0.1" and options["server_name"] == "127.0.0.1"
    assert options["max_file_size"] == int(settings.max_upload_mb * 1024 * 1024)
    assert options["ssr_mode"] is False  # no Node server beside Python


def test_queue_bounds_answers_and_index_updates(ui_server):
    limits = {fn.name: (fn.concurrency_limit, fn.concurrency_id)
              for fn in ui_server.demo.fns.values()}
    assert limits["respond"] == (ui_server.settings.concurrency, "answer")
    assert limits["add_files"] == (1, "index")
    assert ui_server.url.startswith("http://127.0.0.1:")


def test_launch_without_a_store_says_how_to_build_one(tmp_path):
    with pytest.raises(StoreNotFoundError, match=r"qa index corpus/ --store .*qa serve"):
        launch(load_settings(store=tmp_path / "nowhere"))


def test_qa_serve_reports_a_missing_store(tmp_path):
    from typer.testing import CliRunner

    from qa.cli import app

    result = CliRunner().invoke(app, ["serve", "--store", str(tmp_path / "nowhere")])
    assert result.exit_code != 0
    assert isinstance(result.exception, NewsdeskError)
    assert "no index to chat with yet" in str(result.exception)
