"""Contradiction precision, recall and false-flag rate on hand-labelled pairs of real sentences.

The labelled set (``data/contradiction_pairs.jsonl``) holds only identifiers:
each line names two ECB+ sentences (document name and the ECB+ sentence
number), a label, the kind of disagreement for a contradiction, a split and a
one-line rationale. The texts are read at run time from a directory in the
ECB+ layout; each line also carries a short hash of both sentences so a
different copy of the corpus is reported instead of silently scored.

Labels (by reading the two sentences and their articles):

- ``contradiction``: both sentences speak of the same event (or the same
  background fact) and cannot both be true: a different count of the same
  thing, a different day, a different place, a different actor.
- ``compatible``: a paraphrase, extra or partial detail ("three of the five
  boats"), bounds that fit ("at least 10" and "10"), a sum ("12 Somali and
  11 Yemeni" and "23"), different things counted, different events (a
  background quake), an overnight event told as "Friday night" and "early
  Saturday", or a later step of the story.

The pipeline decision is applied to each pair exactly as
:func:`~parallax.crossdoc.contradictions.find_contradictions` applies it to
two sentences of one story
(:func:`~parallax.crossdoc.contradictions.pair_flags`, with the affinity
computed over the candidates of the pair's sub-topic, the gold story): the
pair is *flagged* when any candidate sentence of the first overlaps the
labelled sentence and gets a flag against one of the second. A labelled
sentence the extractor does not keep as a candidate cannot be flagged.
Claim alignment and blocking (which pairs the pipeline compares at all) are
measured by ``parallax eval claims``, not here.

Scores: precision = flagged contradictions / flagged pairs; recall =
flagged contradictions / contradictions; false-flag rate = flagged
compatible pairs / flagged pairs (1 - precision), and the share of compatible
pairs flagged. Per kind: each flag's kind against the gold label.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parallax.evaluation.claims import EcbDocument, name_entity_map, read_articles, read_ecb_document
from parallax.records import Article

PAIRS_FILE = Path(__file__).parent / "data" / "contradiction_pairs.jsonl"
LABELS = ("contradiction", "compatible")
SPLITS = ("dev", "test")


@dataclass(frozen=True, slots=True)
class SentenceRef:
    doc: str  # ECB+ document name, "20_1ecbplus"
    sentence: int  # ECB+ sentence number
    digest: str  # first 8 hex digits of blake2b over the sentence text


@dataclass(frozen=True, slots=True)
class LabelledPair:
    id: str
    split: str
    a: SentenceRef
    b: SentenceRef
    label: str
    kind: str | None  # number, date, place, actor (contradictions only)
    rationale: str


def sentence_digest(text: str) -> str:
    """A short fingerprint of a sentence: proves the same text is read, without storing it."""
    return hashlib.blake2b(" ".join(text.split()).encode("utf-8"), digest_size=4).hexdigest()


def load_pairs(path: Path = PAIRS_FILE) -> list[LabelledPair]:
    """Read and check the labelled pairs (one JSON object per line)."""
    pairs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        pair = LabelledPair(
            id=row["id"],
            split=row["split"],
            a=SentenceRef(row["a"]["doc"], int(row["a"]["sentence"]), row["a"]["digest"]),
            b=SentenceRef(row["b"]["doc"], int(row["b"]["sentence"]), row["b"]["digest"]),
            label=row["label"],
            kind=row.get("kind"),
            rationale=row.get("rationale", ""),
        )
        if pair.label not in LABELS or pair.split not in SPLITS:
            raise ValueError(f"{path}:{number}: label must be one of {LABELS}, split one of {SPLITS}")
        if (pair.label == "contradiction") != (pair.kind is not None):
            raise ValueError(f"{path}:{number}: a contradiction needs a kind, and only a contradiction")
        pairs.append(pair)
    if len({p.id for p in pairs}) != len(pairs):
        raise ValueError(f"{path}: duplicate pair ids")
    return pairs


def _xml_path(data_dir: Path, name: str) -> Path:
    topic = re.match(r"\d+", name)
    xml_dir = data_dir / "xml" if (data_dir / "xml").is_dir() else data_dir
    return xml_dir / (topic.group() if topic else "") / f"{name}.xml"


def sentence_text(doc: EcbDocument, sentence: int) -> str:
    start, end = doc.sentence_spans[sentence]
    return doc.text[start:end]


def evaluate_contradictions(
    data_dir: Path,
    *,
    split: str = "test",
    pairs_file: Path = PAIRS_FILE,
    articles: Sequence[Article] | None = None,
) -> dict[str, Any]:
    """Score the contradiction flags on the labelled pairs of ``split`` (dev, test or all).

    The documents of every sub-topic a pair touches are read (the affinity
    between two sentences is computed over their whole story). ``articles``
    lets a caller pass already-read articles of those documents.
    """
    pairs = [p for p in load_pairs(pairs_file) if split == "all" or p.split == split]
    if not pairs:
        raise ValueError(f"no labelled pairs in split {split!r}")
    subtopics = sorted({_subtopic(r.doc) for p in pairs for r in (p.a, p.b)})
    docs = _read_subtopics(data_dir, subtopics)
    by_name = {d.name: d for d in docs}
    problems = []
    for pair in pairs:
        for ref in (pair.a, pair.b):
            doc = by_name.get(ref.doc)
            if doc is None or ref.sentence >= len(doc.sentence_spans):
                problems.append(f"{pair.id}: {ref.doc} sentence {ref.sentence} not found")
            elif sentence_digest(sentence_text(doc, ref.sentence)) != ref.digest:
                problems.append(f"{pair.id}: {ref.doc} sentence {ref.sentence} has different text")
    if problems:
        raise ValueError("the ECB+ copy differs from the labelled one: " + "; ".join(problems[:5]))
    read = list(articles) if articles is not None else read_articles(docs)
    verdicts = judge_pairs(pairs, docs, read)
    return {"split": split, "pairs": len(pairs), "documents": len(docs), **score(pairs, verdicts)}


def _subtopic(name: str) -> str:
    m = re.fullmatch(r"(\d+)_\d+(ecb|ecbplus)", name)
    if not m:
        raise ValueError(f"not an ECB+ document name: {name!r}")
    return f"{m[1]}{m[2]}"


def _read_subtopics(data_dir: Path, subtopics: Iterable[str]) -> list[EcbDocument]:
    xml_dir = data_dir / "xml" if (data_dir / "xml").is_dir() else data_dir
    wanted = set(subtopics)
    docs = []
    for path in sorted(xml_dir.glob("*/*.xml")):
        m = re.fullmatch(r"(\d+)_\d+(ecb|ecbplus)", path.stem)
        if m and f"{m[1]}{m[2]}" in wanted:
            docs.append(read_ecb_document(path))
    if not docs:
        raise ValueError(f"no ECB+ documents under {data_dir} for {sorted(wanted)}")
    return docs


def judge_pairs(
    pairs: Sequence[LabelledPair], docs: Sequence[EcbDocument], articles: Sequence[Article]
) -> dict[str, list[tuple[str, str]]]:
    """Pair id -> the flags the pipeline raises between its two sentences (empty: none)."""
    from parallax.crossdoc.claims import _Space, candidates_by_article, harmonise_places
    from parallax.crossdoc.contradictions import pair_flags

    entity_map = name_entity_map(articles)
    extracted = candidates_by_article(articles)
    doc_of = {a.id: d for a, d in zip(articles, docs, strict=True)}
    article_of = {d.name: a.id for a, d in zip(articles, docs, strict=True)}
    stories: dict[str, list[int]] = defaultdict(list)
    cands = []
    for article in articles:
        for cand in extracted.get(article.id, ()):
            stories[_subtopic(doc_of[article.id].name)].append(len(cands))
            cands.append(cand)
    spaces = {}
    index: dict[int, tuple[str, int]] = {}  # candidate -> (story, position in its space)
    for story, members in stories.items():
        harmonised = harmonise_places([cands[i] for i in members])
        for position, i in enumerate(members):
            cands[i] = harmonised[position]
            index[i] = (story, position)
        spaces[story] = _Space(harmonised, entity_map)

    def covering(ref: SentenceRef) -> list[int]:
        doc = next(d for d in docs if d.name == ref.doc)
        start, end = doc.sentence_spans[ref.sentence]
        article = article_of[ref.doc]
        return [
            i for i in stories[_subtopic(ref.doc)]
            if cands[i].article == article and cands[i].start < end and start < cands[i].end
        ]

    out: dict[str, list[tuple[str, str]]] = {}
    for pair in pairs:
        found: list[tuple[str, str]] = []
        for i in covering(pair.a):
            for j in covering(pair.b):
                story, x = index[i]
                story_b, y = index[j]
                affinity = spaces[story].affinity(x, y) if story == story_b else 0.0
                found.extend(pair_flags(cands[i], cands[j], affinity=affinity, entity_map=entity_map))
        out[pair.id] = list(dict.fromkeys(found))
    return out


def score(pairs: Sequence[LabelledPair], verdicts: dict[str, list[tuple[str, str]]]) -> dict[str, Any]:
    """Precision, recall and false-flag rates, overall and per kind."""
    gold = [p for p in pairs if p.label == "contradiction"]
    compatible = [p for p in pairs if p.label == "compatible"]
    flagged = [p for p in pairs if verdicts.get(p.id)]
    tp = sum(p.label == "contradiction" for p in flagged)
    fp = len(flagged) - tp
    flags_by_kind: Counter[str] = Counter()
    true_by_kind: Counter[str] = Counter()
    for p in flagged:
        for kind in {k for k, _ in verdicts[p.id]}:
            flags_by_kind[kind] += 1
            true_by_kind[kind] += p.label == "contradiction"
    gold_by_kind = Counter(p.kind for p in gold)
    found_by_kind = Counter(p.kind for p in gold if verdicts.get(p.id))
    kinds = sorted(set(flags_by_kind) | set(gold_by_kind))  # type: ignore[arg-type]
    per_kind = {
        kind: {
            "gold": gold_by_kind.get(kind, 0),
            "found": found_by_kind.get(kind, 0),
            "recall": _ratio(found_by_kind.get(kind, 0), gold_by_kind.get(kind, 0)),
            "flags": flags_by_kind.get(kind, 0),
            "false_flags": flags_by_kind.get(kind, 0) - true_by_kind.get(kind, 0),
            "precision": _ratio(true_by_kind.get(kind, 0), flags_by_kind.get(kind, 0)),
        }
        for kind in kinds
    }
    return {
        "contradictions": len(gold),
        "compatible": len(compatible),
        "flagged": len(flagged),
        "true_flags": tp,
        "false_flags": fp,
        "precision": _ratio(tp, len(flagged)),
        "recall": _ratio(tp, len(gold)),
        "false_flag_rate": _ratio(fp, len(flagged)),
        "compatible_flagged_rate": _ratio(fp, len(compatible)),
        "per_kind": per_kind,
        "errors": [
            {
                "id": p.id,
                "label": p.label,
                "kind": p.kind,
                "flags": verdicts.get(p.id, []),
                "rationale": p.rationale,
            }
            for p in pairs
            if bool(verdicts.get(p.id)) != (p.label == "contradiction")
        ],
    }


def _ratio(x: int, y: int) -> float:
    return round(x / y, 4) if y else 0.0


def format_contradictions_report(result: dict[str, Any], *, show: int = 20) -> str:
    """Render :func:`evaluate_contradictions` output as plain text."""
    lines = [
        f"Contradictions on {result['pairs']} labelled ECB+ sentence pairs ({result['split']} split; "
        f"{result['contradictions']} contradictions, {result['compatible']} compatible; "
        f"{result['documents']} documents read)",
        f"  flagged {result['flagged']}: {result['true_flags']} true, {result['false_flags']} false",
        f"  precision {result['precision']:.3f}, recall {result['recall']:.3f}, "
        f"false-flag rate {result['false_flag_rate']:.3f} "
        f"({result['false_flags']}/{result['flagged']} flags); "
        f"compatible pairs flagged {result['compatible_flagged_rate']:.3f}",
        "  per kind (gold kind for recall, flag kind for precision):",
    ]
    for kind, k in result["per_kind"].items():
        lines.append(
            f"    {kind:<9} recall {k['found']}/{k['gold']}, flags {k['flags']} "
            f"({k['false_flags']} false, precision {k['precision']:.3f})"
        )
    for error in result["errors"][:show]:
        what = "missed" if error["label"] == "contradiction" else "false flag"
        lines.append(f"  - {what} {error['id']} ({error['kind'] or 'compatible'}): {error['rationale']}")
        for kind, reason in error["flags"][:2]:
            lines.append(f"      [{kind}] {reason[:200]}")
    return "\n".join(lines)
