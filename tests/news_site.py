"""A small news site on 127.0.0.1 for the tests of articles from the web.

It serves real-world-shaped pages (navigation, ads, a comment thread around the article), an
RSS feed and an Atom feed, a section page that announces its feed, and the bad cases: a 404, a
slow page, a huge page, a PDF, a malformed feed, redirects. Every request is counted per path,
with the most requests that were in flight at once, so tests can tell what was fetched again.
Pages can be changed between two runs.
"""

from __future__ import annotations

import html
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    """What the site answers for one path."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    etag: str | None = None  # answer 304 to a request that sends this ETag back
    delay: float = 0.0  # seconds to wait before answering
    headers: dict[str, str] = field(default_factory=dict)
    stream: bool = False  # send without Content-Length, in pieces, closing at the end


# Invented stories: nothing here is a real event, so an answer can only come from the page.
STORIES = {
    "/news/lantern-festival": dict(
        title="Lantern festival draws record crowds to Quillmere",
        date="2024-05-04", author="Odile Fenwark",
        body=["The Zorblax Lantern Festival drew a record 48,000 visitors to the river town of "
              "Quillmere on Saturday, organisers said.",
              "The festival is run by the Quillmere Guild of Lamplighters, which has organised "
              "it every spring since 1987.",
              "Volunteers launched 3,200 paper lanterns from the old stone harbour after "
              "sunset.",
              "Mayor Brannoch Ilvey said the town would build a second footbridge before next "
              "year's festival to ease the crowds.",
              "Local bakeries reported selling out of saffron buns by early afternoon."]),
    "/news/ferry-timetable": dict(
        title="New winter ferry timetable for the Quillmere crossing",
        date="2024-05-06", author="Tamsin Orrow",
        body=["The Quillmere ferry will run every forty minutes from November under a new "
              "winter timetable.",
              "The operator, Greyhaven Crossings, said the change follows a drop in "
              "passengers after the summer season.",
              "The first sailing will leave the north quay at 6.20 in the morning.",
              "Commuters told the harbour council that the last evening sailing should stay at "
              "eleven o'clock.",
              "The council will publish its response at its meeting next month."]),
    "/news/library-reopens": dict(
        title="Quillmere library reopens after roof repairs",
        date="2024-05-08", author="Odile Fenwark",
        body=["The Quillmere public library reopened on Monday after eight months of roof "
              "repairs.",
              "The repairs cost 1.4 million crowns and were paid for by the regional heritage "
              "fund.",
              "Head librarian Pell Ashcombe said the reading room now has a glass lantern "
              "roof that lets in daylight.",
              "A new children's corner holds more than two thousand picture books.",
              "The library will open until eight in the evening on Thursdays."]),
    "/valley/orchard-harvest": dict(
        title="Brindle Valley orchards expect an early harvest",
        date="2024-08-12", author="Corwin Maddox",
        body=["Apple growers in the Brindle Valley expect to start picking two weeks earlier "
              "than usual this year.",
              "A warm spring brought the blossom forward, the Brindle Growers' Cooperative "
              "said.",
              "The cooperative expects about 9,000 tonnes of fruit, close to last year's crop.",
              "Pickers from the coast towns will arrive at the end of August.",
              "The cider mill at Lower Brindle plans to press its first batch in September."]),
    "/valley/bridge-repairs": dict(
        title="Old Brindle bridge closes for repairs",
        date="2024-08-14", author="Corwin Maddox",
        body=["The old stone bridge at Brindle Ford will close for six weeks of repairs from "
              "Monday.",
              "Engineers found cracks in two of its five arches during an inspection in June.",
              "Traffic will be sent over the new bridge at Hollin Cross, a detour of four "
              "miles.",
              "The valley council said the bridge, built in 1782, is the oldest still carrying "
              "cars in the region.",
              "Walkers and cyclists may still cross on a temporary footway."]),
    "/valley/choir-prize": dict(
        title="Brindle Valley choir wins national prize",
        date="2024-08-16", author="Ines Calloway",
        body=["The Brindle Valley Community Choir won first prize at the national choir "
              "festival in Carrowmere on Sunday.",
              "The forty singers performed a setting of an old valley harvest song arranged by "
              "their conductor, Maren Thistlewood.",
              "It is the first time a village choir has won the prize since 1996.",
              "The judges praised the choir's clear diction and its quiet final verse.",
              "The choir will sing at the valley's harvest fair next month."]),
}

CHANGING = "/news/harbour-dredging"
CHANGING_VERSIONS = [
    ["Dredging of Quillmere harbour will begin in March, the harbour council said.",
     "The work will deepen the channel to four metres so larger fishing boats can land.",
     "Dredgers will work only at night to keep the harbour open during the day.",
     "The council expects the work to take about ten weeks."],
    ["Dredging of Quillmere harbour has been postponed until June, the harbour council said.",
     "The contractor, Saltmarsh Marine, could not bring its dredger north before the spring "
     "storms ended.",
     "The work will still deepen the channel to four metres.",
     "Fishing crews said the delay would cost them another season of unloading at low tide."],
]


def article_page(path: str, title: str, date: str, author: str, body: list[str],
                 extra: str = "", site: str = "The Harbour Herald") -> bytes:
    """An article page as news sites make them: the story inside navigation, ads, related
    links and a comment thread. `extra` changes the surroundings without changing the story."""
    paragraphs = "\n".join(f"      <p>{html.escape(p)}</p>" for p in body)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{html.escape(title)} | {site}</title>
  <meta property="og:site_name" content="{site}">
  <meta property="og:title" content="{html.escape(title)}">
  <meta property="article:published_time" content="{date}T08:30:00+00:00">
  <meta name="author" content="{html.escape(author)}">
  <link rel="alternate" type="application/rss+xml" title="Harbour Herald"
        href="/feeds/harbour.rss">
  <script>window.dataLayer = [];</script>
</head>
<body>
  <header class="site-header">
    <nav><ul><li><a href="/">Home</a></li><li><a href="/section/harbour">Harbour</a></li>
      <li><a href="/section/valley">Valley</a></li><li><a href="/subscribe">Subscribe</a></li>
    </ul></nav>
    <div class="ad banner">ADVERTISEMENT Buy Glimmerfoam mattresses today, 40% off!</div>
  </header>
  <main>
    <article>
      <h1>{html.escape(title)}</h1>
      <p class="byline">By {html.escape(author)} &middot; {date}</p>
{paragraphs}
    </article>
    <aside class="related"><h3>Most read</h3><ul>
      <li><a href="/news/x">Ten things to do this weekend</a></li>
      <li><a href="/news/y">Weather: rain later</a></li></ul></aside>
    <div class="ad sidebar">Sponsored: Crumbleton Insurance keeps your boat afloat.</div>
    <section id="comments" class="comments"><h3>Comments (2)</h3>
      <div class="comment"><b>seagull42</b> Typical council, always late with everything.</div>
      <div class="comment"><b>marlow_k</b> Does anyone know if the car park is open?{extra}</div>
    </section>
  </main>
  <footer><p>&copy; {site}. All rights reserved.</p>
    <p><a href="/privacy">Privacy</a> <a href="/cookies">Cookies</a></p></footer>
</body>
</html>""".encode()


def rss_feed(base: str, paths: list[str]) -> bytes:
    def item(path: str) -> str:
        story = STORIES.get(path, dict(title=f"Item at {path}", date="2024-05-10",
                                       body=["An item whose page is not an article."]))
        day = time.mktime(time.strptime(story["date"], "%Y-%m-%d"))
        return f"""    <item>
      <title>{html.escape(story['title'])}</title>
      <link>{base}{path}</link>
      <guid>{base}{path}</guid>
      <pubDate>{formatdate(day, usegmt=True)}</pubDate>
      <description>{html.escape(story['body'][0])}</description>
    </item>"""

    items = "\n".join(item(path) for path in paths)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>The Harbour Herald: Harbour</title>
    <link>{base}/section/harbour</link>
    <description>News from Quillmere harbour</description>
{items}
  </channel>
</rss>""".encode()


def atom_feed(base: str, paths: list[str]) -> bytes:
    entries = "\n".join(f"""  <entry>
    <title>{html.escape(STORIES[p]['title'])}</title>
    <link rel="alternate" href="{p}"/>
    <id>tag:valley.example,2024:{p}</id>
    <updated>{STORIES[p]['date']}T09:00:00Z</updated>
    <summary>{html.escape(STORIES[p]['body'][0])}</summary>
  </entry>""" for p in paths)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="{base}/">
  <title>Brindle Valley Gazette</title>
  <id>tag:valley.example,2024:feed</id>
  <updated>2024-08-16T09:00:00Z</updated>
{entries}
</feed>""".encode()


SECTION_PAGE = b"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Harbour</title>
<link rel="alternate" type="application/rss+xml" href="/feeds/harbour.rss"></head>
<body><nav><a href="/">Home</a></nav><ul><li><a href="/news/lantern-festival">Lanterns</a></li>
</ul></body></html>"""

MALFORMED_FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Broken
<item><title>An item without a link & without an end"""


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a client that hung up on purpose (a page over the size limit) is no error


class NewsSite:
    """The site's routes and what it was asked; runs in a background thread."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: dict[str, int] = {}
        self.conditional_hits: dict[str, int] = {}
        self.in_flight = 0
        self.most_in_flight = 0
        self.user_agents: set[str] = set()
        self._lock = threading.Lock()
        handler = self._handler_class()
        self.server = _QuietServer(("127.0.0.1", 0), handler)
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.harbour_items = ["/news/lantern-festival", "/news/ferry-timetable"]
        self.changing_version = 0
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._build()

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def start(self) -> NewsSite:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset_counts(self) -> None:
        with self._lock:
            self.hits.clear()
            self.conditional_hits.clear()
            self.most_in_flight = 0

    def fetched(self, path: str) -> int:
        """Requests that got a full answer (not 304) for this path."""
        return self.hits.get(path, 0) - self.conditional_hits.get(path, 0)

    # --- content ----------------------------------------------------------------------

    def _build(self) -> None:
        for path, story in STORIES.items():
            site = "Brindle Valley Gazette" if path.startswith("/valley/") else \
                "The Harbour Herald"
            self.routes[path] = Route(article_page(path, **story, site=site), delay=0.15)
        self.routes["/feeds/harbour.rss"] = Route(b"", "application/rss+xml")
        self.set_harbour_items(self.harbour_items)
        self.routes["/feeds/valley.atom"] = Route(
            atom_feed(self.base, ["/valley/orchard-harvest", "/valley/bridge-repairs",
                                  "/valley/choir-prize"]),
            "application/atom+xml; charset=utf-8", headers={
                "Last-Modified": "Fri, 16 Aug 2024 09:00:00 GMT"})
        self.set_changing(0)
        self.routes["/section/harbour"] = Route(SECTION_PAGE)
        self.routes["/slow"] = Route(article_page("/slow", **STORIES["/news/library-reopens"]),
                                     delay=4.0)
        self.routes["/huge"] = Route(b"<html><body>" + b"<p>word</p>" * 200_000 +
                                     b"</body></html>")
        self.routes["/huge-stream"] = Route(b"<html><body>" + b"<p>word</p>" * 200_000,
                                            stream=True)
        self.routes["/report.pdf"] = Route(b"%PDF-1.4\n%fake report\n" + b"0" * 2000,
                                           "application/pdf")
        self.routes["/feeds/broken.rss"] = Route(MALFORMED_FEED, "application/rss+xml")
        self.routes["/to-lanterns"] = Route(b"", status=301, headers={
            "Location": "/news/lantern-festival"})
        self.routes["/loop"] = Route(b"", status=302, headers={"Location": "/loop"})
        self.routes["/to-file"] = Route(b"", status=302, headers={"Location": "file:///etc/passwd"})
        self.routes["/to-other-loopback"] = Route(b"", status=302, headers={
            "Location": f"http://127.0.0.2:{self.port}/news/lantern-festival"})

    def set_harbour_items(self, paths: list[str]) -> None:
        """The RSS feed lists these stories (a new list gets a new ETag)."""
        self.harbour_items = list(paths)
        self.routes["/feeds/harbour.rss"] = Route(
            rss_feed(self.base, self.harbour_items), "application/rss+xml; charset=utf-8",
            etag=f'"harbour-{len(paths)}-{hash(tuple(paths)) & 0xffff:x}"')

    def set_changing(self, version: int, surroundings: str = "") -> None:
        """The page that changes between runs: its story, or only its comments."""
        self.changing_version = version
        body = article_page(CHANGING, title="Harbour dredging plans", date="2024-02-20",
                            author="Tamsin Orrow", body=CHANGING_VERSIONS[version],
                            extra=surroundings)
        self.routes[CHANGING] = Route(body, etag=f'"dredging-{version}-{len(surroundings)}"')

    # --- serving ----------------------------------------------------------------------

    def _handler_class(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - the http.server name
                path = self.path.split("?")[0]
                with site._lock:
                    site.hits[path] = site.hits.get(path, 0) + 1
                    site.user_agents.add(self.headers.get("User-Agent", ""))
                try:
                    self._answer(site.routes.get(path))
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _answer(self, route: Route | None) -> None:
                if route is None:
                    body = b"<html><body><h1>Not found</h1></body></html>"
                    self.send_response(404)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                # In flight: from the request to the answer's first byte (a client holds its
                # turn longer than that, so this never counts more than the client allows).
                with site._lock:
                    site.in_flight += 1
                    site.most_in_flight = max(site.most_in_flight, site.in_flight)
                time.sleep(route.delay)
                with site._lock:
                    site.in_flight -= 1
                if route.etag and self.headers.get("If-None-Match") == route.etag or (
                        route.headers.get("Last-Modified") and
                        self.headers.get("If-Modified-Since") == route.headers["Last-Modified"]):
                    with site._lock:
                        site.conditional_hits[self.path] = \
                            site.conditional_hits.get(self.path, 0) + 1
                    self.send_response(304)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                if route.etag:
                    self.send_header("ETag", route.etag)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if route.stream:
                    self.send_header("Connection", "close")
                    self.end_headers()
                    for start in range(0, len(route.body), 64 * 1024):
                        self.wfile.write(route.body[start:start + 64 * 1024])
                    self.close_connection = True
                    return
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)

        return Handler
