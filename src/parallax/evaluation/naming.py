"""Naming measured on NewsWCL50: how many gold word-choice labels of the top actors we recover.

Reads the NewsWCL50 full-text CoNLL conversion (``cdcr_conll/NewsWCL50.conll``
under the given directory, or the file itself): 50 articles upstream (25 in
the shared copy), five US outlets per event (LL, L, M, R, RR), each token
carrying the gold concept chains it belongs to ("0_USA_Trump_ACTOR",
"0_PRK_COUNTRY"). Every document is rebuilt as text (spaces where the
tokens had them, one sentence per line), read with the real pipeline
(:class:`~parallax.stages.reader.ArticleReader`), and passed through
:func:`~parallax.crossdoc.naming.find_naming`.

Definitions:

- **Top actors**: per event, the four chains of type ACTOR, ACTOR-I,
  COUNTRY or GROUP with the most mentions.
- **Gold labels** of an actor in one outlet's article: its distinct gold
  mentions there that describe rather than name: the mention's lowercase
  content words (plus title words such as "President", "Director"), minus
  function words and the words of the actor's own name. "the reclusive
  North Korean dictator" gives {reclusive, dictator}; "Kim Jong Un" and
  "Larry Kudlow" (NewsWCL50 files US officials under the USA concept) give
  nothing and are not labels.
- **System labels** for that actor and article: the labels of every system
  entity with a mention overlapping one of the actor's gold mentions there.
- A gold label is **recovered** when one of its label words (stemmed)
  appears in the system labels. ``recall`` is over all gold labels;
  ``recall_adjacent`` only over gold mentions that contain a system entity
  mention (a label written next to the name, which is what the method
  reads: "President Trump", "the dictator Kim"); standalone descriptions
  ("the reclusive regime") need coreference, which we do not have.
- ``supported``: the share of system labels with a word that occurs in some
  gold mention of the same actor in the same article (a precision proxy:
  the gold marks concepts, not every modifier).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from parallax.crossdoc.claims import stem
from parallax.ids import make_id
from parallax.records import Article

ACTOR_TYPES = ("ACTOR", "ACTOR-I", "COUNTRY", "GROUP")
TOP_ACTORS = 4
_NO_SPACE_BEFORE = frozenset({".", ",", ";", ":", "!", "?", ")", "]", "'s", "n't", "%", "\u2019s", "'", "\u2019", "\u201d"})
_NO_SPACE_AFTER = frozenset({"(", "[", "$", "\u201c", "\u2018"})
_FUNCTION = frozenset(
    """a an the of in on at to for by with from and or but as is was were be been his her its their
    he she it they them him we us our i me my you your this that these those who whom which what
    mr mrs ms s 's both two one all some any such than then there here""".split()
)


_TITLES = frozenset(
    """president director secretary leader chairman chairwoman minister dictator supreme premier
    chancellor governor senator ambassador general commander king queen prince chief""".split()
)


def read_conll(path: Path) -> list[dict[str, Any]]:
    """Documents of the NewsWCL50 CoNLL file: text, outlet, event and gold chain mentions."""
    file = path if path.is_file() else path / "cdcr_conll" / "NewsWCL50.conll"
    if not file.is_file():
        file = path / "NewsWCL50.conll"
    docs: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    rows: list[tuple[int, str, str]] = []

    def finish() -> None:
        if current is not None:
            current.update(_rebuild(rows))
            docs.append(current)

    for line in file.read_text(encoding="utf-8").splitlines():
        if line.startswith("#begin document"):
            finish()
            name = line.split()[2].rstrip(";").split("/")[-1]
            event, outlet = name.split("_", 1)
            current, rows = {"name": name, "event": int(event), "outlet": outlet}, []
        elif line.startswith("#end document") or not line.strip():
            continue
        else:
            parts = line.split("\t")
            if len(parts) >= 5:
                rows.append((int(parts[1]), parts[3], parts[4].strip()))
    finish()
    return docs


def _rebuild(rows: Sequence[tuple[int, str, str]]) -> dict[str, Any]:
    parts: list[str] = []
    pos = 0
    previous = None
    no_space = True
    open_chains: dict[str, list[int]] = defaultdict(list)
    mentions: list[tuple[str, int, int]] = []
    for k, (sentence, word, chains) in enumerate(rows):
        glue = word == "-" and k and k + 1 < len(rows) and rows[k - 1][1][-1:].isalnum() and rows[k + 1][1][:1].isalnum()
        if previous is not None and sentence != previous:
            parts.append("\n")
            pos += 1
            no_space = True
        elif not no_space and word not in _NO_SPACE_BEFORE and not glue:
            parts.append(" ")
            pos += 1
        start = pos
        parts.append(word)
        pos += len(word)
        no_space = word in _NO_SPACE_AFTER or bool(glue)
        previous = sentence
        if chains and chains != "-":
            for piece in (p.strip() for p in chains.split("|")):
                name = piece.strip("()")
                if piece.startswith("("):
                    open_chains[name].append(start)
                if piece.endswith(")") and open_chains.get(name):
                    mentions.append((name, open_chains[name].pop(), pos))
    return {"text": "".join(parts), "mentions": mentions}


def _chain_type(chain: str) -> str:
    return next((t for t in ("ACTOR-I", "ACTOR", "COUNTRY", "GROUP") if chain.endswith("_" + t)), "")


def _words(text: str) -> list[str]:
    return [w.casefold().strip(".'\u2019") for w in re.findall(r"[\w.'\u2019-]+", text)]


def evaluate_naming(path: Path, *, articles: Sequence[Article] | None = None, show: int = 10) -> dict[str, Any]:
    """Recall of gold word-choice labels of the top actors, per outlet (see module docstring)."""
    from parallax.crossdoc.naming import find_naming

    docs = read_conll(path)
    if not docs:
        raise ValueError(f"no NewsWCL50 documents under {path}")
    if articles is None:
        from parallax.stages.reader import ArticleReader

        reader = ArticleReader()
        reader.setup()
        raw = [
            Article(id=make_id("art", "newswcl50", d["name"]), input=d["name"], format="txt", text=d["text"],
                    outlet=d["outlet"], language="en")
            for d in docs
        ]
        articles = [a for a in reader.process_batch(raw) if isinstance(a, Article)]
    namings = find_naming(articles)
    labels_of: dict[tuple[str, str], tuple[str, ...]] = {(n.article, n.entity): n.labels for n in namings}
    counts: Counter[str] = Counter()
    per_event: dict[int, Counter[str]] = defaultdict(Counter)
    for d in docs:
        for chain, _, _ in d["mentions"]:
            if _chain_type(chain):
                per_event[d["event"]][chain] += 1
    top = {event: {c for c, _ in counter.most_common(TOP_ACTORS)} for event, counter in per_event.items()}
    by_outlet: dict[str, Counter[str]] = defaultdict(Counter)
    samples: list[dict[str, Any]] = []
    for d, article in zip(docs, articles, strict=True):
        spans = [(m.start, m.end, e.id) for e in article.entities for m in e.mentions]
        for chain in sorted(top.get(d["event"], ())):
            gold = [(s, e) for c, s, e in d["mentions"] if c == chain]
            if not gold:
                continue
            texts = [d["text"][s:e] for s, e in gold]
            name_words = _name_words(chain, texts)
            entity_ids = {eid for s, e, eid in spans for gs, ge in gold if s < ge and gs < e}
            system = [label for eid in sorted(entity_ids) for label in labels_of.get((article.id, eid), ())]
            system_stems = {stem(w) for label in system for w in _words(label)} - {""}
            gold_stems = {stem(w) for t in texts for w in _words(t)}
            seen: set[frozenset[str]] = set()
            for (gs, ge), text in zip(gold, texts, strict=True):
                words = frozenset(
                    stem(w.casefold().strip(".'\u2019")) for w in re.findall(r"[\w.'\u2019-]+", text)
                    if (w[:1].islower() or w.casefold() in _TITLES)
                    and w.casefold() not in _FUNCTION and w.casefold() not in name_words
                )
                if not words or words in seen:
                    continue
                seen.add(words)
                adjacent = any(gs <= s and e <= ge for s, e, _ in spans)
                hit = bool(words & system_stems)
                c = by_outlet[d["outlet"]]
                c["gold"] += 1
                c["recovered"] += hit
                c["adjacent"] += adjacent
                c["adjacent_recovered"] += hit and adjacent
                if not hit and adjacent and len(samples) < show:
                    samples.append({"outlet": d["outlet"], "actor": chain, "gold": text, "system": system})
            for label in dict.fromkeys(system):
                c = by_outlet[d["outlet"]]
                c["system"] += 1
                c["supported"] += any(stem(w) in gold_stems for w in _words(label))
    total: Counter[str] = Counter()
    for c in by_outlet.values():
        total.update(c)
    for key, c in list(by_outlet.items()) + [("all", total)]:
        counts[key] = 0  # keep order
        by_outlet[key] = c
    return {
        "documents": len(docs),
        "events": sorted(top),
        "by_outlet": {k: _ratios(c) for k, c in sorted(by_outlet.items(), key=lambda kv: (kv[0] == "all", kv[0]))},
        "misses": samples,
    }


def _name_words(chain: str, texts: Sequence[str]) -> set[str]:
    """Words of the actor's own name: chain name parts and capitalised words of its commonest mention."""
    words = {w.casefold() for w in re.split(r"[_\s\\]+", chain)[1:-1] if w}
    common = Counter(t for t in texts).most_common(1)
    if common:
        words |= {w.casefold().strip(".'") for w in re.findall(r"[\w.'-]+", common[0][0]) if w[:1].isupper()}
    capital = Counter(w.casefold() for t in texts for w in re.findall(r"[\w.'-]+", t) if w[:1].isupper())
    words |= {w for w, n in capital.items() if n >= 2 and w not in ("president", "leader", "minister")}
    return words


def _ratios(c: Counter[str]) -> dict[str, Any]:
    def ratio(a: str, b: str) -> float:
        return round(c[a] / c[b], 3) if c[b] else 0.0

    return {
        "gold_labels": c["gold"],
        "recall": ratio("recovered", "gold"),
        "adjacent_labels": c["adjacent"],
        "recall_adjacent": ratio("adjacent_recovered", "adjacent"),
        "system_labels": c["system"],
        "supported": ratio("supported", "system"),
    }


def format_naming_report(result: dict[str, Any]) -> str:
    """Render :func:`evaluate_naming` output as plain text."""
    lines = [f"NewsWCL50 naming: {result['documents']} documents, events {result['events']}, "
             f"top {TOP_ACTORS} actors per event"]
    lines.append(f"  {'outlet':6} {'gold':>5} {'recall':>7} {'next-to-name':>13} {'recall':>7} {'system':>7} {'supported':>10}")
    for outlet, r in result["by_outlet"].items():
        lines.append(
            f"  {outlet:6} {r['gold_labels']:5d} {r['recall']:7.3f} {r['adjacent_labels']:13d} "
            f"{r['recall_adjacent']:7.3f} {r['system_labels']:7d} {r['supported']:10.3f}"
        )
    for miss in result["misses"]:
        lines.append(f"  missed [{miss['outlet']}] {miss['actor']}: {miss['gold']!r} (ours: {miss['system']})")
    return "\n".join(lines)
