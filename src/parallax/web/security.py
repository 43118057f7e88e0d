"""The outer guard of the web app: everything a request meets before a view.

One plain ASGI middleware (outermost, so its answers carry the same headers):

- security headers on every response, errors included: a Content-Security-
  Policy that allows scripts and styles only from the app itself (no inline
  script at all, no other origin), ``X-Content-Type-Options: nosniff``,
  ``Referrer-Policy: no-referrer``, ``X-Frame-Options: DENY``;
- only ``GET`` and ``HEAD`` (the app is read-only): anything else is 405;
- bodies over ``max_body`` bytes are refused with 413 (chunked bodies are
  read here, up to the limit, since they announce no length);
- the ``Host`` header must name an allowed host (stops DNS rebinding from
  turning a web page into a reader of the local server);
- with a token: ``Authorization: Bearer TOKEN``, or ``?token=TOKEN`` once,
  which answers with a redirect to the same URL without it and sets an
  ``HttpOnly``, ``SameSite=Strict`` cookie;
- a per-request time limit: when it passes, the request's DuckDB cursor is
  interrupted and the request answers 503.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import threading
from collections.abc import Awaitable, Callable, Collection, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
)
ALLOWED_METHODS = ("GET", "HEAD")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
TOKEN_COOKIE = "parallax_token"
DEADLINE_KEY = "parallax.deadline"


class Deadline:
    """Interrupts the DuckDB cursors of one request once its time is up."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cursors: list[Any] = []
        self.expired = False

    def attach(self, cursor: Any) -> None:
        with self._lock:
            self._cursors.append(cursor)
            expired = self.expired
        if expired:
            cursor.interrupt()

    def detach(self, cursor: Any) -> None:
        with self._lock:
            if cursor in self._cursors:
                self._cursors.remove(cursor)

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            cursors = list(self._cursors)
        for cursor in cursors:
            cursor.interrupt()


class Guard:
    """ASGI middleware applying the rules in this module's docstring."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        token: str | None = None,
        allowed_hosts: Collection[str] | None = LOOPBACK_HOSTS,
        max_body: int = 64 * 1024,
        time_limit: float = 10.0,
    ) -> None:
        self.app = app
        self.token = token.encode("utf-8") if token else None
        self.allowed_hosts = {h.lower() for h in allowed_hosts} if allowed_hosts is not None else None
        self.max_body = max_body
        self.time_limit = time_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":  # the app has none: refuse before anything runs
            await send({"type": "websocket.close", "code": 1008})
            return
        if scope["type"] != "http":  # lifespan
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            status, message, extra = refusal
            await _answer(scope, send, status, message, extra)
            return
        if self.token is not None and not self._authorised(headers):
            query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True))
            if _same(query.get("token", ""), self.token):
                await self._redirect_with_cookie(scope, send, query)
            else:
                await _answer(scope, send, 401, "a token is required: use the link `parallax serve` "
                              "printed, or send `Authorization: Bearer TOKEN`",
                              [(b"www-authenticate", b"Bearer")])
            return
        if b"transfer-encoding" in headers:  # no length given: read it here, within the limit
            body = await self._read_limited(receive)
            if body is None:
                await _answer(scope, send, 413, f"request bodies are limited to {self.max_body} bytes", [])
                return
            receive = _replay(body, receive)
        await self._call_app(scope, receive, send)

    async def _read_limited(self, receive: Receive) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return b"".join(chunks)
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    def _refusal(
        self, scope: Scope, headers: dict[bytes, bytes]
    ) -> tuple[int, str, list[tuple[bytes, bytes]]] | None:
        if scope["method"] not in ALLOWED_METHODS:
            return 405, "this server is read-only: only GET and HEAD", [(b"allow", b"GET, HEAD")]
        length = headers.get(b"content-length", b"0")
        if not length.isdigit() or int(length) > self.max_body:
            return 413, f"request bodies are limited to {self.max_body} bytes", []
        if self.allowed_hosts is not None:
            host = _host_name(headers.get(b"host", b"").decode("latin-1"))
            if host not in self.allowed_hosts:
                return 400, "unknown Host header; open the address `parallax serve` printed", []
        return None

    def _authorised(self, headers: dict[bytes, bytes]) -> bool:
        authorization = headers.get(b"authorization", b"").decode("latin-1")
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == "bearer" and _same(value.strip(), self.token):
            return True
        cookie: SimpleCookie = SimpleCookie()
        try:
            cookie.load(headers.get(b"cookie", b"").decode("latin-1"))
        except Exception:  # noqa: BLE001 - a malformed cookie header is just no cookie
            return False
        morsel = cookie.get(TOKEN_COOKIE)
        return morsel is not None and _same(morsel.value, self.token)

    async def _redirect_with_cookie(self, scope: Scope, send: Send, query: dict[str, str]) -> None:
        del query["token"]
        location = scope.get("root_path", "") + scope["path"]
        if query:
            location += "?" + urlencode(query)
        assert self.token is not None
        cookie = f"{TOKEN_COOKIE}={self.token.decode('utf-8')}; Path=/; HttpOnly; SameSite=Strict"
        await _answer(scope, send, 303, "token accepted", [
            (b"location", location.encode("utf-8")), (b"set-cookie", cookie.encode("utf-8")),
        ])

    async def _call_app(self, scope: Scope, receive: Receive, send: Send) -> None:
        is_head = scope["method"] == "HEAD"
        if is_head:  # answer HEAD as GET without the body
            scope = dict(scope, method="GET")
        deadline = Deadline()
        scope[DEADLINE_KEY] = deadline
        timer = asyncio.get_running_loop().call_later(self.time_limit, deadline.expire)
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_body:
                raise _TooLarge
            return message

        async def guarded_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = dict(message, headers=_with_security(message.get("headers", [])))
            elif message["type"] == "http.response.body" and is_head:
                message = dict(message, body=b"")
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except _TooLarge:
            await _answer(scope, send, 413, f"request bodies are limited to {self.max_body} bytes", [])
        finally:
            timer.cancel()


class _TooLarge(Exception):
    pass


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that yields ``body`` once, then defers to the real one (disconnects)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _headers(scope: Scope) -> dict[bytes, bytes]:
    return {name.lower(): value for name, value in scope.get("headers", [])}


def _host_name(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):  # [::1]:8000
        return host[1:].split("]", 1)[0]
    if host.count(":") == 1:
        return host.split(":", 1)[0]
    return host


def _same(given: str, token: bytes | None) -> bool:
    return token is not None and bool(given) and hmac.compare_digest(given.encode("utf-8"), token)


def _with_security(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    names = {name for name, _ in SECURITY_HEADERS}
    kept = [(k, v) for k, v in headers if k.decode("latin-1").lower() not in names]
    return kept + [(k.encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS]


async def _answer(
    scope: Scope, send: Send, status: int, message: str, extra: list[tuple[bytes, bytes]]
) -> None:
    """Send a small error answer: JSON under /api, plain text elsewhere."""
    if scope.get("path", "").startswith("/api"):
        body = json.dumps({"detail": message}).encode("utf-8")
        kind = b"application/json"
    else:
        body = f"{status}: {message}\n".encode()
        kind = b"text/plain; charset=utf-8"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode()),
               (b"cache-control", b"no-store"), *extra]
    await send({"type": "http.response.start", "status": status, "headers": _with_security(headers)})
    await send({"type": "http.response.body", "body": b"" if scope.get("method") == "HEAD" else body})
