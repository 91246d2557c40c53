"""The `qa` command: index, watch, stats, ask, check, chat, serve, eval.

Errors a user can cause are printed as one line, without a traceback, with a non-zero exit.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from index.errors import NewsdeskError

app = typer.Typer(help="Newsdesk: ask questions about your news articles, answered with "
                       "citations, entirely on this machine.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
# soft_wrap: answers and quotes are never cut into lines by us (the terminal wraps them).
console = Console(soft_wrap=True)
errors = Console(stderr=True, soft_wrap=True)

StoreOption = Annotated[Optional[Path], typer.Option(
    "--store", help="store folder (default: storage/, or QA_STORE)", show_default=False)]


def main() -> None:
    """Entry point of the `qa` console script."""
    try:
        app()
    except NewsdeskError as error:
        errors.print(f"[bold red]error:[/] {escape(str(error))}")
        sys.exit(1)
    except KeyboardInterrupt:
        errors.print("interrupted")
        sys.exit(130)


# --- index and stats ----------------------------------------------------------------------

_STAGES = {"fetch": "Fetching links", "read": "Reading articles", "chunk": "Chunking",
           "embed": "Embedding chunks", "write": "Writing the new version"}


class _ProgressBars:
    """A rich progress bar per stage, with counts and an ETA."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(_STAGES.get(stage, stage), total=total)
        self.progress.update(self.tasks[stage], completed=done, total=max(total, 1))


def _split_targets(targets: list[str] | None) -> tuple[list[Path], list[str]]:
    """Folders and files on one side, web links (anything like scheme://...) on the other."""
    from index import is_link

    paths = [Path(t) for t in targets or [] if not is_link(t)]
    links = [t for t in targets or [] if is_link(t)]
    return paths, links


FollowFeedsOption = Annotated[bool, typer.Option(
    "--follow-feeds", help="for a page that announces an RSS/Atom feed, read the feed instead "
    "of the page (a page without an article is followed to its feed anyway)")]


@app.command()
def index(
    paths: Annotated[Optional[list[str]], typer.Argument(
        help="article folders or files, and links: article pages and RSS/Atom feeds "
             "(default: corpus/)", show_default=False)] = None,
    store: StoreOption = None,
    prune: Annotated[Optional[bool], typer.Option(
        "--prune/--no-prune", help="delete stored articles whose files are gone "
        "(default: on when a folder is given)", show_default=False)] = None,
    rebuild: Annotated[bool, typer.Option(
        help="start from an empty store (needed to change the embedding model)")] = False,
    wait: Annotated[float, typer.Option(
        help="seconds to wait for another update of the same store to finish")] = 0.0,
    embed_model: Annotated[Optional[str], typer.Option(
        help="sentence-transformers model name or folder")] = None,
    follow_feeds: FollowFeedsOption = False,
    as_json: Annotated[bool, typer.Option("--json", help="print the summary as JSON")] = False,
) -> None:
    """Add new articles, replace changed ones, delete removed ones; unchanged ones cost nothing.
    Links are fetched (only what changed since the last run); a feed adds every item it links
    to. Nothing is fetched unless a link is given."""
    from index import update_store

    from .assistant import _limits
    from .config import fetch_policy, load_settings, make_embedder, vector_settings

    settings = load_settings(store=store, embed_model=embed_model)
    files, links = _split_targets(paths)
    if not paths:
        files = [settings.corpus]
    # The ONNX export (once per machine) takes a minute: say so while it runs.
    embedder = make_embedder(settings, rebuild=rebuild,
                             notice=lambda line: errors.print(f"[dim]{escape(line)}[/]"))
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(),
                  console=errors, transient=as_json, disable=as_json) as progress:
        summary = update_store(settings.store, files, embedder=embedder, prune=prune,
                               rebuild=rebuild, limits=_limits(settings),
                               progress=_ProgressBars(progress), lock_wait=wait,
                               chunk_tokens=settings.chunk_tokens,
                               vectors=vector_settings(settings), links=links,
                               fetch=fetch_policy(settings), follow_feeds=follow_feeds,
                               feed_max_items=settings.feed_max_items)
    if as_json:
        console.print_json(json.dumps(summary.to_dict()))
    else:
        _print_summary(summary, settings.store)
    if summary.failed and not summary.changed and not summary.unchanged:
        raise typer.Exit(1)


def _print_summary(summary, store: Path) -> None:
    table = Table(title=f"Index update of {store}", show_header=False)
    table.add_row("added", str(len(summary.added)))
    table.add_row("replaced", str(len(summary.replaced)))
    table.add_row("deleted", str(len(summary.deleted)))
    if summary.moved:
        table.add_row("moved (path changed)", str(len(summary.moved)))
    table.add_row("unchanged", str(summary.unchanged))
    table.add_row("failed", str(len(summary.failed)))
    table.add_row("chunks embedded", f"{summary.chunks_embedded} "
                  f"(+{summary.chunks_reused} reused, -{summary.chunks_removed} removed)")
    table.add_row("version", str(summary.version) if summary.version else "unchanged")
    table.add_row("time", f"{summary.seconds:.1f} s")
    console.print(table)
    for failure in summary.failed[:50]:
        console.print(f"[yellow]failed:[/] {escape(str(failure))}")
    if len(summary.failed) > 50:
        console.print(f"[yellow]... and {len(summary.failed) - 50} more failures[/]")


_BACKEND_NAMES = {"torch": "PyTorch (sentence-transformers)",
                  "onnx-int8": "ONNX int8 (onnxruntime)", "onnx-fp32": "ONNX fp32 (onnxruntime)"}


@app.command()
def watch(
    targets: Annotated[Optional[list[str]], typer.Argument(
        help="folders or files to watch, and feeds (or article links) to poll (default: "
             "corpus/ and the feeds this store has read)", show_default=False)] = None,
    store: StoreOption = None,
    every: Annotated[Optional[float], typer.Option(
        "--every", help="minutes between two readings of the feeds (default 30, or "
        "feed_poll_minutes)", show_default=False)] = None,
    follow_feeds: FollowFeedsOption = False,
    wait: Annotated[float, typer.Option(
        help="seconds an update waits for another update of the same store")] = 60.0,
) -> None:
    """Keep the store up to date: re-index folders when their files change, read feeds every
    few minutes. Ctrl-C stops it between updates (a second Ctrl-C stops it at once; the store
    stays intact either way)."""
    import signal
    import threading

    from index import remembered_feeds

    from .config import load_settings
    from .watch import Watcher

    settings = load_settings(store=store, feed_poll_minutes=every)
    paths, links = _split_targets(targets)
    if not targets:
        paths = [settings.corpus]
        links = remembered_feeds(settings.store)
    watcher = Watcher(settings, paths, links, follow_feeds=follow_feeds, lock_wait=wait,
                      on_update=_print_watch_update)
    stop = threading.Event()

    def request_stop(signum, frame) -> None:
        if signum == signal.SIGINT and stop.is_set():
            raise KeyboardInterrupt  # the second Ctrl-C: the update in progress is abandoned
        stop.set()
        errors.print("[dim]stopping after the current update (Ctrl-C again stops at once)[/]")

    handlers = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    watched = [str(p) for p in paths] + [f"{len(links)} link{'s' * (len(links) != 1)} every "
                                          f"{watcher.interval / 60:g} min"] * bool(links)
    errors.print(f"Watching {', '.join(watched) or 'nothing'} for the store "
                 f"{settings.store}. Ctrl-C stops.")
    try:
        watcher.run(stop)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    console.print("stopped")


def _print_watch_update(update) -> None:
    """One line per update (and its failures), flushed so a log shows it at once."""
    stamp = datetime.now().strftime("%H:%M:%S")
    what = {"start": "first update", "files": "files changed", "feeds": "feeds read"}.get(
        update.trigger, update.trigger)
    if update.error:
        errors.print(f"{stamp} {what}: [bold red]error:[/] {escape(update.error)}")
        return
    summary = update.summary
    counts = (f"{len(summary.added)} added, {len(summary.replaced)} replaced, "
              f"{len(summary.deleted)} deleted, {summary.unchanged} unchanged, "
              f"{len(summary.failed)} failed")
    version = f"version {summary.version}" if summary.version else "no new version"
    console.print(f"{stamp} {what}: {counts} ({version})")
    for failure in summary.failed[:20]:
        console.print(f"  [yellow]failed:[/] {escape(str(failure))}")
    if len(summary.failed) > 20:
        console.print(f"  [yellow]... and {len(summary.failed) - 20} more failures[/]")
    console.file.flush()


@app.command()
def stats(store: StoreOption = None,
          as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Articles, chunks, model, size on disk and last update of the store."""
    from index import backend_of, open_store

    from .config import load_settings, vector_settings

    settings = load_settings(store=store)
    with open_store(settings.store, vectors=vector_settings(settings)) as opened:
        info = opened.stats()
        last = opened.last_summary()
    backend = backend_of(info.embed_model)
    if as_json:
        console.print_json(json.dumps({**info.__dict__, "embed_backend": backend,
                                       "last_update": last}))
        return
    table = Table(title=f"Store {info.path}", show_header=False)
    table.add_row("articles", f"{info.articles:,}")
    table.add_row("chunks", f"{info.chunks:,}")
    table.add_row("sources", f"{info.sources:,}")
    table.add_row("embedding model", f"{info.embed_model} ({info.dim} dimensions)")
    table.add_row("embedding backend", _BACKEND_NAMES.get(backend, backend or "none yet"))
    table.add_row("dense search", {"flat": "exact (FAISS)", "ivf": "approximate (FAISS IVF)",
                                   "milvus": "Milvus"}.get(info.vector_kind, info.vector_kind))
    table.add_row("size on disk", f"{info.size_bytes / 1e6:.1f} MB")
    table.add_row("version", str(info.version))
    table.add_row("last update", datetime.fromtimestamp(info.updated_at).strftime(
        "%Y-%m-%d %H:%M:%S") if info.updated_at else "never")
    if last:
        table.add_row("last update did", ", ".join(
            f"{last.get(key, 0)} {key}" for key in ("added", "replaced", "deleted", "failed")))
    console.print(table)


# --- asking ---------------------------------------------------------------------------------

ModeOption = Annotated[Optional[str], typer.Option(
    "--mode", help="generate (the local model) or extractive (no model)", show_default=False)]
SinceOption = Annotated[Optional[str], typer.Option(
    help="only articles from this day (YYYY-MM-DD)")]
UntilOption = Annotated[Optional[str], typer.Option(help="only articles up to this day")]
SourceOption = Annotated[Optional[list[str]], typer.Option(
    "--source", help="only articles from this source (repeatable)")]


def _open_assistant(store: Path | None, **settings):
    from .assistant import Assistant

    return Assistant.open(store, **settings)


def _check_day(value: str | None, flag: str) -> str | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date().isoformat()
    except ValueError:
        raise NewsdeskError(f"{flag} {value!r} is not a date; write it as YYYY-MM-DD") from None


def print_answer(answer, out: Console = console) -> None:
    """The answer, then its numbered sources (or the closest passages when it abstained)."""
    style = "yellow" if answer.abstained else "bold"
    out.print(f"[{style}]{escape(answer.text)}[/]")
    if answer.citations:
        out.print()
        out.print("[dim]Sources:[/]")
        for c in answer.citations:
            where = ", ".join(p for p in (c.source, c.date) if p)
            out.print(f"  [cyan][{c.n}][/] {escape(c.title)}"
                      + (f" [dim]({escape(where)})[/]" if where else ""))
            out.print(f"      [dim]\u201c{escape(c.quote)}\u201d[/]")
            if c.url:
                out.print(f"      [dim]{escape(c.url)}[/]")
    elif answer.abstained and answer.passages:
        out.print()
        out.print("[dim]Closest passages:[/]")
        for p in answer.passages[:3]:
            out.print(f"  - {escape(p.title)}: [dim]{escape(p.text[:200])}...[/]")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="the question, in quotes")],
    store: StoreOption = None,
    mode: ModeOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    source: SourceOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the answer as JSON")] = False,
) -> None:
    """Answer one question with cited sources."""
    from .errors import EmptyQuestionError

    if not question.strip():
        raise EmptyQuestionError("the question is empty; ask something about the articles")
    assistant = _open_assistant(store, mode=mode)
    since, until = _check_day(since, "--since"), _check_day(until, "--until")
    if as_json:
        answer = assistant.ask(question, mode=mode, since=since, until=until, sources=source)
        console.print_json(json.dumps(answer.to_dict(), ensure_ascii=False))
        return
    stream = assistant.stream(question, mode=mode, since=since, until=until, sources=source)
    _stream_to_terminal(stream)
    print_answer(stream.answer)


_STATUS_STYLE = {"supported": ("green", "supported"),
                 "contradicted": ("red", "contradicted"),
                 "not_found": ("yellow", "not found")}


@app.command()
def check(
    text: Annotated[str, typer.Argument(help="a claim or a paragraph, in quotes")],
    store: StoreOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    source: SourceOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
) -> None:
    """Check any text against the articles, sentence by sentence: supported, contradicted
    (with the sentence that says otherwise) or not found. Exits 1 unless all is supported."""
    from .errors import EmptyQuestionError

    if not text.strip():
        raise EmptyQuestionError("the text to check is empty; give a claim in quotes")
    assistant = _open_assistant(store, mode="extractive")
    since, until = _check_day(since, "--since"), _check_day(until, "--until")
    report = assistant.check(text, since=since, until=until, sources=source)
    if as_json:
        console.print_json(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        for claim in report.claims:
            colour, label = _STATUS_STYLE[claim.status]
            console.print(f"[{colour}]{label}[/]: {escape(claim.sentence)}")
            if claim.reason:
                console.print(f"  [dim]{escape(claim.reason)}[/]")
            for citation in claim.contradicting if claim.status == "contradicted" \
                    else claim.supporting:
                where = ", ".join(p for p in (citation.source, citation.date) if p)
                console.print(f"  [cyan]{escape(citation.title)}[/]"
                              + (f" [dim]({escape(where)})[/]" if where else ""))
                console.print(f"      [dim]\u201c{escape(citation.quote)}\u201d "
                              f"(characters {citation.span[0]}-{citation.span[1]})[/]")
    if not report.supported:
        raise typer.Exit(1)


def _stream_to_terminal(stream) -> None:
    """Show the model's draft as it is written (dim), then clear it for the checked answer."""
    shown = 0
    interactive = errors.is_terminal
    for piece in stream:
        if interactive and stream.answer is None:
            errors.print(f"[dim]{escape(piece)}[/]", end="")
            shown += len(piece)
    if interactive and shown:
        errors.print()
        errors.print("[dim]checking citations...[/]")


@app.command()
def chat(store: StoreOption = None, mode: ModeOption = None) -> None:
    """A conversation in the terminal; follow-up questions work. Empty line or Ctrl-D quits."""
    assistant = _open_assistant(store, mode=mode)
    conversation = assistant.chat()
    console.print("[dim]Ask about the articles. Follow-ups work. Empty line to quit.[/]")
    while True:
        try:
            question = console.input("[bold green]? [/]")
        except EOFError:
            break
        if not question.strip():
            break
        try:
            stream = conversation.stream(question, mode=mode)
            _stream_to_terminal(stream)
            print_answer(stream.answer)
        except NewsdeskError as error:
            errors.print(f"[bold red]error:[/] {escape(str(error))}")
        console.print()


@app.command()
def serve(
    store: StoreOption = None,
    host: Annotated[Optional[str], typer.Option(
        help="address to listen on (default 127.0.0.1: this machine only)")] = None,
    port: Annotated[Optional[int], typer.Option(help="port (default 7860)")] = None,
) -> None:
    """Open the web chat."""
    from ui.app import launch

    from .config import load_settings

    launch(load_settings(store=store, host=host, port=port))


@app.command("eval")
def evaluate(
    queries: Annotated[Path, typer.Argument(help="JSONL file of queries in the MultiHop-RAG "
                                                 "format (query, answer, question_type, "
                                                 "evidence_list with facts)")],
    store: StoreOption = None,
    mode: ModeOption = "extractive",
    limit: Annotated[Optional[int], typer.Option(help="only the first N queries")] = None,
    output: Annotated[Optional[Path], typer.Option("--json", help="also write results here")]
    = None,
) -> None:
    """Retrieval (Hits@4, Hits@10, MRR@10) and answer metrics on your own questions."""
    from .evaluation_run import run_evaluation

    run_evaluation(queries, store, mode or "extractive", limit, output, console)
