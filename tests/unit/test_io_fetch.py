"""The URL fetcher: SSRF guard, redirects, size and time limits (no network)."""

from __future__ import annotations

import ipaddress
import socket

import httpx
import pytest

from parallax import __version__
from parallax.io.fetch import USER_AGENT, Fetcher, FetchError

PUBLIC_IP = "93.184.215.14"


def fake_resolver(table: dict[str, str]):
    """A getaddrinfo stand-in: known hosts resolve, others fail like a missing DNS."""

    def resolve(host: str, port: int):
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (table[host], port))]

    return resolve


def make_fetcher(handler, table=None, **options) -> Fetcher:
    resolver = fake_resolver(table if table is not None else {"news.example": PUBLIC_IP})
    return Fetcher(transport=httpx.MockTransport(handler), resolver=resolver, **options)


def html_response(body: str = "<html><body><p>Hi</p></body></html>", **kwargs) -> httpx.Response:
    headers = {"content-type": "text/html; charset=utf-8", **kwargs.pop("headers", {})}
    return httpx.Response(200, text=body, headers=headers, **kwargs)


def test_fetch_returns_body_type_and_charset():
    seen: list[httpx.Request] = []

    def handler(request):
        seen.append(request)
        return html_response("<p>Story</p>")

    with make_fetcher(handler) as fetcher:
        page = fetcher.fetch("https://news.example/story")
    assert page.content == b"<p>Story</p>"
    assert (page.status, page.content_type, page.charset) == (200, "text/html", "utf-8")
    assert page.url == "https://news.example/story"
    assert seen[0].headers["user-agent"] == USER_AGENT


def test_fetch_user_agent_names_version_and_project():
    expected = f"Parallax/{__version__} (+https://github.com/parallax-news/parallax)"
    assert expected == USER_AGENT


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("10.1.2.3", "a private address"),
        ("192.168.0.7", "a private address"),
        ("127.0.0.1", "a loopback address"),
        ("169.254.169.254", "a cloud metadata address"),
        ("169.254.10.10", "a link-local address"),
        ("224.0.0.1", "a multicast address"),
        ("0.0.0.0", "an unspecified address"),
        ("240.0.0.1", "a reserved address"),
        ("100.64.0.1", "a non-public address"),
        ("::1", "a loopback address"),
        ("fd00:ec2::254", "a cloud metadata address"),
        ("::ffff:10.0.0.1", "a private address"),
    ],
)
def test_fetch_refuses_non_public_addresses(address, kind):
    calls: list[httpx.Request] = []
    fetcher = make_fetcher(
        lambda r: calls.append(r) or html_response(), {"intranet.example": address}
    )
    with pytest.raises(FetchError) as caught:
        fetcher.fetch("http://intranet.example/admin")
    shown = ipaddress.ip_address(address)  # Python's spelling of the address
    assert f"intranet.example resolves to {shown}, {kind}" in str(caught.value)
    assert "--allow-private" in str(caught.value)
    assert calls == []


def test_fetch_refuses_ip_literal_without_resolving():
    fetcher = make_fetcher(lambda r: html_response(), {})
    with pytest.raises(FetchError, match=r"127\.0\.0\.1:8080/: 127\.0\.0\.1 is a loopback address"):
        fetcher.fetch("http://127.0.0.1:8080/")
    with pytest.raises(FetchError, match=r": ::1 is a loopback address"):
        fetcher.fetch("http://[::1]/")


def test_fetch_refuses_host_with_any_private_address():
    def resolve(host, port):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC_IP, port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.9", port)),
        ]

    fetcher = Fetcher(transport=httpx.MockTransport(lambda r: html_response()), resolver=resolve)
    with pytest.raises(FetchError, match=r"resolves to 10\.0\.0\.9"):
        fetcher.fetch("http://mixed.example/")


def test_fetch_allow_private_permits_internal_hosts():
    fetcher = make_fetcher(
        lambda r: html_response("<p>internal</p>"), {"intranet.example": "10.0.0.5"}
    )
    page = fetcher.fetch("http://intranet.example/", allow_private=True)
    assert page.content == b"<p>internal</p>"


def test_fetch_allow_private_set_on_the_fetcher_is_the_default():
    fetcher = make_fetcher(lambda r: html_response("ok"), {}, allow_private=True)
    assert fetcher.fetch("http://localhost/").content == b"ok"


def test_fetch_follows_redirects_and_records_them():
    def handler(request):
        if request.url.path == "/old":
            return httpx.Response(301, headers={"location": "/new"})
        return html_response("<p>moved</p>")

    page = make_fetcher(handler).fetch("https://news.example/old")
    assert page.url == "https://news.example/new"
    assert page.redirects == ("https://news.example/new",)
    assert page.content == b"<p>moved</p>"


def test_fetch_refuses_redirect_to_private_address():
    calls: list[str] = []

    def handler(request):
        calls.append(str(request.url))
        return httpx.Response(302, headers={"location": "http://internal.example/secret"})

    table = {"news.example": PUBLIC_IP, "internal.example": "192.168.1.10"}
    with pytest.raises(FetchError) as caught:
        make_fetcher(handler, table).fetch("https://news.example/go")
    assert "refused to fetch http://internal.example/secret" in str(caught.value)
    assert "192.168.1.10, a private address" in str(caught.value)
    assert calls == ["https://news.example/go"]


def test_fetch_refuses_redirect_to_other_scheme():
    handler = lambda r: httpx.Response(302, headers={"location": "file:///etc/passwd"})  # noqa: E731
    with pytest.raises(FetchError, match="redirected to a non-http URL: file:"):
        make_fetcher(handler).fetch("https://news.example/")


def test_fetch_stops_after_five_redirects():
    calls: list[str] = []

    def handler(request):
        calls.append(str(request.url))
        return httpx.Response(302, headers={"location": f"/hop{len(calls)}"})

    with pytest.raises(FetchError, match=r"too many redirects \(more than 5\)"):
        make_fetcher(handler).fetch("https://news.example/start")
    assert len(calls) == 6


def test_fetch_refuses_declared_oversize_body():
    handler = lambda r: html_response("x" * 100)  # noqa: E731
    with pytest.raises(
        FetchError, match=r"is 100 bytes, over the 50-byte limit \(raise --max-bytes\)"
    ):
        make_fetcher(handler).fetch("https://news.example/big", max_bytes=50)


def test_fetch_stops_streaming_past_the_size_cap():
    sent: list[int] = []

    def chunks():
        for _ in range(100):
            sent.append(1)
            yield b"x" * 1000

    handler = lambda r: httpx.Response(200, content=chunks())  # noqa: E731  (no content-length)
    with pytest.raises(FetchError) as caught:
        make_fetcher(handler).fetch("https://news.example/endless", max_bytes=4096)
    assert str(caught.value) == (
        "https://news.example/endless is more than 4 KB, over the 4 KB limit (raise --max-bytes)"
    )
    assert len(sent) < 10


def test_fetch_total_read_deadline():
    ticks = iter([0.0, 1.0, 31.0, 62.0, 93.0])

    def chunks():
        yield b"<p>slow"
        yield b" drip</p>"

    handler = lambda r: httpx.Response(200, content=chunks())  # noqa: E731
    fetcher = make_fetcher(handler, clock=lambda: next(ticks))
    with pytest.raises(FetchError, match=r"news\.example took longer than 30 s to send the page"):
        fetcher.fetch("https://news.example/slow")


def test_fetch_dns_failure_message():
    fetcher = make_fetcher(lambda r: html_response(), {})
    with pytest.raises(FetchError) as caught:
        fetcher.fetch("https://nowhere.example/a")
    assert (
        str(caught.value) == "could not reach nowhere.example: name resolution failed (no network?)"
    )


def test_fetch_dns_failure_inside_httpx_when_private_allowed():
    def handler(request):
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution")

    with pytest.raises(FetchError, match=r"could not reach news\.example: name resolution failed"):
        make_fetcher(handler).fetch("https://news.example/", allow_private=True)


def test_fetch_connection_refused_message():
    def handler(request):
        raise httpx.ConnectError("[Errno 111] Connection refused")

    with pytest.raises(FetchError, match=r"^could not reach news\.example: connection refused$"):
        make_fetcher(handler).fetch("https://news.example/")


def test_fetch_read_timeout_message():
    def handler(request):
        raise httpx.ReadTimeout("timed out")

    with pytest.raises(FetchError, match=r"news\.example stopped responding \(no data for 30 s\)"):
        make_fetcher(handler).fetch("https://news.example/")


@pytest.mark.parametrize(("status", "reason"), [(404, "Not Found"), (503, "Service Unavailable")])
def test_fetch_http_error_names_status(status, reason):
    handler = lambda r: httpx.Response(status)  # noqa: E731
    with pytest.raises(FetchError) as caught:
        make_fetcher(handler).fetch("https://news.example/gone")
    assert str(caught.value) == f"HTTP {status} {reason} from https://news.example/gone"


@pytest.mark.parametrize("url", ["ftp://news.example/file", "file:///etc/passwd", "http:///nohost"])
def test_fetch_refuses_non_http_or_hostless_urls(url):
    with pytest.raises(FetchError, match=r"unsupported URL scheme|no host name|invalid URL"):
        make_fetcher(lambda r: html_response()).fetch(url)


def test_fetch_error_is_an_input_error():
    from parallax.errors import InputError

    assert issubclass(FetchError, InputError)
