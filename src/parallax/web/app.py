"""The web app: server-rendered views and a JSON API over one read-only store.

Thin over :mod:`parallax.query`: each view opens a DuckDB cursor on the single
read-only connection, calls one or two query functions and renders the
result (HTML with Jinja2 autoescaping, or JSON through the response models
that also make the OpenAPI document). :class:`parallax.web.security.Guard`
wraps the whole app; see it for headers, methods, limits and tokens.

Every id in a path is checked against the id pattern before any query and
answers 404 otherwise, so nothing but a well-formed id ever reaches SQL (and
SQL is always parameterised).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator, Callable, Collection, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode, urlsplit

import duckdb
import jinja2
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, create_model
from starlette.exceptions import HTTPException as StarletteHTTPException

from parallax import __version__
from parallax import query as q
from parallax.report.story import build_story
from parallax.web.highlight import article_marks, layout
from parallax.web.security import DEADLINE_KEY, LOOPBACK_HOSTS, Guard
from parallax.web.watch import FolderWatcher, LiveReader, WatchStatus

__all__ = ["create_app"]

DEFAULT_LIMIT = 50
STATIC_FILES = {  # name -> (package, file, media type); nothing else is ever served
    "report.css": ("parallax.report", "static/report.css", "text/css; charset=utf-8"),
    "web.css": ("parallax.web", "static/web.css", "text/css; charset=utf-8"),
    "web.js": ("parallax.web", "static/web.js", "text/javascript; charset=utf-8"),
}
_MENTION_ANCHOR = re.compile(r"[ml]-\d{1,12}-\d{1,12}")  # an entity mention or a naming label
_UNSAFE_URL_CHARS = re.compile(r"[\x00-\x20\x7f-\x9f]")

T = TypeVar("T")


def _page_model(name: str, item: type) -> type[BaseModel]:
    return create_model(
        name, items=(list[item], ...), total=(int, ...), limit=(int, ...), offset=(int, ...),  # type: ignore[valid-type]
        next=(str | None, ...),
        __doc__=f"One page of {item.__name__} items; `next` is the URL of the next page or null.",
    )


ArticlePage = _page_model("ArticlePage", q.ArticleSummary)
EntityPage = _page_model("EntityPage", q.EntitySummary)
QuotePage = _page_model("QuotePage", q.QuoteRow)
EventPage = _page_model("EventPage", q.EventRow)
StoryPage = _page_model("StoryPage", q.StorySummary)
ClaimPage = _page_model("ClaimPage", q.ClaimRow)
SearchPage = _page_model("SearchPage", q.SearchHit)


class _GuardedApp(FastAPI):
    """FastAPI with :class:`Guard` outside everything, even its error middleware."""

    guard_options: dict[str, Any]

    def build_middleware_stack(self) -> Any:
        return Guard(super().build_middleware_stack(), **self.guard_options)


class Problem(BaseModel):
    detail: str


Limit = Annotated[int, Query(ge=1, le=q.MAX_LIMIT, description=f"Items per page (at most {q.MAX_LIMIT}).")]
Offset = Annotated[int, Query(ge=0, le=10**9, description="Items to skip.")]
ID_REGEX = q.ID_PATTERN.pattern


def create_app(
    store_path: str | Path,
    *,
    token: str | None = None,
    allowed_hosts: Collection[str] | None = LOOPBACK_HOSTS,
    time_limit: float = 10.0,
    max_body: int = 64 * 1024,
    watch: str | Path | None = None,
    watch_interval: float = 5.0,
    echo: Callable[[str], None] | None = None,
) -> FastAPI:
    """Return the app serving the store at ``store_path`` read-only.

    ``store_path`` is an ``--out`` folder or its ``parallax.duckdb``. With a
    ``token`` every request must carry it. ``allowed_hosts`` are the names the
    ``Host`` header may give (None: any, for a remote bind behind a token).
    Requests slower than ``time_limit`` seconds are stopped; bodies over
    ``max_body`` bytes are refused. With ``watch`` (a folder) new files
    dropped there are analysed into the store while the app runs (see
    ``web/watch.py``), polling every ``watch_interval`` seconds; ``echo``
    receives its progress lines.
    """
    reader: q.Reader | LiveReader
    watcher: FolderWatcher | None = None
    if watch is None:
        reader = q.open_reader(store_path)
        _lock_down(reader)
    else:
        reader = LiveReader(store_path, on_open=_lock_down)
        watcher = FolderWatcher(watch, reader, interval=watch_interval, echo=echo)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if watcher is not None:
            watcher.start()
        yield
        if watcher is not None:
            watcher.stop()
        reader.close()

    api = _GuardedApp(
        title="Parallax", version=__version__, lifespan=lifespan,
        description="Read-only views and JSON API over one Parallax store.",
        docs_url=None, redoc_url=None, openapi_url="/api/openapi.json",  # docs pages load CDN scripts
    )
    api.guard_options = {"token": token, "allowed_hosts": allowed_hosts,
                         "time_limit": time_limit, "max_body": max_body}
    api.state.reader = reader
    api.state.watcher = watcher
    api.state.time_limit = time_limit
    _add_error_handlers(api)
    _add_api_routes(api)
    _add_page_routes(api)
    return api


# --- plumbing ---------------------------------------------------------------


def _lock_down(reader: q.Reader) -> None:
    """No file or network access from SQL, and no way to turn it back on.

    The app only runs its own parameterised queries; this is defence in depth.
    The settings belong to the database instance, which DuckDB shares between
    connections to one file in one process: a second app on the same store
    finds them already set.
    """
    cursor = reader.cursor()
    try:
        setting = "SELECT current_setting(?)"
        if cursor.execute(setting, ["enable_external_access"]).fetchone() != (False,):
            cursor.execute("SET enable_external_access = false")
        if cursor.execute(setting, ["lock_configuration"]).fetchone() != (True,):
            cursor.execute("SET lock_configuration = true")
    finally:
        cursor.close()


def _cursor(request: Request) -> Iterator[duckdb.DuckDBPyConnection]:
    cursor = request.app.state.reader.cursor()
    deadline = request.scope.get(DEADLINE_KEY)
    if deadline is not None:
        deadline.attach(cursor)
    try:
        yield cursor
    finally:
        if deadline is not None:
            deadline.detach(cursor)
        cursor.close()


Db = Annotated[duckdb.DuckDBPyConnection, Depends(_cursor)]


def _check_id(value: str, prefix: str) -> str:
    if not q.is_id(value, prefix):
        raise HTTPException(404, f"no {prefix}_ id {value[:40]!r}: ids look like {prefix}_0123456789abcdef")
    return value


def _found(value: T | None, what: str, ident: str) -> T:
    if value is None:
        raise HTTPException(404, f"no {what} {ident} in this store")
    return value


def _page(request: Request, page: q.Page[Any]) -> dict[str, Any]:
    following = page.next_offset
    next_url = None
    if following is not None:
        params = dict(request.query_params)
        params.update(offset=str(following), limit=str(page.limit))
        next_url = f"{request.url.path}?{urlencode(params)}"
    return {"items": list(page.items), "total": page.total, "limit": page.limit,
            "offset": page.offset, "next": next_url}


def _add_error_handlers(api: FastAPI) -> None:
    @api.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        detail = str(error.detail)
        if request.url.path.startswith("/api"):
            return JSONResponse({"detail": detail}, status_code=error.status_code,
                                headers=getattr(error, "headers", None))
        html = _render("error.html.j2", title=f"{error.status_code}", status=error.status_code, detail=detail, q="")
        return HTMLResponse(html, status_code=error.status_code, headers=getattr(error, "headers", None))

    @api.exception_handler(duckdb.InterruptException)
    async def timed_out(request: Request, _: Exception) -> Response:
        detail = f"the request took longer than {request.app.state.time_limit:g} s and was stopped"
        if request.url.path.startswith("/api"):
            return JSONResponse({"detail": detail}, status_code=503)
        return HTMLResponse(_render("error.html.j2", title="503", status=503, detail=detail, q=""), status_code=503)


# --- JSON API ---------------------------------------------------------------

_ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": Problem}}


def _add_api_routes(api: FastAPI) -> None:
    @api.get("/api/stories", response_model=StoryPage, tags=["stories"])
    def api_stories(request: Request, db: Db, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> Any:
        """Stories, latest first (empty until stories are built)."""
        return _page(request, q.list_stories(db, limit=limit, offset=offset))

    @api.get("/api/stories/{story_id}", response_model=q.StoryDetail, responses=_ERRORS, tags=["stories"])
    def api_story(story_id: str, db: Db) -> Any:
        """One story with its articles, claims, events and quotes."""
        return _found(q.get_story(db, _check_id(story_id, "sto")), "story", story_id)

    @api.get("/api/articles", response_model=ArticlePage, tags=["articles"])
    def api_articles(
        request: Request, db: Db, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
        outlet: Annotated[str | None, Query(max_length=500)] = None,
        flag: Annotated[str | None, Query(max_length=100)] = None,
        story: Annotated[str | None, Query(pattern=ID_REGEX)] = None,
    ) -> Any:
        """Articles in input order."""
        return _page(request, q.list_articles(db, limit=limit, offset=offset, outlet=outlet,
                                              flag=flag, story=story))

    @api.get("/api/articles/{article_id}", response_model=q.ArticleDetail, responses=_ERRORS,
             tags=["articles"])
    def api_article(article_id: str, db: Db) -> Any:
        """One article: text, removed pieces, flags, entities, quotes, events, dates, claims."""
        return _found(q.get_article(db, _check_id(article_id, "art")), "article", article_id)

    @api.get("/api/entities", response_model=EntityPage, tags=["entities"])
    def api_entities(
        request: Request, db: Db, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
        type: Annotated[str | None, Query(max_length=40)] = None,  # noqa: A002
        name: Annotated[str | None, Query(max_length=q.MAX_QUERY_CHARS)] = None,
    ) -> Any:
        """Entities, most mentioned first; `name` matches names and aliases."""
        return _page(request, q.list_entities(db, limit=limit, offset=offset, type=type, name=name))

    @api.get("/api/entities/{entity_id}", response_model=q.EntityDetail, responses=_ERRORS,
             tags=["entities"])
    def api_entity(entity_id: str, db: Db) -> Any:
        """One entity: aliases, mentions in context, names per outlet, quotes, events."""
        return _found(q.get_entity(db, _check_id(entity_id, "ent")), "entity", entity_id)

    @api.get("/api/quotes", response_model=QuotePage, tags=["quotes"])
    def api_quotes(
        request: Request, db: Db, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
        article: Annotated[str | None, Query(pattern=ID_REGEX)] = None,
        speaker: Annotated[str | None, Query(pattern=ID_REGEX)] = None,
        kind: Annotated[str | None, Query(max_length=40)] = None,
    ) -> Any:
        """Quotes in article order."""
        return _page(request, q.list_quotes(db, limit=limit, offset=offset, article=article,
                                            speaker=speaker, kind=kind))

    @api.get("/api/events", response_model=EventPage, tags=["events"])
    def api_events(
        request: Request, db: Db, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
        article: Annotated[str | None, Query(pattern=ID_REGEX)] = None,
        type: Annotated[str | None, Query(max_length=40)] = None,  # noqa: A002
        entity: Annotated[str | None, Query(pattern=ID_REGEX)] = None,
    ) -> Any:
        """Events (PLOVER) in article order."""
        return _page(request, q.list_events(db, limit=limit, offset=offset, article=article,
                                            type=type, entity=entity))

    @api.get("/api/claims", response_model=ClaimPage, tags=["claims"])
    def api_claims(
        request: Request, db: Db, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
        story: Annotated[str | None, Query(pattern=ID_REGEX)] = None,
        article: Annotated[str | None, Query(pattern=ID_REGEX)] = None,
    ) -> Any:
        """Claims with mentions and contradictions (empty until claims are built)."""
        return _page(request, q.list_claims(db, limit=limit, offset=offset, story=story,
                                            article=article))

    @api.get("/api/search", response_model=SearchPage, tags=["search"])
    def api_search(
        request: Request, db: Db,
        q_: Annotated[str, Query(alias="q", max_length=q.MAX_QUERY_CHARS)] = "",
        kind: Annotated[list[str] | None, Query(description="article, entity or quote")] = None,
        limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
    ) -> Any:
        """Articles, entities and quotes containing every word of `q` (case-insensitive)."""
        kinds = tuple(kind) if kind else q.SEARCH_KINDS
        return _page(request, q.search(db, q_, limit=limit, offset=offset, kinds=kinds))

    @api.get("/api/watch", response_model=WatchStatus, responses=_ERRORS, tags=["watch"])
    def api_watch(request: Request) -> Any:
        """The watched folder's state (`parallax serve --watch`): updates, last error, articles."""
        watcher: FolderWatcher | None = request.app.state.watcher
        if watcher is None:
            raise HTTPException(404, "this server is not watching a folder (start it with --watch)")
        return watcher.status()


# --- HTML views ---------------------------------------------------------------


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([  # the story macros are shared with report.html
            jinja2.PackageLoader("parallax.web", "templates"),
            jinja2.PackageLoader("parallax.report", "templates"),
        ]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["http_href"] = _http_href
    env.filters["entity_href"] = lambda i: f"/entities/{i}" if isinstance(i, str) and q.is_id(i, "ent") else None
    env.globals["is_id"] = q.is_id
    env.tests["anchor_ok"] = lambda a: isinstance(a, str) and bool(q.is_id(a) or _MENTION_ANCHOR.fullmatch(a))
    return env


def _render(template: str, **context: Any) -> str:
    return _environment().get_template(template).render(version=__version__, **context)


def _html(template: str, **context: Any) -> HTMLResponse:
    context.setdefault("q", "")
    return HTMLResponse(_render(template, **context), headers={"cache-control": "no-store"})


def _http_href(url: Any) -> str | None:
    """``url`` if it is safe to link: plain http(s) with a host; else None."""
    if not isinstance(url, str) or not url or _UNSAFE_URL_CHARS.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _pager(request: Request, page: q.Page[Any]) -> dict[str, Any]:
    def link(offset: int) -> str:
        params = dict(request.query_params)
        params["offset"] = str(offset)
        return f"{request.url.path}?{urlencode(params)}"

    following = page.next_offset
    return {
        "total": page.total,
        "first": page.offset + 1 if page.items else 0,
        "last": page.offset + len(page.items),
        "prev": link(max(0, page.offset - page.limit)) if page.offset > 0 else None,
        "next": link(following) if following is not None else None,
    }


def _add_page_routes(api: FastAPI) -> None:
    @api.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request, db: Db, offset: Offset = 0) -> Response:
        stories = q.list_stories(db, limit=DEFAULT_LIMIT, offset=offset)
        if stories.total:
            return _html("stories.html.j2", title="Stories", stories=stories.items,
                         pages=_pager(request, stories))
        return articles_page(request, db, offset=offset)

    @api.get("/articles", response_class=HTMLResponse, include_in_schema=False)
    def articles_page(
        request: Request, db: Db, offset: Offset = 0,
        outlet: Annotated[str | None, Query(max_length=500)] = None,
        flag: Annotated[str | None, Query(max_length=100)] = None,
    ) -> Response:
        page = q.list_articles(db, limit=DEFAULT_LIMIT, offset=offset, outlet=outlet, flag=flag)
        return _html("articles.html.j2", title="Articles", articles=page.items,
                     pages=_pager(request, page), outlet=outlet, flag=flag)

    @api.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(article_id: str, db: Db) -> Response:
        article = _found(q.get_article(db, _check_id(article_id, "art")), "article", article_id)
        paragraphs, stray = layout(
            article.text, article_marks(article), [(r.at, r.reason, r.text) for r in article.removed]
        )
        entity_names = {e.id: e.name for e in article.entities}
        local = {e.id for e in article.entities} | {x for v in article.events for x in (v.actor, v.target, v.place) if x}
        local |= {x.speaker for x in article.quotes if x.speaker}
        return _html("article.html.j2", title=article.title or article.id, a=article,
                     paragraphs=paragraphs, stray_cuts=stray, entity_names=entity_names,
                     removed_reasons=_reasons(article), corpus_of=q.corpus_entity_ids(db, sorted(local)))

    @api.get("/entities", response_class=HTMLResponse, include_in_schema=False)
    def entities_page(
        request: Request, db: Db, offset: Offset = 0,
        type: Annotated[str | None, Query(max_length=40)] = None,  # noqa: A002
        name: Annotated[str | None, Query(max_length=q.MAX_QUERY_CHARS)] = None,
    ) -> Response:
        page = q.list_entities(db, limit=DEFAULT_LIMIT, offset=offset, type=type, name=name)
        return _html("entities.html.j2", title="Entities", entities=page.items,
                     pages=_pager(request, page), type=type, name=name or "")

    @api.get("/entities/{entity_id}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(entity_id: str, db: Db) -> Response:
        entity = _found(q.get_entity(db, _check_id(entity_id, "ent")), "entity", entity_id)
        return _html("entity.html.j2", title=entity.name, e=entity)

    @api.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str, db: Db) -> Response:
        document = _found(q.story_document(db, _check_id(story_id, "sto")), "story", story_id)
        view = _found(build_story(document, story_id, link=_article_href, entity_link=_entity_href),
                      "story", story_id)
        return _html("story.html.j2", title=view.title, v=view)

    @api.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        request: Request, db: Db, offset: Offset = 0,
        q_: Annotated[str, Query(alias="q", max_length=q.MAX_QUERY_CHARS)] = "",
    ) -> Response:
        page = q.search(db, q_, limit=DEFAULT_LIMIT, offset=offset)
        return _html("search.html.j2", title=f"Search: {q_}" if q_ else "Search", hits=page.items,
                     pages=_pager(request, page), q=q_, terms=q.search_terms(q_))

    @api.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        if name not in STATIC_FILES:
            raise HTTPException(404, "no such file")
        return Response(_static(name), media_type=STATIC_FILES[name][2],
                        headers={"cache-control": "max-age=300"})


def _article_href(article: str, anchor: str | None) -> str | None:
    """URL of an article page, scrolled to ``anchor`` (a record id or mention anchor) when given."""
    if not q.is_id(article, "art"):
        return None
    if anchor and (q.is_id(anchor) or _MENTION_ANCHOR.fullmatch(anchor)):
        return f"/articles/{article}#{anchor}"
    return f"/articles/{article}"


def _entity_href(entity: str) -> str | None:
    return f"/entities/{entity}" if q.is_id(entity, "ent") else None


def _reasons(article: q.ArticleDetail) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for piece in article.removed:
        counts[piece.reason] = counts.get(piece.reason, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


@lru_cache(maxsize=len(STATIC_FILES))
def _static(name: str) -> bytes:
    package, path, _ = STATIC_FILES[name]
    return resources.files(package).joinpath(path).read_bytes()
