"""The Gradio web chat: layout, event handlers, and launching the server.

    from qa import load_settings
    from ui.app import launch
    launch(load_settings(store="storage"))      # what `qa serve` does

The page talks to one `qa.Assistant` (one per server process); each browser tab keeps its own
conversation. Everything shown is rendered by `ui.render`, which escapes all article text and
model output.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no telemetry, no version check

import gradio as gr  # noqa: E402

from qa import SUPPORTED_SUFFIXES, Assistant, NewsdeskError, Settings, StoreNotFoundError  # noqa: E402

from . import render  # noqa: E402
from .assets import CSS, SOURCES_JS, TRANSCRIPT_JS  # noqa: E402
from .session import ChatSession, Filters  # noqa: E402
from .uploads import (  # noqa: E402
    MAX_LINKS,
    UploadRejected,
    save_upload,
    split_links,
    uploads_folder,
)

log = logging.getLogger("newsdesk.ui")

EXAMPLE_QUESTIONS = (
    "What did Li Qiang ask of Brussels?",
    "What did the EU urge China to do about Ukraine?",
    "How big was the EU's trade deficit with China?",
)
STREAM_INTERVAL = 0.06  # seconds between two repaints of a streaming draft
_STAGES = {"fetch": "Fetching links", "read": "Reading articles", "chunk": "Chunking",
           "embed": "Embedding passages", "write": "Writing the new index version"}
_MODES = [("Generated (local model)", "generate"), ("Extractive (quotes only)", "extractive")]

THEME = gr.themes.Soft(
    primary_hue="indigo", secondary_hue="amber", neutral_hue="slate",
    font=["ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"])

HEADER = ('<div class="nd-brand"><span class="nd-brand-name">Newsdesk</span>'
          '<span class="nd-brand-tag">Questions about your news articles, answered with the '
          'sentences they rest on. Nothing leaves this machine.</span></div>')


# --- helpers ------------------------------------------------------------------------------------

def parse_day(value: Any, label: str) -> str | None:
    """A date filter's value as YYYY-MM-DD (None when empty); ValueError with advice if not."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value).date().isoformat()
    if isinstance(value, datetime):
        return value.date().isoformat()
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        raise ValueError(f"{label} “{text}” is not a date; write it as YYYY-MM-DD") from None


def read_filters(mode: str | None, since: Any, until: Any, sources: Sequence[str] | None,
                 default_mode: str) -> Filters:
    """The answer options from the page's controls; ValueError when a date is wrong."""
    first, last = parse_day(since, "From"), parse_day(until, "Until")
    if first and last and first > last:
        raise ValueError(f"the date range is empty: From {first} is after Until {last}")
    chosen = mode if mode in ("generate", "extractive") else default_mode
    return Filters(chosen, first, last, tuple(s for s in (sources or []) if s))


def _status(assistant: Assistant) -> str:
    try:
        return render.render_status(assistant.stats())
    except NewsdeskError as error:
        return render.render_status(None, str(error))


def _progress_reporter(progress: Callable[..., Any]) -> Callable[[str, int, int], None]:
    """Feed the index's progress(stage, done, total) into a gr.Progress bar."""
    def report(stage: str, done: int, total: int) -> None:
        progress((done, max(total, 1)), desc=_STAGES.get(stage, stage), unit="steps")
    return report


def _upload_paths(files: Any) -> list[tuple[str, str]]:
    """(temporary path, name the user gave) for each uploaded file Gradio hands over."""
    found = []
    for item in files or []:
        path = getattr(item, "path", None) or getattr(item, "name", None) or str(item)
        original = getattr(item, "orig_name", None) or Path(str(path)).name
        found.append((str(path), str(original)))
    return found


def pump(pieces: Iterable[str], stop: threading.Event, poll: float = 0.5) -> Iterator[str]:
    """Iterate `pieces` in a thread of its own and hand them over as they come.

    Gradio may stop consuming an answer at any time (the page closed, or "New conversation"
    cancelled it) without closing this generator. The thread then runs the stream to its end,
    or stops at the next piece once `stop` is set (or this generator is closed), and closes
    it, so the model's lock is always released.
    """
    handover: queue.Queue = queue.Queue()
    finished = object()
    abandoned = threading.Event()

    def run() -> None:
        iterator = iter(pieces)
        try:
            for piece in iterator:
                if stop.is_set() or abandoned.is_set():
                    break
                handover.put(piece)
        except BaseException as error:  # noqa: BLE001 - raised again in the consumer
            handover.put(_Failure(error))
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()
            handover.put(finished)

    threading.Thread(target=run, name="newsdesk-answer", daemon=True).start()
    try:
        while True:
            try:
                item = handover.get(timeout=poll)
            except queue.Empty:
                if stop.is_set():
                    return
                continue
            if item is finished:
                return
            if isinstance(item, _Failure):
                raise item.error
            yield item
    finally:
        abandoned.set()


class _Failure:
    """An exception raised by the stream, carried over to the consuming thread."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


def warm_up(assistant: Assistant) -> None:
    """Load the lazily built parts of retrieval so the first question is quick."""
    try:
        assistant.warm_up()
    except Exception:  # noqa: BLE001 - warming up is best effort
        log.debug("warm-up failed", exc_info=True)


# --- the app ------------------------------------------------------------------------------------

def build_app(assistant: Assistant, settings: Settings,
              examples: Sequence[str] = EXAMPLE_QUESTIONS) -> gr.Blocks:
    """The web chat for one Assistant: conversation on the left, sources and controls right."""
    store_uploads = uploads_folder(assistant.store_path)
    max_bytes = int(settings.max_upload_mb * 1024 * 1024)
    first_day, last_day = _date_range(assistant)

    def respond(text: str, state: ChatSession | None, mode: str, since: Any, until: Any,
                sources: list[str] | None) -> Iterator[tuple]:
        """Stream one answer: pending turn, draft tokens, then the checked answer."""
        skip = gr.skip()
        question = " ".join(str(text or "").split())
        if not question:
            yield skip, skip, skip, skip, skip
            return
        try:
            filters = read_filters(mode, since, until, sources, settings.mode)
        except ValueError as error:
            gr.Warning(str(error))
            yield skip, skip, skip, skip, skip
            return
        session = state or ChatSession(assistant.chat())
        turn = session.start(question, filters)
        stop = session.stop
        yield (render.render_transcript(session.turns), render.render_sources(session.turns, turn),
               "", session, skip)
        try:
            stream = session.chat.stream(question, mode=filters.mode, since=filters.since,
                                         until=filters.until,
                                         sources=list(filters.sources) or None)
            shown = 0.0
            for piece in pump(stream, stop):
                if filters.mode != "generate":
                    continue  # extractive answers arrive whole: nothing to stream
                turn.draft += piece
                now = time.monotonic()
                if now - shown >= STREAM_INTERVAL:
                    shown = now
                    yield render.render_transcript(session.turns), skip, skip, skip, skip
            if stop.is_set():  # the conversation was cleared meanwhile
                yield (render.render_transcript(session.turns),
                       render.render_sources(session.turns), skip, session, skip)
                return
            if stream.answer is None:
                raise RuntimeError("the assistant finished without an answer")
            turn.answer = stream.answer
        except NewsdeskError as error:
            turn.error = str(error)
        except Exception:  # noqa: BLE001 - the page must always get an answer
            log.exception("answering %r failed", question)
            turn.error = "Something went wrong while answering; the server's log has the details."
        yield (render.render_transcript(session.turns), render.render_sources(session.turns),
               skip, session, _status(assistant))

    def clear(state: ChatSession | None) -> tuple:
        if state is not None:
            state.clear()
        return render.render_transcript([]), render.render_sources([]), state, ""

    def add_files(files: Any, progress: gr.Progress = gr.Progress()) -> tuple:
        """Copy uploads into the store's uploads folder, then index them in place."""
        saved: list[Path] = []
        rejected: list[str] = []
        for path, name in _upload_paths(files):
            try:
                copy = save_upload(path, name, store_uploads, max_bytes,
                                   taken=lambda n: _stored_elsewhere(assistant, n, store_uploads))
            except UploadRejected as error:
                rejected.append(str(error))
                continue
            if copy not in saved:
                saved.append(copy)
        summary, error, titles = None, None, {}
        if saved:
            progress(0, desc="Reading articles")
            try:
                summary = assistant.add(saved, progress=_progress_reporter(progress))
                titles = _titles(assistant, [*summary.added, *summary.replaced])
            except NewsdeskError as failure:
                error = f"The index was not updated: {failure}"
        return None, render.render_update(summary, rejected, titles, error)

    def add_links(text: str, progress: gr.Progress = gr.Progress()) -> tuple:
        """Fetch the links typed in (article pages, feeds) and index what they hold."""
        links, rejected = split_links(text)
        if not links and not rejected:
            return gr.skip(), gr.skip()
        summary, error, titles = None, None, {}
        if links:
            progress(0, desc="Fetching links")
            try:
                summary = assistant.add(links, progress=_progress_reporter(progress))
                titles = _titles(assistant, [*summary.added, *summary.replaced])
            except NewsdeskError as failure:
                error = f"The index was not updated: {failure}"
        return "", render.render_update(summary, rejected, titles, error, noun="link")

    def check_claim(text: str) -> str:
        """Check a pasted claim against the articles, sentence by sentence."""
        if not (text or "").strip():
            return ""
        try:
            return render.render_check(assistant.check(text))
        except NewsdeskError as failure:
            return render.render_check(None, str(failure))

    def refresh_store(chosen: list[str] | None) -> tuple:
        """Status, source choices and date hint after the store may have changed."""
        try:
            names = sorted(assistant.sources(), key=str.casefold)
        except NewsdeskError:
            names = []
        kept = [name for name in (chosen or []) if name in names]
        first, last = _date_range(assistant)
        return (_status(assistant), gr.Dropdown(choices=names, value=kept),
                render.render_date_hint(first, last))

    with gr.Blocks(title="Newsdesk", analytics_enabled=False) as demo:
        session = gr.State(None)
        with gr.Row(elem_id="nd-header", equal_height=True):
            gr.HTML(HEADER, js_on_load=None, apply_default_css=False, scale=3)
            status = gr.HTML(_status(assistant), elem_id="nd-status", js_on_load=None,
                             apply_default_css=False, scale=2)
        with gr.Row(equal_height=False):
            with gr.Column(scale=2, min_width=420):
                transcript = gr.HTML(render.render_transcript([]), elem_id="nd-transcript",
                                     js_on_load=TRANSCRIPT_JS, apply_default_css=False)
                with gr.Row(elem_id="nd-ask-row"):
                    question = gr.Textbox(
                        show_label=False, container=False, lines=1, max_lines=5, scale=8,
                        autofocus=True, elem_id="nd-question",
                        placeholder="Ask about your articles…  (Enter sends)")
                    send = gr.Button("Ask", variant="primary", scale=1, min_width=90,
                                     elem_id="nd-send")
                with gr.Row(elem_id="nd-examples"):
                    example_buttons = [gr.Button(text, size="sm", variant="secondary",
                                                 elem_classes="nd-example") for text in examples]
                    clear_button = gr.Button("New conversation", size="sm", variant="secondary",
                                             elem_id="nd-clear")
            with gr.Column(scale=1, min_width=320):
                sources_panel = gr.HTML(render.render_sources([]), elem_id="nd-sources",
                                        js_on_load=SOURCES_JS, apply_default_css=False)
                with gr.Accordion("Answer options", open=True, elem_id="nd-options"):
                    mode = gr.Radio(_MODES, value=settings.mode, label="Answer mode",
                                    elem_id="nd-mode")
                    with gr.Row(elem_id="nd-dates"):
                        since = gr.DateTime(include_time=False, type="string", label="From",
                                            elem_id="nd-since", min_width=0)
                        until = gr.DateTime(include_time=False, type="string", label="Until",
                                            elem_id="nd-until", min_width=0)
                    date_hint = gr.HTML(render.render_date_hint(first_day, last_day),
                                        js_on_load=None, apply_default_css=False)
                    source_filter = gr.Dropdown(
                        choices=_sources(assistant), value=[], multiselect=True,
                        label="Sources", info="Only these sources; all when empty",
                        elem_id="nd-source-filter")
                    reset = gr.Button("Reset filters", size="sm", variant="secondary",
                                      elem_id="nd-reset")
                with gr.Accordion("Add articles", open=False, elem_id="nd-add"):
                    files = gr.File(
                        file_count="multiple", file_types=list(SUPPORTED_SUFFIXES),
                        type="filepath", elem_id="nd-upload", height=120,
                        label="Article files")
                    gr.HTML(render.render_upload_hint(SUPPORTED_SUFFIXES, settings.max_upload_mb),
                            js_on_load=None, apply_default_css=False)
                    with gr.Row(elem_id="nd-link-row", equal_height=True):
                        link_box = gr.Textbox(
                            label="Add by link", lines=1, max_lines=6, scale=5,
                            elem_id="nd-link",
                            placeholder="https://… an article page or an RSS/Atom feed")
                        link_button = gr.Button("Add", variant="secondary", scale=1,
                                                min_width=70, elem_id="nd-add-link")
                    gr.HTML(render.render_link_hint(MAX_LINKS), js_on_load=None,
                            apply_default_css=False)
                    update = gr.HTML("", elem_id="nd-update", js_on_load=None,
                                     apply_default_css=False)
                with gr.Accordion("Check a claim", open=False, elem_id="nd-check-box"):
                    claim_box = gr.Textbox(
                        show_label=False, lines=2, max_lines=8, elem_id="nd-claim",
                        placeholder="Paste a sentence or a paragraph to check against the "
                                    "articles")
                    check_button = gr.Button("Check", variant="secondary", size="sm",
                                             elem_id="nd-check")
                    check_result = gr.HTML("", elem_id="nd-check-result", js_on_load=None,
                                           apply_default_css=False)

        ask_inputs = [question, session, mode, since, until, source_filter]
        ask_outputs = [transcript, sources_panel, question, session, status]
        # A question sent while this tab's previous answer event is still open waits for it
        # and is then sent ("always_last"). Gradio's default for submit and click ("once")
        # drops it without a word, and an answer stopped by "New conversation" stays open on
        # the page until the server has wound it down, a moment after the page already shows
        # the empty conversation: the question typed next was lost, and its answer never came.
        answer_options: dict[str, Any] = dict(
            show_progress="hidden", concurrency_id="answer",
            concurrency_limit=settings.concurrency, trigger_mode="always_last")
        question.submit(respond, ask_inputs, ask_outputs, api_name="ask", **answer_options)
        send.click(respond, ask_inputs, ask_outputs, api_visibility="private", **answer_options)
        for button, text in zip(example_buttons, examples, strict=False):
            button.click(None, None, question, js=f"() => {_js_string(text)}",
                         api_visibility="private").then(
                respond, ask_inputs, ask_outputs, api_visibility="private", **answer_options)
        # A new conversation also stops an answer still being written (through the session's
        # stop event, which ends that answer's event normally: no cancelled event is left).
        clear_button.click(clear, [session], [transcript, sources_panel, session, question],
                           show_progress="hidden", api_visibility="private",
                           concurrency_limit=None)
        reset.click(lambda: (None, None, []), None, [since, until, source_filter],
                    show_progress="hidden", api_visibility="private", concurrency_limit=None)
        files.upload(add_files, [files], [files, update], show_progress="full",
                     show_progress_on=[files], concurrency_id="index", concurrency_limit=1,
                     api_visibility="private").then(
            refresh_store, [source_filter], [status, source_filter, date_hint],
            show_progress="hidden", api_visibility="private", concurrency_limit=None)
        for trigger in (link_button.click, link_box.submit):
            trigger(add_links, [link_box], [link_box, update], show_progress="full",
                    show_progress_on=[link_box], concurrency_id="index", concurrency_limit=1,
                    api_visibility="private").then(
                refresh_store, [source_filter], [status, source_filter, date_hint],
                show_progress="hidden", api_visibility="private", concurrency_limit=None)
        check_button.click(check_claim, [claim_box], [check_result], show_progress="minimal",
                           concurrency_id="answer", concurrency_limit=settings.concurrency,
                           api_visibility="private")
        demo.load(refresh_store, [source_filter], [status, source_filter, date_hint],
                  show_progress="hidden", api_visibility="private", concurrency_limit=None)
    return demo


def _js_string(text: str) -> str:
    """A JavaScript string literal for `text` (safe inside the page's script)."""
    return json.dumps(text).replace("<", "\\u003c")


def _sources(assistant: Assistant) -> list[str]:
    try:
        return sorted(assistant.sources(), key=str.casefold)
    except NewsdeskError:
        return []


def _date_range(assistant: Assistant) -> tuple[str | None, str | None]:
    try:
        return assistant.date_range()
    except NewsdeskError:
        return None, None


def _stored_elsewhere(assistant: Assistant, name: str, folder: Path) -> bool:
    """Whether an article not from the uploads folder has this file name as its id (an
    upload of that name would replace it: single-file ids are the bare file name)."""
    try:
        record = assistant.article(name)
    except NewsdeskError:
        return False
    return record is not None and Path(record.path).parent != folder


def _titles(assistant: Assistant, article_ids: Sequence[str]) -> dict[str, str]:
    titles = {}
    for article_id in article_ids[:20]:
        record = assistant.article(article_id)
        if record is not None and record.title:
            titles[article_id] = record.title
    return titles


# --- serving ------------------------------------------------------------------------------------

def launch_options(settings: Settings) -> dict[str, Any]:
    """The arguments of `Blocks.launch` for these settings (address, limits, look)."""
    return dict(server_name=settings.host, server_port=settings.port,
                max_file_size=int(settings.max_upload_mb * 1024 * 1024), theme=THEME, css=CSS,
                ssr_mode=False, show_error=False, quiet=True, enable_monitoring=False,
                mcp_server=False, pwa=False, strict_cors=True, favicon_path=None)


def start(demo: gr.Blocks, settings: Settings) -> str:
    """Start the server for a built app on settings.host/port, in background threads; return
    its URL. The queue bounds how many answers are computed at once (settings.concurrency).
    Stop it with `demo.close()`."""
    demo.queue(default_concurrency_limit=settings.concurrency, max_size=100)
    try:
        demo.launch(prevent_thread_lock=True, **launch_options(settings))
    except OSError:
        raise NewsdeskError(f"cannot listen on {settings.host}:{settings.port}: the port is in "
                            "use or the address is not this machine's; pick another with "
                            "--port (or --host)") from None
    return demo.local_url or f"http://{settings.host}:{settings.port}/"


def launch(settings: Settings) -> None:
    """Open the web chat: load the Assistant, build the page, serve it, print the URL."""
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    try:
        assistant = Assistant(settings)
    except StoreNotFoundError as error:
        raise StoreNotFoundError(f"no index to chat with yet: {error}, then run `qa serve` "
                                 "again (`make serve` does both)") from None
    threading.Thread(target=warm_up, args=(assistant,), daemon=True).start()
    demo = build_app(assistant, settings)
    url = start(demo, settings)
    print(f"Newsdesk web chat: {url}  (store {assistant.store_path}; Ctrl-C stops it)",
          flush=True)
    if settings.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: listening on {settings.host}, so other machines can reach this chat "
              "and upload articles to it", flush=True)
    try:
        demo.block_thread()
    finally:
        demo.close(verbose=False)
        assistant.close()
