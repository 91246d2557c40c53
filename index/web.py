"""Polite and safe fetching of the pages and feeds a user asks for.

Newsdesk fetches nothing on its own: only links the user gives (and the items of feeds the user
gives). A server that fetches links is also a way into the network it runs in, so every request
here is checked:

- only http and https; links with a user name or password are refused;
- the host name is resolved once, every address it resolves to is checked (loopback, private,
  link-local and other non-public addresses are refused unless the policy allows them), and the
  connection goes to a checked address, so a second DNS answer cannot switch it;
- redirects are followed here, not by the HTTP library: at most `max_redirects`, and each
  target is checked like the first link;
- a User-Agent that names Newsdesk, a time limit for each request, body included (a slow server
  that sends a byte at a time is cut off too), a size limit counted on the decoded body, and at
  most `per_host` requests at once to one host.

Every refusal or failure is a `FetchError` naming the link and a reason a user can act on.
"""

from __future__ import annotations

import codecs
import ipaddress
import re
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    LocationParseError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)
from urllib3.util import connection as connection_util

DEFAULT_USER_AGENT = "Newsdesk/0.1 (local news assistant; fetches only the links its user gives)"
MAX_LINK_CHARS = 2048
_READ_CHUNK = 64 * 1024
_REDIRECTS = (301, 302, 303, 307, 308)
_TRANSIENT_STATUS = (408, 425, 429)


@dataclass(frozen=True)
class FetchPolicy:
    """How fetching behaves; `qa` fills it from the settings (fetch_* in newsdesk.toml)."""

    user_agent: str = DEFAULT_USER_AGENT
    timeout: float = 20.0  # seconds for a request: connecting, waiting, reading the body
    max_bytes: int = 10 * 1024 * 1024  # largest body accepted, counted after decompression
    per_host: int = 2  # requests at once to one host
    max_redirects: int = 5
    allow_private: bool = False  # loopback, private, link-local and other non-public addresses
    allowed_networks: tuple[str, ...] = ()  # networks allowed although not public (CIDR)

    def __post_init__(self) -> None:
        if self.timeout <= 0 or self.max_bytes <= 0 or self.per_host < 1 or \
                self.max_redirects < 0:
            raise ValueError("timeout and max_bytes must be positive, per_host at least 1 and "
                             "max_redirects not negative")
        for network in self.allowed_networks:
            ipaddress.ip_network(network, strict=False)  # ValueError names a bad one


class FetchError(Exception):
    """A link that could not be fetched; `reason` says why, in words a user can act on.

    `transient` marks failures worth trying again later (a timeout, a server error) as opposed
    to ones that will not change by themselves (a 404, a refused address, not HTML).
    """

    def __init__(self, url: str, reason: str, *, transient: bool = False,
                 status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.transient = transient
        self.status = status


@dataclass(frozen=True)
class Fetched:
    """What a GET returned: the body (empty when the server said 304 Not Modified)."""

    url: str  # the link as asked for
    final_url: str  # after redirects
    status: int
    content_type: str  # the media type, lower case, without parameters ("" when none)
    charset: str | None
    body: bytes
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def text(self) -> str:
        """The body as text: the declared charset, else a <meta charset>, else UTF-8 (or
        Windows-1252 when it is not UTF-8)."""
        for name in (self.charset, _sniffed_charset(self.body)):
            if name and _known_codec(name):
                return self.body.decode(name, errors="replace")
        try:
            return self.body.decode("utf-8")
        except UnicodeDecodeError:
            return self.body.decode("cp1252", errors="replace")


# --- links --------------------------------------------------------------------------------

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_link(text: str) -> bool:
    """Whether `text` is meant as a web address (`scheme://...`) rather than a file path."""
    return bool(_SCHEME.match(str(text).strip()))


def normalise_link(text: str) -> str:
    """The link as Newsdesk keeps it (its article id): scheme and host in lower case, no
    fragment. Raises FetchError when it is not an http(s) link that can be fetched."""
    raw = str(text).strip()
    shown = raw[:200]
    if len(raw) > MAX_LINK_CHARS:
        raise FetchError(shown, f"the link is longer than {MAX_LINK_CHARS} characters")
    if any(ch.isspace() or not ch.isprintable() for ch in raw):
        raise FetchError(shown, "the link contains spaces or control characters")
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as error:
        raise FetchError(shown, f"not a valid link ({error})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        what = f"{scheme}:" if scheme else "a link without a scheme"
        raise FetchError(shown, f"only http and https links are fetched, not {what}")
    if parts.username is not None or parts.password is not None:
        raise FetchError(shown, "links with a user name or password are not fetched")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise FetchError(shown, "the link has no host name")
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host.lower()
    except UnicodeError:
        raise FetchError(shown, "the host name is not valid") from None
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address
    netloc = host if port is None or port == {"http": 80, "https": 443}[scheme] \
        else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


# --- addresses ----------------------------------------------------------------------------

def address_refusal(address: str, policy: FetchPolicy) -> str | None:
    """Why a connection to this IP address is refused under the policy, or None if allowed."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_global:
        return None
    if policy.allow_private or any(ip in ipaddress.ip_network(net, strict=False)
                                   for net in policy.allowed_networks):
        return None
    if ip.is_loopback:
        return "a loopback address (this machine)"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_unspecified:
        return "an unspecified address (this machine)"
    if ip.is_private:
        return "a private network address"
    return "not a public address"


class _AddressRefused(Exception):
    """Raised inside a connection attempt when the host resolves to a refused address."""

    def __init__(self, host: str, address: str, why: str) -> None:
        super().__init__(host, address, why)
        self.host, self.address, self.why = host, address, why


class _Unresolvable(Exception):
    """The host name has no address."""


def _checked_socket(conn: HTTPConnection, policy: FetchPolicy) -> socket.socket:
    """Resolve the connection's host, refuse it if any address is not allowed, and connect to
    a checked address (never resolving the name a second time)."""
    host = conn._dns_host  # noqa: SLF001 - the name urllib3 would resolve itself
    try:
        infos = socket.getaddrinfo(host, conn.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise _Unresolvable(str(error)) from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    for address in addresses:
        why = address_refusal(address, policy)
        if why is not None:
            raise _AddressRefused(host, address, why)
    last: OSError | None = None
    for address in addresses:
        try:
            return connection_util.create_connection(
                (address, conn.port), conn.timeout, source_address=conn.source_address,
                socket_options=conn.socket_options)
        except TimeoutError as error:
            raise ConnectTimeoutError(conn, f"connecting to {host} timed out") from error
        except OSError as error:
            last = error
    raise NewConnectionError(conn, (last.strerror if last else None) or str(last))


def _pool_classes(policy: FetchPolicy) -> dict[str, type]:
    """urllib3 pool classes whose connections go through `_checked_socket`."""

    class CheckedHTTPConnection(HTTPConnection):
        def _new_conn(self) -> socket.socket:
            return _checked_socket(self, policy)

    class CheckedHTTPSConnection(HTTPSConnection):
        def _new_conn(self) -> socket.socket:
            return _checked_socket(self, policy)

    class CheckedHTTPPool(HTTPConnectionPool):
        ConnectionCls = CheckedHTTPConnection

    class CheckedHTTPSPool(HTTPSConnectionPool):
        ConnectionCls = CheckedHTTPSConnection

    return {"http": CheckedHTTPPool, "https": CheckedHTTPSPool}


# --- fetching -----------------------------------------------------------------------------

class Fetcher:
    """Fetches links under one policy; safe to share between threads."""

    def __init__(self, policy: FetchPolicy | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self._manager = urllib3.PoolManager(num_pools=32, maxsize=self.policy.per_host,
                                            block=False, retries=False)
        self._manager.pool_classes_by_scheme = _pool_classes(self.policy)
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._hosts_lock = threading.Lock()

    def close(self) -> None:
        self._manager.clear()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            accept: str = "text/html, application/xhtml+xml, application/rss+xml, "
                          "application/atom+xml, application/xml;q=0.9, */*;q=0.5") -> Fetched:
        """GET a link, following redirects; raise FetchError with the reason when it fails.

        With `etag`/`last_modified` the request is conditional and may come back 304 (empty
        body, `not_modified`)."""
        policy = self.policy
        asked = normalise_link(url)
        headers = {"User-Agent": policy.user_agent, "Accept": accept,
                   "Accept-Encoding": "gzip, deflate"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = asked
        for redirects in range(policy.max_redirects + 1):
            host = urlsplit(current).hostname or ""
            with self._host_slot(host):
                # The time limit runs from when this host's turn comes: waiting behind our
                # own per-host limit is not the server being slow.
                deadline = time.monotonic() + policy.timeout
                try:
                    response = self._open(asked, current, headers, deadline)
                except FetchError as error:
                    if current == asked:
                        raise
                    raise FetchError(asked, f"redirected to {current}, which failed: "
                                            f"{error.reason}", transient=error.transient,
                                     status=error.status) from None
                complete = False
                try:
                    if response.status in _REDIRECTS and response.headers.get("Location"):
                        target = response.headers["Location"]
                    else:
                        fetched = self._read(asked, current, response, deadline)
                        complete = True
                        return fetched
                finally:
                    if not complete:
                        response.close()  # a body left unread: the connection is not reused
                    response.release_conn()
            try:
                current = normalise_link(urljoin(current, target))
            except FetchError as error:
                raise FetchError(asked, f"redirected to a link that is not fetched "
                                        f"({error.reason})") from None
            if redirects == policy.max_redirects:
                break
        raise FetchError(asked, f"too many redirects (more than {policy.max_redirects}); open "
                                "the link in a browser and give the address it ends at")

    def _host_slot(self, host: str) -> threading.BoundedSemaphore:
        with self._hosts_lock:
            slot = self._hosts.get(host)
            if slot is None:
                slot = self._hosts[host] = threading.BoundedSemaphore(self.policy.per_host)
            return slot

    def _open(self, asked: str, url: str, headers: dict[str, str], deadline: float):
        left = deadline - time.monotonic()
        if left <= 0:
            raise self._timed_out(asked)
        try:
            return self._manager.request(
                "GET", url, headers=headers, redirect=False, retries=False,
                preload_content=False, decode_content=True,
                timeout=urllib3.Timeout(connect=left, read=left))
        except _AddressRefused as refused:
            address = refused.address if refused.address != refused.host else ""
            raise FetchError(asked, (
                f"refused: {refused.host}"
                + (f" resolves to {address}," if address else " is")
                + f" {refused.why}; Newsdesk does not fetch from this machine or private "
                "networks unless fetch_allow_private = true (or fetch_allow_networks lists "
                "the network) in the settings")) from None
        except _Unresolvable:
            raise FetchError(asked, f"the host {urlsplit(url).hostname} could not be found; "
                                    "check the link", transient=True) from None
        except NameResolutionError:
            raise FetchError(asked, f"the host {urlsplit(url).hostname} could not be found; "
                                    "check the link", transient=True) from None
        except NewConnectionError as error:  # before ConnectTimeoutError: it is a subclass
            raise FetchError(asked, f"could not connect ({_cause(error)})",
                             transient=True) from None
        except (ConnectTimeoutError, ReadTimeoutError, TimeoutError):
            raise self._timed_out(asked) from None
        except SSLError as error:
            raise FetchError(asked, f"the secure connection failed ({_cause(error)})") from None
        except (ProtocolError, LocationParseError, HTTPError, OSError) as error:
            raise FetchError(asked, f"the request failed ({_cause(error)})",
                             transient=True) from None

    def _read(self, asked: str, url: str, response, deadline: float) -> Fetched:
        status = response.status
        headers = response.headers
        if status == 304:
            return Fetched(asked, url, status, "", None, b"", headers.get("ETag"),
                           headers.get("Last-Modified"))
        if status >= 400 or status < 200 or status in _REDIRECTS:
            reason = getattr(response, "reason", None) or ""
            advice = {404: "; the page is not there (moved or deleted?)",
                      410: "; the page was removed", 401: "; it needs a login",
                      403: "; the server does not let Newsdesk read it"}.get(status, "")
            raise FetchError(asked, f"HTTP {status}{' ' + reason if reason else ''}{advice}",
                             transient=status >= 500 or status in _TRANSIENT_STATUS,
                             status=status)
        limit = self.policy.max_bytes
        declared = headers.get("Content-Length")
        if declared and declared.strip().isdigit() and int(declared) > limit and \
                not headers.get("Content-Encoding"):
            raise self._too_large(asked, int(declared))
        body = bytearray()
        try:
            for chunk in response.stream(_READ_CHUNK, decode_content=True):
                body.extend(chunk)
                if len(body) > limit:
                    raise self._too_large(asked, None)
                if time.monotonic() > deadline:
                    raise self._timed_out(asked)
        except (ReadTimeoutError, TimeoutError):
            raise self._timed_out(asked) from None
        except (ProtocolError, HTTPError, OSError) as error:
            raise FetchError(asked, f"the download broke off ({_cause(error)})",
                             transient=True) from None
        media, charset = _content_type(headers.get("Content-Type", ""))
        return Fetched(asked, url, status, media, charset, bytes(body), headers.get("ETag"),
                       headers.get("Last-Modified"))

    def _timed_out(self, asked: str) -> FetchError:
        return FetchError(asked, f"timed out after {self.policy.timeout:g} s; the server is "
                                 "slow or not answering (fetch_timeout sets the limit)",
                          transient=True)

    def _too_large(self, asked: str, size: int | None) -> FetchError:
        limit = self.policy.max_bytes / (1024 * 1024)
        what = f"{size / (1024 * 1024):.1f} MB, " if size else ""
        return FetchError(asked, f"too large: {what}over the {limit:g} MB limit "
                                 "(fetch_max_mb sets it)")


def _cause(error: BaseException) -> str:
    """The innermost useful words of a urllib3 error, on one line."""
    reason = getattr(error, "reason", None) or error
    text = " ".join(str(reason).split())
    text = re.sub(r"^(<urllib3\.[^>]*>|\w+\(host=[^)]*\)):\s*", "", text)
    return text[:200] or type(error).__name__


def _content_type(value: str) -> tuple[str, str | None]:
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'") or None
    return media.strip().lower(), charset


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)


def _sniffed_charset(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:4096])
    return match.group(1).decode("ascii") if match else None


def _known_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True
