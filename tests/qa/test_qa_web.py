"""Articles from the web through the `qa` command, the Python API and `qa watch`, against the
local news site (tests/news_site.py) and the real store and embedder."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from qa import Assistant, ConfigError, load_settings
from qa.config import fetch_policy

QA = str(Path(sys.executable).parent / "qa")
ALLOW = {"QA_FETCH_ALLOW_PRIVATE": "true", "QA_FETCH_TIMEOUT": "2"}
BRIEF = ("---\ntitle: Quillmere council meets\ndate: 2024-05-09\nsource: Council Notes\n---\n"
         "The Quillmere harbour council met on Thursday to discuss the ferry timetable.\n")


def env(extra: dict | None = None) -> dict:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1", "COLUMNS": "200",
            "PYTHONUNBUFFERED": "1", **(extra or {})}


def qa(*args: str, extra: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([QA, *args], capture_output=True, text=True, env=env(extra),
                          timeout=600)


def test_qa_index_takes_links_beside_folders(tmp_path, news_site):
    site = news_site
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "council.md").write_text(BRIEF, encoding="utf-8")
    store = str(tmp_path / "store")
    result = qa("index", str(folder), site.url("/feeds/harbour.rss"), site.url("/missing"),
                "--store", store, "--json", extra=ALLOW)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert sorted(summary["added"]) == sorted(
        ["council.md", *(site.url(p) for p in site.harbour_items)])
    assert [(f["path"], f["reason"][:8]) for f in summary["failed"]] == [
        (site.url("/missing"), "HTTP 404")]

    # The folder alone again: the articles from the web are not pruned with it.
    result = qa("index", str(folder), "--store", store, "--json", extra=ALLOW)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["deleted"] == [] and summary["unchanged"] == 1

    # The printed summary names each failing link with its reason.
    result = qa("index", site.url("/report.pdf"), "--store", store, extra=ALLOW)
    assert f"failed: {site.url('/report.pdf')}: not HTML or a feed (application/pdf)" in \
        result.stdout
    assert result.returncode == 1  # nothing of what was asked could be indexed


def test_qa_index_refuses_links_to_this_machine_by_default(tmp_path, news_site):
    url = news_site.url("/news/lantern-festival")
    result = qa("index", url, "--store", str(tmp_path / "store"))
    assert result.returncode == 1
    assert f"failed: {url}: refused: 127.0.0.1 is a loopback address" in result.stdout
    assert "fetch_allow_private = true" in result.stdout and "Traceback" not in result.stderr
    assert news_site.hits == {}


def test_assistant_adds_a_link_and_cites_it_by_its_url(seed_store_copy, embedder, news_site):
    url = news_site.url("/news/library-reopens")
    settings = load_settings(store=seed_store_copy, mode="extractive",
                             fetch_allow_private=True)
    bot = Assistant(settings, embedder=embedder)
    try:
        summary = bot.add([url, news_site.url("/missing")])
        assert summary.added == [url]
        assert [f.path for f in summary.failed] == [news_site.url("/missing")]
        answer = bot.ask("How much did the Quillmere library roof repairs cost?")
        assert not answer.abstained
        citation = answer.citations[0]
        assert citation.url == url and citation.article_id == url
        assert citation.quote in bot.article(url).text
        assert "1.4 million crowns" in citation.quote  # "how much": the sentence with the sum
    finally:
        bot.close()


def test_fetch_settings_come_from_the_environment_and_are_checked(monkeypatch):
    monkeypatch.setenv("QA_FETCH_ALLOW_PRIVATE", "true")
    monkeypatch.setenv("QA_FETCH_ALLOW_NETWORKS", '["10.1.0.0/16"]')
    monkeypatch.setenv("QA_FETCH_MAX_MB", "2")
    policy = fetch_policy(load_settings())
    assert policy.allow_private and policy.allowed_networks == ("10.1.0.0/16",)
    assert policy.max_bytes == 2 * 1024 * 1024 and "Newsdesk" in policy.user_agent
    monkeypatch.setenv("QA_FETCH_ALLOW_NETWORKS", '["not-a-network"]')
    with pytest.raises(ConfigError, match="fetch_allow_networks.*not a network"):
        load_settings()
    monkeypatch.delenv("QA_FETCH_ALLOW_NETWORKS")
    monkeypatch.delenv("QA_FETCH_ALLOW_PRIVATE")
    defaults = fetch_policy(load_settings())
    assert not defaults.allow_private and defaults.allowed_networks == ()


class _Lines:
    """The lines a process prints, read in a thread so a test can wait for one."""

    def __init__(self, stream) -> None:
        self.seen: list[str] = []
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream) -> None:
        for line in stream:
            self.seen.append(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = 240.0) -> int:
        """The index of the first line that contains `text`, once it is printed."""
        deadline = time.monotonic() + timeout
        while True:
            for number, line in enumerate(list(self.seen)):
                if text in line:
                    return number
            if time.monotonic() > deadline:
                raise AssertionError(f"no line with {text!r} in {timeout:g} s: {self.seen}")
            time.sleep(0.1)


def test_qa_watch_picks_up_a_new_feed_item_and_a_new_file_within_one_poll(
        tmp_path, news_site, embedder):
    site = news_site
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "council.md").write_text(BRIEF, encoding="utf-8")
    store = tmp_path / "store"
    process = subprocess.Popen(
        [QA, "watch", str(folder), site.url("/feeds/harbour.rss"), "--store", str(store),
         "--every", "0.05"], env=env(ALLOW), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    try:
        out = _Lines(process.stdout)
        out.wait_for("first update: 3 added")
        # The web chat's assistant, opened on the store the watcher keeps up to date.
        bot = Assistant(load_settings(store=store, mode="extractive"), embedder=embedder)
        polls_before = sum("feeds read" in line for line in list(out.seen))

        site.set_harbour_items(site.harbour_items + ["/news/library-reopens"])
        (folder / "bridge.md").write_text(BRIEF.replace("council meets", "bridge opens").replace(
            "met on Thursday", "opened the new footbridge on Friday"), encoding="utf-8")

        out.wait_for("files changed: 1 added", timeout=120)
        feed_line = out.wait_for("feeds read: 1 added", timeout=120)
        polls = sum("feeds read" in line for line in out.seen[:feed_line + 1]) - polls_before
        assert polls <= 2, out.seen  # the next poll (or the one already under way) has it
        assert bot.article(site.url("/news/library-reopens")) is not None  # seen at once
        assert bot.article("bridge.md") is not None
        bot.close()

        # Ctrl-C in the middle of an update: the update finishes, then the watcher stops.
        site.set_harbour_items(site.harbour_items + ["/valley/choir-prize"])
        site.routes["/valley/choir-prize"].delay = 1.5
        deadline = time.monotonic() + 120
        while site.hits.get("/valley/choir-prize", 0) == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 0
        out.wait_for("stopped", timeout=10)
        assert any("feeds read: 1 added" in line for line in out.seen[feed_line + 1:])
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    from index import open_store

    with open_store(store) as opened:
        assert len(opened.article_ids()) == 6
        assert opened.article(site.url("/valley/choir-prize")) is not None


@pytest.mark.slow
def test_killed_while_fetching_leaves_the_store_and_its_state_intact(tmp_path, news_site):
    site = news_site
    store = tmp_path / "store"
    assert qa("index", site.url("/feeds/harbour.rss"), "--store", str(store),
              extra=ALLOW).returncode == 0
    state = (store / "web.json").read_bytes()
    current = (store / "CURRENT").read_text()

    site.set_harbour_items(site.harbour_items + ["/news/library-reopens"])
    site.routes["/news/library-reopens"].delay = 30.0
    process = subprocess.Popen(
        [QA, "index", site.url("/feeds/harbour.rss"), "--store", str(store)],
        env=env({**ALLOW, "QA_FETCH_TIMEOUT": "60"}), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while site.hits.get("/news/library-reopens", 0) == 0 and time.monotonic() < deadline:
        time.sleep(0.2)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert (store / "CURRENT").read_text() == current
    assert (store / "web.json").read_bytes() == state

    site.routes["/news/library-reopens"].delay = 0.0
    result = qa("index", site.url("/feeds/harbour.rss"), "--store", str(store), "--json",
                extra=ALLOW)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["added"] == [site.url("/news/library-reopens")]
