"""The input edge: read files, folders and URLs into ``SourceDocument`` records.

``iter_documents`` is the entry point; the other modules are its readers
(``decode``, ``plaintext``, ``markup``, ``jsondocs``, ``feeds``, ``warc``)
and the guarded URL ``fetch``er. No NLP happens here.
"""

from parallax.io.decode import decode_bytes
from parallax.io.fetch import FetchedPage, Fetcher, FetchError
from parallax.io.limits import DEFAULT_MAX_BYTES
from parallax.io.sources import iter_documents

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FetchError",
    "FetchedPage",
    "Fetcher",
    "decode_bytes",
    "iter_documents",
]
