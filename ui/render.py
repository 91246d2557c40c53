"""HTML for the web chat: the conversation, citation cards, abstentions, status and summaries.

Everything that comes from an article, a file name or the model is passed through
`html.escape` before it enters the HTML built here; only the markup written in this module is
live. Links are kept only for http(s) URLs and open in a new tab without an opener.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from qa import Answer, Citation, Passage

from .session import Turn

_MARKER = re.compile(r"\[(\d{1,3})\]")
CLOSEST_SHOWN = 3  # closest passages offered when the assistant abstains
PASSAGE_PREVIEW_CHARS = 700


def esc(value: Any) -> str:
    """Text made safe to place in HTML content and in quoted attribute values."""
    return html.escape("" if value is None else str(value), quote=True)


def safe_url(url: str | None) -> str | None:
    """The URL when it is an absolute http(s) link, else None (no javascript:, data:, ...)."""
    if not url:
        return None
    text = str(url).strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(ch.isspace() or not ch.isprintable() for ch in text):
        return None
    return text


def format_day(day: str | None) -> str:
    """"2023-12-07" -> "7 Dec 2023"; anything else is returned as given."""
    if not day:
        return ""
    try:
        parsed = date.fromisoformat(str(day)[:10])
    except ValueError:
        return str(day)
    return f"{parsed.day} {parsed:%b %Y}"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _seconds(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.1f} s" if value >= 0.1 else f"{value * 1000:.0f} ms"


# --- citations and passages -------------------------------------------------------------------

def highlight(passage: str, passage_start: int, span: Sequence[int], quote: str = "") -> str:
    """The passage as escaped text with exactly the cited characters in a <mark>.

    `span` is the quote's (start, end) in the article and `passage_start` the passage's start
    there, so the mark covers `passage[span[0] - passage_start : span[1] - passage_start]`.
    When the span does not fall inside the passage, the quote is looked up in it; failing
    that, the quote alone is shown, highlighted.
    """
    start, end = int(span[0]) - int(passage_start), int(span[1]) - int(passage_start)
    if not (0 <= start < end <= len(passage)):
        found = passage.find(quote) if quote else -1
        if found < 0:
            return f'<mark class="nd-quote">{esc(quote)}</mark>'
        start, end = found, found + len(quote)
    return (f"{esc(passage[:start])}<mark class=\"nd-quote\">{esc(passage[start:end])}</mark>"
            f"{esc(passage[end:])}")


def _byline(day: str | None, source: str | None) -> str:
    parts = [esc(format_day(day)), esc(source or "")]
    return " · ".join(part for part in parts if part)


def _link(url: str | None) -> str:
    target = safe_url(url)
    if target is None:
        return ""
    host = urlsplit(target).netloc
    return (f'<a class="nd-link" href="{esc(target)}" target="_blank" '
            f'rel="noopener noreferrer">Open the article on {esc(host)} ↗</a>')


def citation_card(citation: Citation, turn_id: int, open_: bool = False) -> str:
    """A source card: number, title, date and source, link, and the passage with the quote
    highlighted. A <details> element: the summary shows the quote, the body its context."""
    passage = citation.passage or citation.quote
    start = citation.passage_start if citation.passage else citation.span[0]
    body = highlight(passage, start, citation.span, citation.quote)
    return (
        f'<details class="nd-card" id="nd-cite-{turn_id}-{citation.n}" '
        f'data-turn="{turn_id}" data-n="{citation.n}"{" open" if open_ else ""}>'
        f'<summary><span class="nd-card-n">{citation.n}</span>'
        f'<span class="nd-card-head"><span class="nd-card-title">{esc(citation.title)}</span>'
        f'<span class="nd-card-byline">{_byline(citation.date, citation.source)}</span>'
        f'<span class="nd-card-quote">“{esc(citation.quote)}”</span></span></summary>'
        f'<div class="nd-card-body"><div class="nd-passage">{body}</div>'
        f'{_link(citation.url)}</div></details>')


def passage_card(passage: Passage) -> str:
    """A retrieved passage (no quote to highlight), e.g. one of the closest to a question."""
    text = passage.text
    if len(text) > PASSAGE_PREVIEW_CHARS:
        text = text[:PASSAGE_PREVIEW_CHARS].rsplit(" ", 1)[0] + " …"
    return (
        f'<details class="nd-card nd-card-closest"><summary><span class="nd-card-head">'
        f'<span class="nd-card-title">{esc(passage.title)}</span>'
        f'<span class="nd-card-byline">{_byline(passage.date, passage.source)}</span>'
        f'</span></summary><div class="nd-card-body"><div class="nd-passage">{esc(text)}</div>'
        f'{_link(passage.url)}</div></details>')


def _closest(passages: Iterable[Passage]) -> list[Passage]:
    """The first few passages, at most one per article."""
    seen: set[str] = set()
    chosen = []
    for passage in passages:
        if passage.article_id in seen:
            continue
        seen.add(passage.article_id)
        chosen.append(passage)
        if len(chosen) == CLOSEST_SHOWN:
            break
    return chosen


# --- the conversation -------------------------------------------------------------------------

def answer_html(text: str, citations: Sequence[Citation], turn_id: int) -> str:
    """The answer text, escaped, in paragraphs, with each [n] turned into a button that opens
    citation n in the sources panel (markers with no citation stay as plain text)."""
    known = {c.n: c for c in citations}

    def marker(match: re.Match) -> str:
        n = int(match.group(1))
        citation = known.get(n)
        if citation is None:
            return match.group(0)
        return (f'<button type="button" class="nd-cite" data-turn="{turn_id}" data-n="{n}" '
                f'title="{esc(citation.title)}" aria-label="Source {n}: {esc(citation.title)}">'
                f'{n}</button>')

    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    return "".join(f"<p>{_MARKER.sub(marker, esc(p)).replace(chr(10), '<br>')}</p>"
                   for p in paragraphs)


def _mode_label(turn: Turn, answer: Answer) -> str:
    if answer.mode == "generate":
        return "Generated by the local model, citations checked"
    if turn.filters.mode == "generate":
        return "Quoted from the articles (the model's draft could not be supported)"
    return "Quoted from the articles"


def _meta(turn: Turn, answer: Answer) -> str:
    parts = [] if answer.abstained else [esc(_mode_label(turn, answer))]
    total, first = answer.timings.get("total"), answer.timings.get("first_token")
    if total is not None:
        timing = f"searched in {_seconds(total)}" if answer.abstained else _seconds(total)
        if answer.mode == "generate" and first is not None:
            timing += f" (first words after {_seconds(first)})"
        parts.append(timing)
    if turn.filters.active:
        parts.append(f"filters: {esc(turn.filters.describe())}")
    if answer.citations:
        parts.append(f'<button type="button" class="nd-sources-link" data-turn="{turn.id}">'
                     f'{_plural(len(answer.citations), "source")}</button>')
    notes = ""
    if answer.notes and not answer.abstained:
        items = "".join(f"<li>{esc(note)}</li>" for note in answer.notes)
        notes = (f'<details class="nd-notes"><summary>What the checker changed</summary>'
                 f'<ul>{items}</ul></details>')
    return f'<div class="nd-meta">{" · ".join(parts)}</div>{notes}'


def _abstention(turn: Turn, answer: Answer) -> str:
    closest = _closest(answer.passages)
    text = answer.text
    if closest:
        offered = ('<div class="nd-closest-label">Closest passages</div>'
                   + "".join(passage_card(p) for p in closest))
    else:
        # The assistant's text promises passages "listed below"; there are none to list.
        text = text.split(";")[0].rstrip(".") + "."
        offered = (f'<p class="nd-muted">No passage matches the filters in use '
                   f'({esc(turn.filters.describe())}); try widening them.</p>'
                   if turn.filters.active else
                   '<p class="nd-muted">No stored passage is close to this question.</p>')
    return (f'<div class="nd-abstain" role="note"><p class="nd-abstain-text">'
            f'<span class="nd-abstain-icon" aria-hidden="true">∅</span>{esc(text)}</p>'
            f'{offered}</div>')


def render_turn(turn: Turn) -> str:
    """One question and its answer (or its streaming draft, abstention or error)."""
    question = (f'<div class="nd-msg nd-user"><div class="nd-bubble">{esc(turn.question)}</div>'
                f'</div>')
    if turn.error is not None:
        body = f'<div class="nd-error" role="alert">{esc(turn.error)}</div>'
    elif turn.answer is None and not turn.draft:
        body = ('<div class="nd-pending"><span class="nd-dots" aria-hidden="true">'
                '<i></i><i></i><i></i></span>Searching the articles…</div>')
    elif turn.answer is None:
        body = (f'<div class="nd-draft" aria-live="polite">{esc(turn.draft)}'
                '<span class="nd-caret" aria-hidden="true"></span></div>'
                '<div class="nd-meta">Writing… the citations are checked when the draft is '
                'done</div>')
    elif turn.answer.abstained:
        body = _abstention(turn, turn.answer) + _meta(turn, turn.answer)
    else:
        text = answer_html(turn.answer.text, turn.answer.citations, turn.id)
        body = f'<div class="nd-answer">{text}</div>{_meta(turn, turn.answer)}'

    state = "pending" if turn.pending else "done"
    return (f'<div class="nd-turn" data-turn="{turn.id}" data-state="{state}">{question}'
            f'<div class="nd-msg nd-bot">{body}</div></div>')


WELCOME = (
    '<div class="nd-welcome"><div class="nd-welcome-title">Ask your news archive</div>'
    '<p>Answers come only from the stored articles, and every claim carries a number like '
    '<span class="nd-cite nd-cite-demo">1</span>: click it to read the exact sentence in its '
    'article. When the articles don\'t answer a question, Newsdesk says so and shows the '
    'closest passages instead of guessing.</p>'
    '<p class="nd-muted">Follow-up questions work (“and what did Xi say?”). Add your own '
    'articles under <b>Add articles</b>.</p></div>')


def render_transcript(turns: Sequence[Turn]) -> str:
    """The whole conversation, or a welcome note when it is empty."""
    if not turns:
        return f'<div class="nd-chat nd-empty">{WELCOME}</div>'
    turns_html = "".join(render_turn(t) for t in turns)
    return f'<div class="nd-chat" role="log" aria-label="Conversation">{turns_html}</div>'


# --- the sources panel ------------------------------------------------------------------------

SOURCES_EMPTY = ('<div class="nd-sources-empty">Sources appear here. Click a number in an '
                 'answer to read the passage it quotes, with the quoted sentence highlighted.'
                 '</div>')


def _sources_group(turn: Turn, active: bool) -> str:
    answer = turn.answer
    assert answer is not None
    header = f'<div class="nd-group-q">For “{esc(turn.question)}”</div>'
    if answer.citations:
        cards = "".join(citation_card(c, turn.id, open_=(active and i == 0))
                        for i, c in enumerate(answer.citations))
    elif answer.abstained:
        cards = ('<div class="nd-muted">No sources: the articles don\'t answer this. The '
                 'closest passages are listed with the answer.</div>')
    else:
        cards = '<div class="nd-muted">This answer has no sources.</div>'
    hidden = "" if active else " hidden"
    return f'<section class="nd-group" data-turn="{turn.id}"{hidden}>{header}{cards}</section>'


def render_sources(turns: Sequence[Turn], pending: Turn | None = None) -> str:
    """Citation cards for every answered turn; the latest one shows, the others wait for a
    click on one of their numbers. While a question is being answered, a note says so."""
    answered = [t for t in turns if t.answer is not None]
    title = '<div class="nd-panel-title">Sources</div>'
    if not answered and pending is None:
        return f'<div class="nd-sources">{title}{SOURCES_EMPTY}</div>'
    groups = "".join(_sources_group(t, active=(pending is None and t is answered[-1]))
                     for t in answered)
    waiting = ('<div class="nd-sources-empty">Looking for sources…</div>'
               if pending is not None else "")
    return f'<div class="nd-sources">{title}{waiting}{groups}</div>'


# --- status and index updates -----------------------------------------------------------------

def render_status(stats: Any | None, error: str | None = None) -> str:
    """The index status line: articles, chunks, sources, last update."""
    if stats is None:
        return f'<div class="nd-status nd-status-error">{esc(error or "no index")}</div>'
    when = (datetime.fromtimestamp(stats.updated_at).strftime("%Y-%m-%d %H:%M")
            if getattr(stats, "updated_at", None) else "never")
    items = [_plural(stats.articles, "article"), _plural(stats.chunks, "chunk"),
             _plural(stats.sources, "source"), f"updated {when}"]
    return ('<div class="nd-status" role="status"><span class="nd-status-dot"></span>'
            + "".join(f'<span>{esc(item)}</span>' for item in items) + "</div>")


def render_date_hint(first: str | None, last: str | None) -> str:
    """A line under the date filters saying which days the stored articles cover."""
    if not first:
        return '<div class="nd-hint">No stored article has a date.</div>'
    span = format_day(first) if first == last else f"{format_day(first)} – {format_day(last)}"
    return f'<div class="nd-hint">Articles cover {esc(span)}.</div>'


def render_upload_hint(suffixes: Sequence[str], max_mb: float) -> str:
    """The line under the upload box: accepted formats, size limit, what happens next."""
    kinds = " ".join(suffixes)
    return (f'<div class="nd-hint">{esc(kinds)} · up to {max_mb:g} MB each. Files are copied '
            'into the store and indexed at once; the chat uses them from the next question.'
            '</div>')


def render_link_hint(max_links: int) -> str:
    """The line under the link box: what a link may be, and that the server fetches it."""
    return (f'<div class="nd-hint">An article page or an RSS/Atom feed (each of its items is '
            f'added); up to {max_links} links, one per line. The server fetches them, never '
            'from this machine or a private network unless the settings allow it.</div>')


def render_update(summary: Any | None, rejected: Sequence[str] = (),
                  titles: dict[str, str] | None = None, error: str | None = None,
                  noun: str = "file") -> str:
    """What an upload (or links added) did: added, replaced, unchanged, and each failure
    with its reason.

    `summary` is the qa UpdateSummary (None when nothing reached the index); `rejected`
    holds the uploads (or links) refused before indexing; `titles` maps article ids to
    titles; `noun` names what was refused ("file", "link").
    """
    titles = titles or {}
    lines: list[str] = []
    failures = [*rejected, *(_failure_text(f) for f in (summary.failed if summary else []))]
    if error:
        lines.append(f'<div class="nd-update-error" role="alert">{esc(error)}</div>')
    if summary is not None:
        counts = [f"{len(summary.added)} added", f"{len(summary.replaced)} replaced",
                  f"{summary.unchanged} unchanged", f"{len(failures)} failed"]
        lines.append(f'<div class="nd-update-counts">Index updated: {esc(", ".join(counts))}'
                     '</div>')
        for label, ids in (("Added", summary.added), ("Replaced", summary.replaced)):
            for article_id in ids[:20]:
                title = titles.get(article_id) or article_id
                lines.append(f'<div class="nd-update-item"><b>{label}</b> {esc(title)}</div>')
    elif failures:
        lines.append(f'<div class="nd-update-counts">{esc(_plural(len(failures), noun))} '
                     f'not added</div>')
    for failure in failures[:50]:
        lines.append(f'<div class="nd-update-item nd-update-failed"><b>Failed</b> '
                     f'{esc(failure)}</div>')
    if len(failures) > 50:
        lines.append(f'<div class="nd-muted">… and {len(failures) - 50} more</div>')
    ok = summary is not None and not error and (summary.changed or summary.unchanged)
    kind = "nd-update-ok" if ok and not failures else "nd-update-warn"
    return f'<div class="nd-update {kind}">{"".join(lines)}</div>' if lines else ""


_CHECK_LABELS = {"supported": ("nd-check-ok", "Supported"),
                 "contradicted": ("nd-check-bad", "Contradicted"),
                 "not_found": ("nd-check-none", "Not found")}


def render_check(report: Any | None, error: str | None = None) -> str:
    """What "Check a claim" found: each sentence with its outcome, the reason, and the article
    sentences that support or contradict it, quoted as text with their title and date."""
    if error:
        return f'<div class="nd-update nd-update-warn" role="alert">{esc(error)}</div>'
    if report is None:
        return ""
    rows = []
    for claim in report.claims:
        kind, label = _CHECK_LABELS.get(claim.status, ("nd-check-none", claim.status))
        quotes = claim.contradicting if claim.status == "contradicted" else claim.supporting
        lines = [f'<div class="nd-check-head"><b class="{kind}">{esc(label)}</b> '
                 f'{esc(claim.sentence)}</div>']
        if claim.reason:
            lines.append(f'<div class="nd-muted">{esc(claim.reason)}</div>')
        for citation in quotes:
            lines.append(f'<blockquote class="nd-check-quote">{esc(citation.quote)}'
                         f'<div class="nd-muted">{esc(citation.title)}'
                         f'{_byline(citation.date, citation.source)}</div></blockquote>')
        rows.append(f'<div class="nd-check-claim" data-status="{esc(claim.status)}">'
                    f'{"".join(lines)}</div>')
    return f'<div class="nd-check">{"".join(rows)}</div>'


def _failure_text(failure: Any) -> str:
    """A read failure named by its file name only (not the server's folders), or by its
    whole link when it came from the web."""
    path = str(getattr(failure, "path", "") or "")
    name = path if safe_url(path) else (re.split(r"[\\/]", path)[-1] or path)
    record = getattr(failure, "record", None)
    where = f"{name} (record {record})" if record else name
    return f"{where}: {getattr(failure, 'reason', failure)}"
