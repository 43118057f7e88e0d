"""Near-duplicate detection: syndicated copies, reposts, the same page saved twice.

MinHash signatures over word shingles, candidate pairs from an LSH index (never
all pairs), then the exact shingle Jaccard of each candidate pair confirms it.
Duplicates are marked, not dropped: ``duplicate_of`` names the original, which
is the earliest-published article (ties: the one seen first).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

NUM_PERM = 128
SHINGLE = 5
LSH_THRESHOLD = 0.45  # the index's threshold for the default confirmation threshold 0.7
MAX_CHARS = 200_000  # only the first this many characters of a huge article are fingerprinted
_CHUNK = 16_384  # shingles permuted at a time: bounds memory for long texts
SCHEME = "affine32"  # fixed so stored signatures stay comparable across datasketch upgrades
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What duplicate detection needs to know about one article."""

    article_id: str
    signature: tuple[int, ...]  # MinHash hash values, NUM_PERM of them
    shingles: frozenset[int]    # hashed word shingles (for exact confirmation)


def shingle(text: str, size: int = SHINGLE) -> frozenset[int]:
    """Hash word ``size``-grams of the case-folded text (single words for short texts)."""
    words = [w.casefold() for w in _WORD.findall(text)]
    if len(words) < size:
        return frozenset({_stable_hash(" ".join(words))}) if words else frozenset()
    return frozenset(
        _stable_hash(" ".join(words[i : i + size])) for i in range(len(words) - size + 1)
    )


def _stable_hash(gram: str) -> int:
    """A 64-bit hash that, unlike ``hash()``, is the same in every process."""
    digest = hashlib.blake2b(gram.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


_PRIME = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)
_RNG = np.random.RandomState(1)
_A = _RNG.randint(1, (1 << 32) - 1, size=NUM_PERM, dtype=np.uint64)
_B = _RNG.randint(0, (1 << 32) - 1, size=NUM_PERM, dtype=np.uint64)


def fingerprint(article_id: str, text: str) -> Fingerprint:
    """Build the MinHash signature of ``text`` (vectorised: the shingles are hashes already).

    Only the first ``MAX_CHARS`` characters count, so a 50 MB page costs what a
    long article costs; the shingles are permuted ``_CHUNK`` at a time.
    """
    grams = shingle(text[:MAX_CHARS])
    return Fingerprint(article_id=article_id, signature=signature_of(grams), shingles=grams)


def signature_of(grams: frozenset[int]) -> tuple[int, ...]:
    """The MinHash signature of a set of hashed shingles."""
    if not grams:
        return (int(_MAX_HASH),) * NUM_PERM
    values = np.fromiter(grams, dtype=np.int64, count=len(grams)).astype(np.uint64) & _MAX_HASH
    best = np.full(NUM_PERM, _MAX_HASH, dtype=np.uint64)
    for at in range(0, len(values), _CHUNK):
        part = values[at : at + _CHUNK]
        permuted = ((part[None, :] * _A[:, None] + _B[:, None]) % _PRIME) & _MAX_HASH
        best = np.minimum(best, permuted.min(axis=1))
    return tuple(int(v) for v in best)


def lsh_bands(threshold: float = LSH_THRESHOLD) -> tuple[int, int]:
    """(bands, rows) that ``datasketch.MinHashLSH`` picks for ``threshold``: the same blocking."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return lsh.b, lsh.r


def band_hashes(signature: Sequence[int], bands: int, rows: int) -> tuple[int, ...]:
    """One signed 64-bit hash per LSH band: two articles are candidates when any band hash is equal.

    Stored in the ``fingerprint_bands`` table so candidates come from an SQL
    join instead of an index over every stored article held in memory.
    """
    out = []
    for band in range(bands):
        chunk = np.asarray(signature[band * rows : (band + 1) * rows], dtype=np.uint64).tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8, person=band.to_bytes(2, "little")).digest()
        out.append(int.from_bytes(digest, "little", signed=True))
    return tuple(out)


def signature_bytes(signature: Sequence[int]) -> bytes:
    """Pack a signature for storage (4 bytes per hash value)."""
    return np.asarray(signature, dtype=np.uint32).tobytes()


def signature_from_bytes(blob: bytes) -> tuple[int, ...]:
    """Unpack :func:`signature_bytes`."""
    return tuple(int(v) for v in np.frombuffer(blob, dtype=np.uint32))


def find_duplicates(
    known: Sequence[Fingerprint],
    new: Sequence[Fingerprint],
    *,
    threshold: float = 0.7,
    known_originals: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Map each new article id that near-duplicates another to its original's id.

    ``known`` are articles already in the store (they keep their marks); ``new``
    must be in priority order (earliest first): a new article can only be the
    duplicate of a known one or of a new one that comes before it. A match on
    an article that is itself a duplicate points at its original
    (``known_originals`` maps stored duplicates to their originals).
    """
    from datasketch import MinHash, MinHashLSH

    # The index casts a wider net than the confirmation threshold: MinHash
    # estimates are noisy, and exact shingle overlap decides afterwards.
    lsh = MinHashLSH(threshold=max(0.3, threshold - 0.25), num_perm=NUM_PERM)
    # (``LSH_THRESHOLD`` is this value for the default threshold; the store's band table uses it.)
    by_id: dict[str, Fingerprint] = {}
    originals: dict[str, str] = dict(known_originals or {})
    new_ids = {item.article_id for item in new}
    rank: dict[str, int] = {}

    def insert(item: Fingerprint) -> None:
        if item.article_id in by_id:
            return
        rank[item.article_id] = len(rank)
        by_id[item.article_id] = item
        lsh.insert(item.article_id, _minhash(MinHash, item))

    for item in known:
        insert(item)
    for item in new:
        if not item.shingles:
            insert(item)
            continue
        candidates = [
            by_id[key] for key in lsh.query(_minhash(MinHash, item)) if key != item.article_id
        ]
        best = _best_match(item, candidates, threshold, rank)
        if best is not None:
            originals[item.article_id] = originals.get(best, best)
        insert(item)
    return {k: v for k, v in originals.items() if k in new_ids}


def _minhash(minhash_type: type, item: Fingerprint) -> object:
    values = np.array(item.signature, dtype=np.uint64)
    return minhash_type(num_perm=NUM_PERM, seed=1, hashvalues=values, scheme=SCHEME)


def _best_match(
    item: Fingerprint, candidates: Iterable[Fingerprint], threshold: float, rank: dict[str, int]
) -> str | None:
    scored = []
    for other in candidates:
        if not other.shingles:
            continue
        overlap = len(item.shingles & other.shingles)
        jaccard = overlap / len(item.shingles | other.shingles)
        # A short copy wholly contained in a longer article is also a repost.
        containment = overlap / min(len(item.shingles), len(other.shingles))
        if jaccard >= threshold or (containment >= 0.9 and min(len(item.shingles), len(other.shingles)) >= 50):
            scored.append((-max(jaccard, containment), rank[other.article_id], other.article_id))
    return min(scored)[2] if scored else None
