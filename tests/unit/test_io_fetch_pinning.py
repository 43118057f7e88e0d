"""DNS rebinding: the fetcher connects only to the addresses its SSRF guard checked.

A local HTTP server on 127.0.0.1 stands in for the public web. A routing
network backend maps the "public" test address onto it and records every
address the fetcher dials; a rebinding resolver answers with a public address
the first time and a private one afterwards. No test uses the network.
"""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator

import httpcore
import pytest

from parallax.io.fetch import Fetcher, FetchError

PUBLIC_IP = "93.184.215.14"
OTHER_PUBLIC_IP = "93.184.215.15"
PRIVATE_IP = "10.0.0.5"


class _Handler(http.server.BaseHTTPRequestHandler):
    seen: list[tuple[str, str]]

    def do_GET(self) -> None:  # noqa: N802 (http.server's spelling)
        type(self).seen.append((self.path, self.headers.get("host", "")))
        if self.path.startswith("/hop"):
            target = self.path.split("?to=", 1)[1]
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b"<p>public page</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[int, list[tuple[str, str]]]]:
    handler = type("Handler", (_Handler,), {"seen": []})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1], handler.seen
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


class RoutingBackend(httpcore.NetworkBackend):
    """Record every (host, port) dialled; "public" test addresses reach the local server."""

    def __init__(self, public: set[str]) -> None:
        self.public = public
        self.dialled: list[tuple[str, int]] = []
        self.real = httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        self.dialled.append((host, port))
        if host not in self.public:
            raise httpcore.ConnectError(f"test network: {host} is unreachable")
        return self.real.connect_tcp("127.0.0.1", port, timeout, local_address, socket_options)


def rebinding_resolver(first: str, then: str):
    """Answer ``first`` on the first lookup of each host and ``then`` on every later one."""
    asked: dict[str, int] = {}

    def resolve(host: str, port: int):
        asked[host] = asked.get(host, 0) + 1
        address = first if asked[host] == 1 else then
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    resolve.asked = asked  # type: ignore[attr-defined]
    return resolve


@pytest.fixture
def rebinding_dns(monkeypatch):
    """Make the system resolver rebind too, so an unpinned client would reach PRIVATE_IP."""
    resolver = rebinding_resolver(PUBLIC_IP, PRIVATE_IP)
    real = socket.getaddrinfo

    def system_getaddrinfo(host, port, *args, **kwargs):
        if host == "127.0.0.1":  # the test server itself
            return real(host, port, *args, **kwargs)
        return resolver(host, port)

    monkeypatch.setattr(socket, "getaddrinfo", system_getaddrinfo)
    return resolver


def test_rebinding_host_is_connected_to_at_the_checked_address_only(server, rebinding_dns):
    port, seen = server
    backend = RoutingBackend({PUBLIC_IP})
    with Fetcher(resolver=rebinding_dns, network_backend=backend) as fetcher:
        page = fetcher.fetch(f"http://news.example:{port}/story")
    assert page.content == b"<p>public page</p>"
    assert backend.dialled == [(PUBLIC_IP, port)]
    assert all(host != PRIVATE_IP for host, _ in backend.dialled)
    # The server saw the original host name, not the IP.
    assert seen == [("/story", f"news.example:{port}")]
    assert rebinding_dns.asked == {"news.example": 1}  # resolved once, for the check


def test_every_redirect_hop_is_checked_and_pinned(server, rebinding_dns):
    port, seen = server
    backend = RoutingBackend({PUBLIC_IP, OTHER_PUBLIC_IP})
    resolver = rebinding_resolver(OTHER_PUBLIC_IP, PRIVATE_IP)
    start = f"http://news.example:{port}/hop?to=http://cdn.example:{port}/page"

    def resolve(host, port_):
        return (rebinding_dns if host == "news.example" else resolver)(host, port_)

    with Fetcher(resolver=resolve, network_backend=backend) as fetcher:
        page = fetcher.fetch(start)
    assert page.redirects == (f"http://cdn.example:{port}/page",)
    assert backend.dialled == [(PUBLIC_IP, port), (OTHER_PUBLIC_IP, port)]
    assert [host for _, host in seen] == [f"news.example:{port}", f"cdn.example:{port}"]


def test_redirect_back_to_a_host_that_now_resolves_private_is_refused(server):
    port, _ = server
    backend = RoutingBackend({PUBLIC_IP})
    resolver = rebinding_resolver(PUBLIC_IP, PRIVATE_IP)
    # The redirect points back at the same host; its second lookup answers privately.
    start = f"http://news.example:{port}/hop?to=/final"
    with Fetcher(resolver=resolver, network_backend=backend) as fetcher:
        with pytest.raises(FetchError, match=r"news\.example resolves to 10\.0\.0\.5, a private"):
            fetcher.fetch(start)
    assert backend.dialled == [(PUBLIC_IP, port)]


def test_unchecked_host_is_never_dialled():
    backend = RoutingBackend({PUBLIC_IP})
    fetcher = Fetcher(resolver=rebinding_resolver(PUBLIC_IP, PRIVATE_IP), network_backend=backend)
    client = fetcher._get_client()  # bypass fetch(): no check, so no pin
    with pytest.raises(Exception, match="its address was not checked"):
        client.get("http://sneaky.example/")
    assert backend.dialled == []
    fetcher.close()


def test_falls_back_to_the_next_checked_address(server):
    port, _ = server
    backend = RoutingBackend({OTHER_PUBLIC_IP})  # the first address does not answer

    def resolve(host, port_):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC_IP, port_)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (OTHER_PUBLIC_IP, port_)),
        ]

    with Fetcher(resolver=resolve, network_backend=backend) as fetcher:
        assert fetcher.fetch(f"http://news.example:{port}/").status == 200
    assert backend.dialled == [(PUBLIC_IP, port), (OTHER_PUBLIC_IP, port)]


class _TLSProbe(httpcore.NetworkStream):
    """A stream that records the TLS server name it is asked to verify, then stops."""

    def __init__(self, record: list[str | None]) -> None:
        self.record = record

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        self.record.append(server_hostname)
        raise httpcore.ConnectError("probe: stop before the handshake")

    def close(self) -> None:
        pass


def test_tls_keeps_the_host_name_for_sni_and_certificate_check():
    dialled: list[str] = []
    names: list[str | None] = []

    class Backend(httpcore.NetworkBackend):
        def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
            dialled.append(host)
            return _TLSProbe(names)

    resolver = rebinding_resolver(PUBLIC_IP, PRIVATE_IP)
    with Fetcher(resolver=resolver, network_backend=Backend()) as fetcher:
        with pytest.raises(FetchError):
            fetcher.fetch("https://news.example/")
    assert dialled == [PUBLIC_IP]
    assert names == ["news.example"]


def test_allow_private_connects_by_name_without_a_check(server, monkeypatch):
    port, _ = server
    dialled: list[str] = []

    class Backend(httpcore.NetworkBackend):
        def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
            dialled.append(host)
            return httpcore.SyncBackend().connect_tcp("127.0.0.1", port, timeout)

    def no_dns(host, port_):
        raise AssertionError("allow_private must not resolve for a check")

    with Fetcher(resolver=no_dns, network_backend=Backend(), allow_private=True) as fetcher:
        assert fetcher.fetch(f"http://intranet.example:{port}/").status == 200
    assert dialled == ["intranet.example"]


def test_real_loopback_server_with_allow_private(server):
    port, seen = server
    with Fetcher(allow_private=True) as fetcher:
        page = fetcher.fetch(f"http://127.0.0.1:{port}/x")
    assert page.content == b"<p>public page</p>"
    with Fetcher() as fetcher, pytest.raises(FetchError, match="loopback"):
        fetcher.fetch(f"http://127.0.0.1:{port}/x")
    assert [path for path, _ in seen] == ["/x"]
