"""The input edge: files, folders and URLs in, ``SourceDocument``/``InputFailure`` out.

Every input is accounted for. Each yields at least one ``SourceDocument`` or
an ``InputFailure`` whose message names what is wrong and, where it helps,
how to fix it; containers (JSON lists, JSON Lines, feeds, WARCs) may also
yield one failure per bad record. Nothing a user can feed in makes
``iter_documents`` raise: only programming errors do.

Formats (``SourceDocument.format``): ``txt``, ``html``, ``json``, ``jsonl``,
``rss`` (RSS, RDF and Atom), ``warc`` and ``url`` (an HTML or text page
fetched from a URL). Records inside containers are located with a 1-based
suffix: ``dump.json#item=3``, ``dump.jsonl#line=12``, ``feed.xml#item=2``,
``crawl.warc.gz#record=7``.
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from parallax.io.decode import decode_bytes, sniff_binary, sniff_charset
from parallax.io.feeds import is_feed_root, parse_feed, root_element
from parallax.io.fetch import Fetcher, FetchError
from parallax.io.jsondocs import parse_json, parse_jsonl
from parallax.io.limits import DEFAULT_MAX_BYTES, over_limit
from parallax.io.markup import find_canonical_url, find_declared_language, is_html_text
from parallax.io.plaintext import split_header
from parallax.io.warc import is_warc_start, parse_warc
from parallax.records import InputFailure, SourceDocument

__all__ = ["DEFAULT_MAX_BYTES", "iter_documents"]

Outcome = SourceDocument | InputFailure
FileReader = Callable[[str, str], Iterator[Outcome]]  # (path, label) -> outcomes

_HEAD_BYTES = 4096
_URL_INPUT = re.compile(r"https?://", re.IGNORECASE)
_OTHER_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
# "www.example.com" or "example.com/news/x": a URL typed without its scheme.
_LOOKS_LIKE_DOMAIN = re.compile(
    r"www\.[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/\S*)?|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/\S*", re.I
)
_GZIP_MAGIC = b"\x1f\x8b"

_KIND_BY_EXTENSION = {
    ".txt": "txt", ".text": "txt", ".md": "txt", ".markdown": "txt",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".rss": "feed", ".atom": "feed", ".xml": "xml", ".warc": "warc",
}  # fmt: skip
_NOT_ARTICLES = {
    ".css": "a CSS stylesheet",
    ".js": "JavaScript code",
    ".mjs": "JavaScript code",
    ".map": "a source map",
    ".csv": "a CSV table; export one article per row as JSON Lines (.jsonl) instead",
    ".tsv": "a TSV table; export one article per row as JSON Lines (.jsonl) instead",
}
_KIND_BY_MEDIA_TYPE = {
    "text/html": "html", "application/xhtml+xml": "html", "text/plain": "txt",
    "text/markdown": "txt", "application/json": "json", "text/json": "json",
    "application/x-ndjson": "jsonl", "application/jsonl": "jsonl",
    "application/x-jsonlines": "jsonl", "application/rss+xml": "feed",
    "application/atom+xml": "feed", "application/rdf+xml": "feed", "text/xml": "xml",
    "application/xml": "xml", "application/warc": "warc",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Origin:
    """Where a payload came from: its label, its likely kind and what its source declared."""

    label: str
    kind: str | None  # from the file extension or Content-Type; None: sniff the content
    charset: str | None = None  # declared by an HTTP header
    url: str | None = None  # final URL when fetched; documents then get format "url"
    notes: tuple[str, ...] = ()


def iter_documents(
    inputs: Sequence[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    allow_private: bool = False,
    follow_symlinks: bool = False,
    fetcher: Fetcher | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[SourceDocument | InputFailure]:
    """Read files, folders (recursively, sorted, hidden entries skipped) and http(s) URLs.

    Args:
        inputs: paths and URLs as the user gave them; they label every outcome.
        allow_private: let URLs reach loopback, private and link-local addresses.
        follow_symlinks: inside folders, read symlinks that stay inside the
            folder given; links are never followed out of it.
        fetcher: the ``Fetcher`` for URLs (tests inject one with a mock
            transport); by default one is made and closed here.
        max_bytes: larger files, pages and WARC records are refused.
    """
    reader = _Reader(
        allow_private=allow_private,
        follow_symlinks=follow_symlinks,
        fetcher=fetcher,
        max_bytes=max_bytes,
    )
    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]  # one path given bare, not a list of its characters
    try:
        for item in inputs:
            given = os.fspath(item)
            yield from _at_least_one(reader.read_input(given), given)
    finally:
        reader.close()


class _Reader:
    """Holds the run's settings and the (lazily made) fetcher."""

    def __init__(
        self, *, allow_private: bool, follow_symlinks: bool, fetcher: Fetcher | None, max_bytes: int
    ) -> None:
        self.allow_private = allow_private
        self.follow_symlinks = follow_symlinks
        self.max_bytes = max_bytes
        self._fetcher = fetcher
        self._owns_fetcher = fetcher is None

    def close(self) -> None:
        if self._owns_fetcher and self._fetcher is not None:
            self._fetcher.close()

    def read_input(self, given: str) -> Iterator[Outcome]:
        if _URL_INPUT.match(given):
            yield from self._read_url(given)
            return
        scheme = _OTHER_SCHEME.match(given)
        if scheme:
            message = f"unsupported URL scheme {scheme.group(1)!r}: give an http(s) URL or a path"
            yield InputFailure(input=given, error=message)
            return
        yield from self._read_path(given)

    def _read_path(self, given: str) -> Iterator[Outcome]:
        try:
            info = os.stat(given)
        except (OSError, ValueError) as error:
            yield InputFailure(input=given, error=_describe_missing(given, error))
            return
        if stat.S_ISDIR(info.st_mode):
            yield from self._read_folder(given)
        elif stat.S_ISREG(info.st_mode):
            yield from self._read_file(given, given)
        else:
            yield InputFailure(input=given, error=_not_regular(info.st_mode))

    def _read_folder(self, folder: str) -> Iterator[Outcome]:
        outcomes = _FolderWalk(folder, follow_symlinks=self.follow_symlinks).run(self._read_file)
        found = False
        for outcome in outcomes:
            found = True
            yield outcome
        if not found:
            yield InputFailure(
                input=folder,
                error="is a directory with no supported files "
                "(it is empty, or holds only hidden files and folders, which are skipped)",
            )

    def _read_file(self, path: str, label: str) -> Iterator[Outcome]:
        """Read one regular file; WARCs are streamed, everything else read whole under the cap."""
        try:
            handle = open(path, "rb")  # noqa: SIM115 - kept open while a WARC streams
        except OSError as error:
            yield InputFailure(input=label, error=_describe_os_error(error))
            return
        with handle:
            try:
                size = os.fstat(handle.fileno()).st_size
                head = handle.read(_HEAD_BYTES)
            except OSError as error:
                yield InputFailure(input=label, error=_describe_os_error(error))
                return
            if is_warc_start(head) or _is_gzipped_warc(head):
                handle.seek(0)
                yield from _at_least_one(parse_warc(handle, label, max_bytes=self.max_bytes), label)
                return
            if size > self.max_bytes:
                yield InputFailure(input=label, error=over_limit("file", size, self.max_bytes))
                return
            try:
                data = head + handle.read(self.max_bytes + 1 - len(head))
            except OSError as error:
                yield InputFailure(input=label, error=_describe_os_error(error))
                return
        if len(data) > self.max_bytes:  # it grew since we looked
            yield InputFailure(input=label, error=over_limit("file", len(data), self.max_bytes))
            return
        origin = _Origin(label=label, kind=_kind_from_name(path))
        yield from _at_least_one(_parse_payload(data, origin, self.max_bytes, path), label)

    def _read_url(self, url: str) -> Iterator[Outcome]:
        if self._fetcher is None:
            self._fetcher = Fetcher()
        try:
            page = self._fetcher.fetch(
                url, allow_private=self.allow_private, max_bytes=self.max_bytes
            )
        except FetchError as error:
            yield InputFailure(input=url, error=str(error))
            return
        origin = _Origin(
            label=url,
            kind=_KIND_BY_MEDIA_TYPE.get(page.content_type),
            charset=page.charset,
            url=page.url,
            notes=(f"redirected to {page.url}",) if page.redirects else (),
        )
        name = page.url.split("?")[0].split("#")[0]
        yield from _parse_payload(page.content, origin, self.max_bytes, name)


class _FolderWalk:
    """Walk a folder depth-first in sorted order without recursion (deep trees are fine).

    Hidden entries are skipped silently; symlinks are refused unless
    ``follow_symlinks`` is set, and even then only while they stay inside the folder.
    """

    def __init__(self, folder: str, *, follow_symlinks: bool) -> None:
        self.folder = folder
        self.root = os.path.realpath(folder)
        self.follow_symlinks = follow_symlinks
        self.visited = {self.root}

    def run(self, read_file: FileReader) -> Iterator[Outcome]:
        stack: list[Iterator[os.DirEntry[str]]] = []
        listing = _list_folder(self.folder)
        if isinstance(listing, InputFailure):
            yield listing
            return
        stack.append(iter(listing))
        while stack:
            entry = next(stack[-1], None)
            if entry is None:
                stack.pop()
                continue
            if entry.name.startswith("."):
                continue
            target = self._resolve(entry)
            if isinstance(target, InputFailure):
                yield target
            elif target == "dir":
                sub = _list_folder(entry.path)
                if isinstance(sub, InputFailure):
                    yield sub
                else:
                    stack.append(iter(sub))
            elif target == "file":
                yield from read_file(entry.path, entry.path)

    def _resolve(self, entry: os.DirEntry[str]) -> str | InputFailure:
        """Return ``"dir"`` or ``"file"`` for an entry to read, or a failure saying why not."""
        try:
            if entry.is_symlink():
                return self._resolve_link(entry)
            if entry.is_dir(follow_symlinks=False):
                self.visited.add(os.path.realpath(entry.path))
                return "dir"
            if entry.is_file(follow_symlinks=False):
                return "file"
            mode = entry.stat(follow_symlinks=False).st_mode
        except OSError as error:
            return InputFailure(input=entry.path, error=_describe_os_error(error))
        return InputFailure(input=entry.path, error=_not_regular(mode))

    def _resolve_link(self, entry: os.DirEntry[str]) -> str | InputFailure:
        if not self.follow_symlinks:
            return InputFailure(
                input=entry.path,
                error="is a symlink; skipped (use --follow-symlinks to read links "
                "that stay inside the folder)",
            )
        target = os.path.realpath(entry.path)
        if os.path.commonpath([self.root, target]) != self.root:
            return InputFailure(
                input=entry.path,
                error=f"is a symlink pointing outside {self.folder} (to {target}); not followed",
            )
        if not os.path.exists(target):
            return InputFailure(
                input=entry.path, error="is a broken symlink (its target is missing)"
            )
        if os.path.isdir(target):
            if target in self.visited:
                return InputFailure(
                    input=entry.path,
                    error=f"is a symlink to a folder already read ({target}); skipped",
                )
            self.visited.add(target)
            return "dir"
        if os.path.isfile(target):
            return "file"
        return InputFailure(input=entry.path, error=_not_regular(os.stat(target).st_mode))


def _parse_payload(data: bytes, origin: _Origin, max_bytes: int, name: str) -> Iterator[Outcome]:
    """Turn a file's or page's bytes into documents, after unpacking and sniffing them."""
    if not data:
        yield InputFailure(input=origin.label, error="empty file")
        return
    if data.startswith(_GZIP_MAGIC):
        yield from _parse_gzip(data, origin, max_bytes, name)
        return
    if origin.kind == "warc" or is_warc_start(data):
        stream = io.BytesIO(data)
        yield from _at_least_one(
            parse_warc(stream, origin.label, max_bytes=max_bytes), origin.label
        )
        return
    binary = sniff_binary(data)
    if binary:
        yield InputFailure(input=origin.label, error=f"binary file ({binary}), not an article")
        return
    extension = _extension(name)
    if origin.kind is None and extension in _NOT_ARTICLES:
        message = f"is {_NOT_ARTICLES[extension]}, not an article"
        yield InputFailure(input=origin.label, error=message)
        return
    text, note = decode_bytes(data, origin.charset or sniff_charset(data))
    if not text.strip():
        yield InputFailure(input=origin.label, error="empty file (only whitespace)")
        return
    yield from _parse_text(text, data, origin, note)


def _parse_gzip(data: bytes, origin: _Origin, max_bytes: int, name: str) -> Iterator[Outcome]:
    if _is_gzipped_warc(data):
        stream = io.BytesIO(data)
        yield from _at_least_one(
            parse_warc(stream, origin.label, max_bytes=max_bytes), origin.label
        )
        return
    inner = _gunzip(data, max_bytes)
    if isinstance(inner, str):
        yield InputFailure(input=origin.label, error=inner)
        return
    if inner.startswith(_GZIP_MAGIC):
        yield InputFailure(input=origin.label, error="gzip inside gzip; decompress it first")
        return
    inner_name = name[:-3] if name.lower().endswith(".gz") else name
    kind = origin.kind if origin.kind not in (None, "warc") else _kind_from_name(inner_name)
    yield from _parse_payload(inner, replace(origin, kind=kind), max_bytes, inner_name)


def _parse_text(
    text: str, data: bytes, origin: _Origin, decode_note: str | None
) -> Iterator[Outcome]:
    """Dispatch decoded text to the reader for its (declared or sniffed) kind."""
    kind, kind_note = _settle_kind(origin.kind, text)
    if kind == "feed":  # feedparser decodes the raw bytes itself, so no decoding note
        yield from parse_feed(data, origin.label, origin.notes)
        return
    added = tuple(note for note in (decode_note, kind_note) if note)
    origin = replace(origin, notes=(*origin.notes, *added))
    if kind == "html":
        yield _html_document(text, origin)
    elif kind == "json":
        yield from _relabel_json(parse_json(text, origin.label, origin.notes), origin)
    elif kind == "jsonl":
        yield from parse_jsonl(text, origin.label, origin.notes)
    elif kind == "txt":
        yield _text_document(text, origin)
    else:
        root = root_element(text)
        found = f" (root element <{root}>)" if root else ""
        sitemap = "; it is a sitemap: pass the article URLs instead" if root == "urlset" else ""
        error = f"XML file is not an RSS or Atom feed{found}{sitemap}"
        yield InputFailure(input=origin.label, error=error)


def _settle_kind(kind: str | None, text: str) -> tuple[str, str | None]:
    """Decide how to read ``text``: trust a clear extension, sniff the rest.

    Returns the kind (``txt``, ``html``, ``json``, ``jsonl``, ``feed`` or
    ``xml`` for XML that is neither feed nor page) and a note when the
    content overrode the file's name.
    """
    start = text.lstrip()[:1]
    root = root_element(text) if start == "<" else None
    if kind == "txt" and root and root.lower() == "html":
        return "html", "file named as text holds an HTML page; read it as HTML"
    if kind == "xml" or (kind is None and start == "<"):
        if is_feed_root(root):
            return "feed", None
        if is_html_text(text):
            return "html", None
        is_xml = kind == "xml" or text.lstrip().startswith("<?xml")
        return ("xml" if is_xml else "txt"), None
    if kind is not None:
        return kind, None
    if start == "{":
        return "json", None
    if start == "[" and _is_json(text):
        return "json", None
    return "txt", None


def _html_document(text: str, origin: _Origin) -> SourceDocument:
    return SourceDocument(
        input=origin.label,
        format="url" if origin.url else "html",
        html=text,
        url=find_canonical_url(text, origin.url) or origin.url,
        language=find_declared_language(text),
        notes=origin.notes,
    )


def _text_document(text: str, origin: _Origin) -> SourceDocument:
    parts = split_header(text)
    return SourceDocument(
        input=origin.label,
        format="url" if origin.url else "txt",
        text=parts.body,
        title=parts.title,
        url=parts.url or origin.url,
        published=parts.published,
        authors=parts.authors,
        notes=origin.notes,
    )


def _relabel_json(outcomes: Iterable[Outcome], origin: _Origin) -> Iterator[Outcome]:
    """Fill a fetched JSON article's missing URL with the page's URL."""
    for outcome in outcomes:
        if isinstance(outcome, SourceDocument) and origin.url and outcome.url is None:
            outcome = replace(outcome, url=origin.url)
        yield outcome


def _at_least_one(outcomes: Iterable[Outcome], label: str) -> Iterator[Outcome]:
    """Pass outcomes through; if there were none, say so, so no input goes missing."""
    empty = True
    for outcome in outcomes:
        empty = False
        yield outcome
    if empty:
        yield InputFailure(input=label, error="no articles found")


def _list_folder(path: str) -> list[os.DirEntry[str]] | InputFailure:
    try:
        with os.scandir(path) as entries:
            return sorted(entries, key=lambda entry: entry.name)
    except OSError as error:
        return InputFailure(input=path, error=_describe_os_error(error))


def _gunzip(data: bytes, max_bytes: int) -> bytes | str:
    """Decompress every gzip member, stopping past ``max_bytes`` (no decompression bombs)."""
    parts: list[bytes] = []
    size = 0
    remaining = data
    while remaining:
        decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            part = decompressor.decompress(remaining, max_bytes + 1 - size)
        except zlib.error as error:
            return f"corrupt gzip data ({error})"
        size += len(part)
        if size > max_bytes:
            return over_limit("decompressed content", None, max_bytes)
        parts.append(part)
        if not decompressor.eof:
            return "gzip data is truncated"
        remaining = decompressor.unused_data.lstrip(b"\x00")
    return b"".join(parts)


def _is_gzipped_warc(head: bytes) -> bool:
    if not head.startswith(_GZIP_MAGIC):
        return False
    try:
        start = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS).decompress(head[:_HEAD_BYTES], 16)
    except zlib.error:
        return False
    return is_warc_start(start)


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def _extension(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def _kind_from_name(name: str) -> str | None:
    lowered = name.lower()
    if lowered.endswith((".warc.gz", ".warc")):
        return "warc"
    if lowered.endswith(".gz"):
        lowered = lowered[:-3]
    return _KIND_BY_EXTENSION.get(_extension(lowered))


def _describe_missing(given: str, error: OSError | ValueError) -> str:
    if not isinstance(error, OSError):
        return "invalid path (it contains a NUL character)"
    if isinstance(error, FileNotFoundError):
        if os.path.islink(given):
            return "is a broken symlink (its target is missing)"
        if _LOOKS_LIKE_DOMAIN.fullmatch(given):
            return f"not found (did you mean the URL https://{given} ?)"
        return "not found (no such file or folder)"
    return _describe_os_error(error)


def _describe_os_error(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied (make it readable, e.g. chmod a+r)"
    if isinstance(error, FileNotFoundError):
        return "not found (it disappeared while being read)"
    if isinstance(error, IsADirectoryError):
        return "is a directory"
    return f"could not read: {error.strerror or error}"


def _not_regular(mode: int) -> str:
    kinds = (
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    )
    kind = next((name for test, name in kinds if test(mode)), None)
    return f"is {kind}, not a regular file; skipped" if kind else "is not a regular file; skipped"
