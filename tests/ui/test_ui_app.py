"""The web chat's wiring: settings, filters, the queue's limits, and a missing store."""

from __future__ import annotations

import threading
import time

import pytest

from qa import NewsdeskError, StoreNotFoundError, load_settings
from ui.app import launch, launch_options, parse_day, pump, read_filters


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


def _locked_source(lock: threading.Lock, count: int, closed: list):
    try:
        with lock:  # like the Assistant, which holds the model while it writes
            for i in range(count):
                time.sleep(0.01)
                yield str(i)
    finally:
        closed.append(True)


def _wait_until(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_pump_hands_over_every_piece_and_raises_the_streams_errors():
    assert list(pump(iter(["a", "b", "c"]), threading.Event())) == ["a", "b", "c"]

    def failing():
        yield "x"
        raise NewsdeskError("broken")

    consumer = pump(failing(), threading.Event())
    assert next(consumer) == "x"
    with pytest.raises(NewsdeskError, match="broken"):
        next(consumer)


def test_an_abandoned_answer_releases_the_model_when_stopped():
    lock, closed, stop = threading.Lock(), [], threading.Event()
    consumer = pump(_locked_source(lock, 100_000, closed), stop)
    assert next(consumer) == "0"  # then the page stops reading, without closing anything
    stop.set()  # "New conversation"
    assert _wait_until(lambda: not lock.locked() and closed == [True])
    del consumer


def test_an_abandoned_answer_still_finishes_and_releases_the_model():
    lock, closed = threading.Lock(), []
    consumer = pump(_locked_source(lock, 20, closed), threading.Event())
    assert next(consumer) == "0"  # the tab was closed: nobody reads the rest
    assert _wait_until(lambda: not lock.locked() and closed == [True])
    del consumer
