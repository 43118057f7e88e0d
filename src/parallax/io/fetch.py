"""Fetch article URLs safely: bounded in size and time, and never into private networks.

Parallax may run on a server and be handed URLs by other people, so every
fetch goes through a server-side request forgery guard: the host is resolved
and refused if any of its addresses is loopback, private, link-local,
multicast, reserved, unspecified or a cloud metadata endpoint. The check runs
on the first URL and again on every redirect hop, which is why redirects are
followed here by hand rather than by httpx.

The addresses that passed the check are the only ones connected to: the
fetcher's own transport (``_PinnedTransport``) swaps httpcore's network
backend for ``_PinnedBackend``, which dials the checked IP instead of
resolving the host name a second time. A DNS server that answers with a public
address for the check and a private one a moment later (DNS rebinding) is
therefore never connected to. The URL, the ``Host`` header, TLS SNI and
certificate verification keep the original host name, because httpcore takes
those from the request's origin, not from the address it connects to. A host
with no pin is refused (fail closed). Proxies from the environment are not
used: a proxy would resolve the name itself and undo the pin.

Tests pass an ``httpx.MockTransport`` and a fake ``resolver``, or a fake
``network_backend`` under the real transport; no test needs the network.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

from parallax import __version__
from parallax.errors import InputError
from parallax.io.limits import DEFAULT_MAX_BYTES, over_limit

__all__ = ["USER_AGENT", "FetchError", "FetchedPage", "Fetcher"]

USER_AGENT = f"Parallax/{__version__} (+https://github.com/parallax-news/parallax)"

# Called like socket.getaddrinfo(host, port); returns its 5-tuples.
Resolver = Callable[[str, int], Sequence[tuple[Any, ...]]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_METADATA_ADDRESSES = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)
_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/json;q=0.9,text/plain;q=0.8,*/*;q=0.5"
)
_DNS_FAILURE_HINTS = ("name or service", "nodename", "resolution", "getaddrinfo", "no address")


class FetchError(InputError):
    """A URL could not be fetched; the message says why, for the user."""


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """A successful (2xx) response body, read in full within the size limit."""

    url: str  # after redirects
    status: int
    content_type: str  # media type, lower case, no parameters ("" if absent)
    charset: str | None
    content: bytes
    redirects: tuple[str, ...] = ()


class Fetcher:
    """An httpx client with a size cap, timeouts, a redirect limit and an SSRF guard.

    ``allow_private`` and ``max_bytes`` given here are defaults; ``fetch``
    may override them per call (``iter_documents`` does, from its own flags).
    """

    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        resolver: Resolver | None = None,
        network_backend: httpcore.NetworkBackend | None = None,
        allow_private: bool = False,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_redirects: int = 5,
        connect_timeout: float = 10.0,
        read_timeout: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._transport = transport
        self._resolver: Resolver = resolver or socket.getaddrinfo
        self._pins = _Pins()
        self._network_backend = network_backend
        self.allow_private = allow_private
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self._clock = clock
        self._client: httpx.Client | None = None

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool; the fetcher may be used again afterwards."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def fetch(
        self, url: str, *, allow_private: bool | None = None, max_bytes: int | None = None
    ) -> FetchedPage:
        """GET ``url`` following up to ``max_redirects`` redirects, each hop checked.

        Raises:
            FetchError: with a message naming the host and the problem.
        """
        allow = self.allow_private if allow_private is None else allow_private
        limit = self.max_bytes if max_bytes is None else max_bytes
        deadline = self._clock() + self.read_timeout
        redirects: list[str] = []
        current = _parse_url(url)
        while True:
            self._check_address(current, allow)
            page_or_next = self._request(current, limit, deadline, redirects)
            if isinstance(page_or_next, FetchedPage):
                return page_or_next
            if len(redirects) >= self.max_redirects:
                raise FetchError(
                    f"too many redirects (more than {self.max_redirects}) starting at {url}"
                )
            self._check_deadline(page_or_next, deadline)
            redirects.append(str(page_or_next))
            current = page_or_next

    def _request(
        self, url: httpx.URL, limit: int, deadline: float, redirects: list[str]
    ) -> FetchedPage | httpx.URL:
        """Send one GET; return the page, or the URL a redirect points to."""
        host = url.host
        try:
            with self._get_client().stream("GET", url) as response:
                if response.status_code in _REDIRECT_CODES and "location" in response.headers:
                    return _redirect_target(response)
                if not response.is_success:
                    reason = f" {response.reason_phrase}" if response.reason_phrase else ""
                    raise FetchError(f"HTTP {response.status_code}{reason} from {url}")
                content = self._read_capped(response, limit, deadline)
                media_type, charset = _parse_content_type(response.headers.get("content-type"))
                return FetchedPage(
                    url=str(response.url),
                    status=response.status_code,
                    content_type=media_type,
                    charset=charset,
                    content=content,
                    redirects=tuple(redirects),
                )
        except httpx.HTTPError as error:
            raise FetchError(self._describe_transport_error(error, host)) from error

    def _read_capped(self, response: httpx.Response, limit: int, deadline: float) -> bytes:
        """Stream the body, stopping as soon as it passes ``limit`` bytes or the deadline."""
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(over_limit(str(response.url), int(declared), limit))
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise FetchError(over_limit(str(response.url), None, limit))
            self._check_deadline(response.url, deadline)
            chunks.append(chunk)
        return b"".join(chunks)

    def _check_deadline(self, url: httpx.URL, deadline: float) -> None:
        """Enforce the total time budget, which httpx's per-read timeout does not."""
        if self._clock() > deadline:
            raise FetchError(
                f"{url.host} took longer than {self.read_timeout:g} s to send the page"
            )

    def _check_address(self, url: httpx.URL, allow_private: bool) -> None:
        """Refuse hosts that resolve to an address inside a private network.

        The addresses that pass are pinned: the connection for this hop goes to
        one of them and is never resolved again.
        """
        if url.scheme not in ("http", "https"):
            raise FetchError(
                f"unsupported URL scheme {url.scheme!r} in {url} (only http and https)"
            )
        port = url.port or (443 if url.scheme == "https" else 80)
        host = url.raw_host.decode("ascii")  # the spelling httpcore dials
        if allow_private:
            self._pins.set(host, port, None)  # nothing to check: connect by name
            return
        addresses = self._resolve(url)
        for address in addresses:
            kind = _forbidden_kind(address)
            if kind:
                raise FetchError(
                    f"refused to fetch {url}: {_where(url.host, address)} {kind} "
                    "(use --allow-private to fetch from your own network)"
                )
        self._pins.set(host, port, tuple(dict.fromkeys(addresses)))

    def _resolve(self, url: httpx.URL) -> list[IPAddress]:
        host = url.host
        try:
            return [ipaddress.ip_address(host)]
        except ValueError:
            pass
        port = url.port or (443 if url.scheme == "https" else 80)
        try:
            infos = self._resolver(host, port)
        except socket.gaierror as error:
            raise FetchError(
                f"could not reach {host}: name resolution failed (no network?)"
            ) from error
        except (OSError, UnicodeError) as error:
            raise FetchError(f"could not reach {host}: {error}") from error
        try:
            addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
        except (ValueError, IndexError, TypeError) as error:
            raise FetchError(f"could not reach {host}: unusable address from resolver") from error
        if not addresses:
            raise FetchError(f"could not reach {host}: name resolution failed (no network?)")
        return addresses

    def _get_client(self) -> httpx.Client:
        if self._client is None:
            transport = self._transport or _PinnedTransport(
                _PinnedBackend(self._pins, self._network_backend or httpcore.SyncBackend())
            )
            self._client = httpx.Client(
                transport=transport,
                follow_redirects=False,
                timeout=httpx.Timeout(self.read_timeout, connect=self.connect_timeout),
                headers={"User-Agent": USER_AGENT, "Accept": _ACCEPT},
                trust_env=False,  # an env proxy would resolve the host itself, past the pin
            )
        return self._client

    def _describe_transport_error(self, error: httpx.HTTPError, host: str) -> str:
        if isinstance(error, httpx.ConnectTimeout):
            return f"could not reach {host}: connection timed out after {self.connect_timeout:g} s"
        if isinstance(error, httpx.TimeoutException):
            return f"{host} stopped responding (no data for {self.read_timeout:g} s)"
        message = str(error) or type(error).__name__
        if isinstance(error, httpx.ConnectError):
            lowered = message.lower()
            if any(hint in lowered for hint in _DNS_FAILURE_HINTS):
                return f"could not reach {host}: name resolution failed (no network?)"
            if "refused" in lowered:
                return f"could not reach {host}: connection refused"
            if "ssl" in lowered or "certificate" in lowered:
                return f"could not reach {host}: TLS error ({message})"
            return f"could not reach {host}: {message}"
        if isinstance(error, httpx.DecodingError):
            return f"{host} sent a body that could not be decompressed ({message})"
        if isinstance(error, httpx.RemoteProtocolError):
            return f"{host} broke the HTTP protocol ({message})"
        return f"could not fetch from {host}: {message}"


class _Pins:
    """Checked addresses per (host, port); ``None`` means "connect by name" (--allow-private)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._table: dict[tuple[str, int], tuple[IPAddress, ...] | None] = {}

    def set(self, host: str, port: int, addresses: tuple[IPAddress, ...] | None) -> None:
        with self._lock:
            self._table[(host.lower(), port)] = addresses

    def get(self, host: str, port: int) -> tuple[IPAddress, ...] | None:
        """The pinned addresses; raises httpcore.ConnectError for a host never checked."""
        with self._lock:
            key = (host.lower(), port)
            if key not in self._table:
                raise httpcore.ConnectError(
                    f"refused to connect to {host}:{port}: its address was not checked"
                )
            return self._table[key]


class _PinnedBackend(httpcore.NetworkBackend):
    """Dial the addresses the SSRF guard checked, never a fresh DNS answer.

    httpcore calls ``connect_tcp`` with the URL's host; TLS SNI and certificate
    checks still use that host name because httpcore passes the origin's host
    to ``start_tls`` itself.
    """

    def __init__(self, pins: _Pins, inner: httpcore.NetworkBackend) -> None:
        self._pins = pins
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self._pins.get(host, port)
        if addresses is None:  # --allow-private: no check, so nothing to pin
            return self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        error: Exception | None = None
        for address in addresses:  # like socket.create_connection: first that answers
            try:
                return self._inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as failure:
                error = failure
        assert error is not None  # _Pins never holds an empty tuple
        raise error

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are never fetched from")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _PinnedTransport(httpx.HTTPTransport):
    """httpx's own transport (request mapping, error mapping) over a pinned connection pool.

    Only the pool is replaced, with one built from httpcore's public
    constructor; ``HTTPTransport`` has no parameter for a network backend.
    Certificates come from ``SSL_CERT_FILE``/``SSL_CERT_DIR`` or certifi, as in httpx.
    """

    def __init__(self, backend: _PinnedBackend) -> None:
        super().__init__()
        limits = httpx.Limits(max_connections=20, max_keepalive_connections=10)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=True),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            network_backend=backend,
        )


def _parse_url(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as error:
        raise FetchError(f"invalid URL {url!r}: {error}") from error
    if parsed.scheme not in ("http", "https"):
        raise FetchError(f"unsupported URL scheme {parsed.scheme!r} in {url} (only http and https)")
    if not parsed.host:
        raise FetchError(f"invalid URL {url!r}: no host name")
    return parsed


def _where(host: str, address: IPAddress) -> str:
    """``"10.0.0.1 is"`` for an IP literal, ``"intranet resolves to 10.0.0.1,"`` for a name."""
    return f"{host} is" if host == str(address) else f"{host} resolves to {address},"


def _redirect_target(response: httpx.Response) -> httpx.URL:
    try:
        target = response.url.join(response.headers["location"])
    except httpx.InvalidURL as error:
        raise FetchError(f"{response.url} redirected to an invalid URL ({error})") from error
    if target.scheme not in ("http", "https"):
        raise FetchError(f"{response.url} redirected to a non-http URL: {target}")
    return target


def _forbidden_kind(address: IPAddress) -> str | None:
    """Name the kind of non-public address, or ``None`` for a public one."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            return _forbidden_kind(embedded)
    checks = (
        (address in _METADATA_ADDRESSES, "a cloud metadata address"),
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (address.is_unspecified, "an unspecified address"),
        (address.is_reserved, "a reserved address"),
        (address.is_private, "a private address"),
        (not address.is_global, "a non-public address"),
    )
    return next((kind for forbidden, kind in checks if forbidden), None)


def _parse_content_type(value: str | None) -> tuple[str, str | None]:
    if not value:
        return "", None
    media_type, *parameters = value.split(";")
    charset = None
    for parameter in parameters:
        name, _, raw = parameter.partition("=")
        if name.strip().lower() == "charset" and raw.strip():
            charset = raw.strip().strip("\"'")
    return media_type.strip().lower(), charset
