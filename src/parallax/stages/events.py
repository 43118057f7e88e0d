"""Find who did what to whom, where and when: PLOVER-typed events from the parse.

:func:`find_events` reads a parsed spaCy ``Doc`` (tagger, lemmatizer and
dependency parser; ``ner`` optional) plus the article's entities, quotes and
resolved dates, and returns :class:`~parallax.records.Event` records. No I/O,
no clock, no model loading: the caller parses.

How an event is found (the lexicon itself is documented in ``docs/plover.md``):

1. **Verb triggers.** A verb whose lemma is in :data:`VERBS`, refined by its
   particle or preposition (:data:`PHRASAL`: "call for" is REQUEST, "pull out"
   RETREAT) and by the class of its object (:data:`OBJECT_FRAMES`: "impose
   sanctions" is SANCTION, "send troops" MOBILIZE, "send aid" AID).
2. **Noun triggers.** An event noun (:data:`NOUNS`: "airstrike", "protest",
   "talks", "sanctions") becomes an event when a support verb carries it
   ("launched airstrikes", "held talks": the verb's subject is the actor) or
   when it has arguments of its own ("Russia's invasion of Ukraine",
   "Israeli strikes on Gaza").
3. **Intent and complements**, as CAMEO/PLOVER code them: a cooperative act
   announced or promised ("will withdraw", "vowed to release") is AGREE, a
   hostile one ("will impose sanctions", "vowed to retaliate") is THREATEN; a
   lexicon verb governing another ("agreed to withdraw", "threatened to ban",
   "urged Y to release") is one event typed by the governing verb, with the
   target taken from the complement when the governing verb has none.
4. **Arguments.** Actor = subject (the ``by`` agent in a passive), target =
   object, passive subject or a type-specific preposition ("sanctions *on* X",
   "talks *with* X", "called *on* X"); when the target is a proposal, demand or
   attack owned by someone ("rejected North Korea's demand") the owner is the
   target. Conjunctions are expanded into one event per actor/target pair.
   Each argument resolves to an entity id when an entity mention overlaps its
   head word; otherwise ``actor``/``target`` hold the words.
5. **Where, when, quote, negation.** ``place`` is a place entity (GPE, LOC,
   FAC) in a locative phrase of the clause ("in", "near", "outside"…), the
   target itself for attacks on a place, or the article's dateline; ``date``
   the time expression inside the clause, else the nearest one in the
   sentence; ``quote`` the quote whose cue is the trigger or whose span lies
   in the trigger's complement; ``negated`` when the trigger (or the verb
   carrying a noun trigger) is negated.

Reporting verbs that only report ("said", "told", "added") are never events.
Event ids follow ``make_id("evt", article, start, end, type, trigger_start)``
with ``start``/``end`` the sentence; when conjunctions expand one trigger into
several events, the second and later ones also hash their actor and target
words so ids stay unique.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from types import MappingProxyType
from typing import Any

from parallax.ids import make_id
from parallax.records import Entity, Event, Quote, TimeExpression

__all__ = [
    "NOUNS",
    "OBJECT_FRAMES",
    "PHRASAL",
    "PLOVER_TYPES",
    "VERBS",
    "find_events",
    "lexicon_rows",
]

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
COOPERATIVE = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"})
HOSTILE = frozenset({"THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"})

# --- the lexicon --------------------------------------------------------------
# Each entry: lemma -> (PLOVER type, CAMEO code it follows). A type of None means
# the verb is an event only in a frame below (particle, preposition or object).


def _table(rows: dict[str, tuple[str | None, str]]) -> MappingProxyType[str, tuple[str | None, str]]:
    return MappingProxyType(rows)


VERBS = _table({
    # AGREE (CAMEO 03: express intent to cooperate)
    "agree": ("AGREE", "03"), "pledge": ("AGREE", "03"), "promise": ("AGREE", "03"),
    "vow": ("AGREE", "03"), "swear": ("AGREE", "03"), "offer": ("AGREE", "03"),
    "commit": ("AGREE", "03"), "consent": ("AGREE", "03"), "accept": ("AGREE", "03"),
    "settle": ("AGREE", "037"),
    # CONSULT (04)
    "meet": ("CONSULT", "040"), "visit": ("CONSULT", "042"), "host": ("CONSULT", "043"),
    "negotiate": ("CONSULT", "046"), "mediate": ("CONSULT", "045"), "consult": ("CONSULT", "040"),
    "confer": ("CONSULT", "040"), "telephone": ("CONSULT", "041"), "phone": ("CONSULT", "041"),
    "discuss": ("CONSULT", "040"), "talk": (None, "040"), "arrive": (None, "042"),
    "travel": (None, "042"), "fly": (None, "042"),
    # SUPPORT (05)
    "support": ("SUPPORT", "050"), "endorse": ("SUPPORT", "051"), "praise": ("SUPPORT", "051"),
    "commend": ("SUPPORT", "051"), "hail": ("SUPPORT", "051"), "applaud": ("SUPPORT", "051"),
    "welcome": ("SUPPORT", "051"), "congratulate": ("SUPPORT", "051"), "laud": ("SUPPORT", "051"),
    "thank": ("SUPPORT", "051"), "back": ("SUPPORT", "051"), "defend": ("SUPPORT", "052"),
    "recognize": ("SUPPORT", "054"), "recognise": ("SUPPORT", "054"),
    "apologize": ("SUPPORT", "055"), "apologise": ("SUPPORT", "055"), "forgive": ("SUPPORT", "056"),
    "sign": ("SUPPORT", "057"), "ratify": ("SUPPORT", "057"), "champion": ("SUPPORT", "051"),
    # COOPERATE (06)
    "cooperate": ("COOPERATE", "060"), "collaborate": ("COOPERATE", "060"),
    "partner": ("COOPERATE", "060"), "ally": ("COOPERATE", "060"), "coordinate": ("COOPERATE", "060"),
    "extradite": ("COOPERATE", "063"), "share": (None, "064"), "work": (None, "060"),
    "team": (None, "060"), "join": (None, "060"),
    # AID (07)
    "aid": ("AID", "070"), "help": ("AID", "070"), "assist": ("AID", "070"),
    "donate": ("AID", "070"), "supply": ("AID", "070"), "provide": (None, "070"),
    "deliver": (None, "070"), "fund": ("AID", "071"), "finance": ("AID", "071"),
    "rescue": ("AID", "073"), "evacuate": ("AID", "073"), "arm": ("AID", "072"),
    "grant": (None, "075"), "give": (None, "070"), "send": (None, "070"), "ship": (None, "070"),
    # CONCEDE (08)
    "concede": ("CONCEDE", "080"), "yield": ("CONCEDE", "080"), "relent": ("CONCEDE", "080"),
    "cave": ("CONCEDE", "080"), "accede": ("CONCEDE", "083"), "allow": ("CONCEDE", "080"),
    "ease": (None, "081"), "lift": (None, "081"), "relax": (None, "081"), "pardon": ("CONCEDE", "080"),
    # RETREAT (08 "return, release, de-escalate")
    "withdraw": ("RETREAT", "087"), "retreat": ("RETREAT", "0874"), "surrender": ("RETREAT", "0874"),
    "demobilize": ("RETREAT", "0873"), "demobilise": ("RETREAT", "0873"), "disarm": ("RETREAT", "0873"),
    "release": (None, "0841"), "free": (None, "0841"), "return": (None, "0842"),
    "resign": ("RETREAT", "08"), "pull": (None, "087"), "step": (None, "08"),
    # ACCUSE (09 investigate, 11 disapprove)
    "accuse": ("ACCUSE", "112"), "blame": ("ACCUSE", "112"), "condemn": ("ACCUSE", "111"),
    "criticize": ("ACCUSE", "111"), "criticise": ("ACCUSE", "111"), "denounce": ("ACCUSE", "111"),
    "slam": ("ACCUSE", "111"), "decry": ("ACCUSE", "111"), "deplore": ("ACCUSE", "111"),
    "lambast": ("ACCUSE", "111"), "lambaste": ("ACCUSE", "111"), "rebuke": ("ACCUSE", "111"),
    "censure": ("ACCUSE", "111"), "chastise": ("ACCUSE", "111"), "fault": ("ACCUSE", "111"),
    "allege": ("ACCUSE", "112"), "sue": ("ACCUSE", "115"), "complain": ("ACCUSE", "114"),
    "investigate": ("ACCUSE", "090"), "probe": ("ACCUSE", "090"), "indict": ("ACCUSE", "116"),
    "convict": ("ACCUSE", "116"), "disapprove": ("ACCUSE", "110"), "berate": ("ACCUSE", "111"),
    "reproach": ("ACCUSE", "111"), "chide": ("ACCUSE", "111"), "scold": ("ACCUSE", "111"),
    # REQUEST (10)
    "ask": ("REQUEST", "100"), "urge": ("REQUEST", "100"), "demand": ("REQUEST", "100"),
    "request": ("REQUEST", "100"), "appeal": ("REQUEST", "100"), "press": ("REQUEST", "100"),
    "plead": ("REQUEST", "100"), "seek": ("REQUEST", "100"), "petition": ("REQUEST", "100"),
    "implore": ("REQUEST", "100"), "exhort": ("REQUEST", "100"), "beg": ("REQUEST", "100"),
    "invite": ("REQUEST", "106"), "order": ("REQUEST", "100"), "call": (None, "100"),
    "push": (None, "100"), "pressure": ("REQUEST", "100"), "pressurize": ("REQUEST", "100"),
    # REJECT (12)
    "reject": ("REJECT", "120"), "refuse": ("REJECT", "120"), "deny": ("REJECT", "120"),
    "veto": ("REJECT", "129"), "dismiss": ("REJECT", "120"), "oppose": ("REJECT", "120"),
    "decline": ("REJECT", "124"), "rebuff": ("REJECT", "120"), "spurn": ("REJECT", "120"),
    "defy": ("REJECT", "128"), "resist": ("REJECT", "120"), "snub": ("REJECT", "120"),
    "renege": ("REJECT", "120"), "repudiate": ("REJECT", "120"), "turn": (None, "120"),
    "rule": (None, "120"), "violate": ("REJECT", "128"),
    # THREATEN (13)
    "threaten": ("THREATEN", "130"), "warn": ("THREATEN", "130"), "menace": ("THREATEN", "130"),
    # PROTEST (14)
    "protest": ("PROTEST", "140"), "demonstrate": ("PROTEST", "141"), "march": ("PROTEST", "141"),
    "rally": ("PROTEST", "141"), "riot": ("PROTEST", "145"), "boycott": ("PROTEST", "143"),
    "picket": ("PROTEST", "141"),
    # MOBILIZE (15)
    "mobilize": ("MOBILIZE", "154"), "mobilise": ("MOBILIZE", "154"), "deploy": ("MOBILIZE", "154"),
    "station": ("MOBILIZE", "154"), "reinforce": ("MOBILIZE", "154"), "mass": (None, "154"),
    "patrol": ("MOBILIZE", "153"), "dispatch": (None, "154"),
    # SANCTION (16)
    "sanction": ("SANCTION", "160"), "embargo": ("SANCTION", "163"), "recall": (None, "161"),
    "expel": ("SANCTION", "166"), "sever": (None, "161"), "cut": (None, "162"),
    "suspend": (None, "162"), "halt": (None, "162"), "freeze": (None, "16"),
    "downgrade": (None, "161"), "cancel": (None, "16"), "blacklist": ("SANCTION", "16"),
    "break": (None, "161"), "impose": ("COERCE", "172"),
    # COERCE (17)
    "arrest": ("COERCE", "173"), "detain": ("COERCE", "173"), "jail": ("COERCE", "173"),
    "imprison": ("COERCE", "173"), "charge": ("COERCE", "173"), "prosecute": ("COERCE", "173"),
    "sentence": ("COERCE", "173"), "deport": ("COERCE", "174"), "seize": ("COERCE", "171"),
    "confiscate": ("COERCE", "1711"), "demolish": ("COERCE", "171"), "ban": ("COERCE", "1722"),
    "outlaw": ("COERCE", "1722"), "censor": ("COERCE", "1721"), "blockade": ("COERCE", "191"),
    "besiege": ("COERCE", "191"), "occupy": ("COERCE", "192"), "annex": ("COERCE", "192"),
    "disperse": ("COERCE", "17"), "evict": ("COERCE", "17"), "hack": ("COERCE", "17"),
    "prevent": ("COERCE", "172"), "block": ("COERCE", "191"), "deface": ("COERCE", "17"),
    "strengthen": (None, "154"), "boost": (None, "154"), "bolster": (None, "154"),
    "receive": (None, "086"), "scrap": (None, "081"), "abolish": (None, "081"),
    "remove": (None, "081"), "end": (None, "16"),
    "crack": (None, "17"), "round": (None, "173"), "raze": ("COERCE", "171"),
    # ASSAULT (18, 19, 20)
    "attack": ("ASSAULT", "190"), "strike": ("ASSAULT", "190"), "bomb": ("ASSAULT", "195"),
    "shell": ("ASSAULT", "194"), "kill": ("ASSAULT", "1823"), "murder": ("ASSAULT", "1823"),
    "assassinate": ("ASSAULT", "186"), "shoot": ("ASSAULT", "193"), "fire": (None, "193"),
    "invade": ("ASSAULT", "190"), "raid": ("ASSAULT", "190"), "ambush": ("ASSAULT", "190"),
    "wound": ("ASSAULT", "18"), "injure": ("ASSAULT", "18"), "torture": ("ASSAULT", "1822"),
    "beat": ("ASSAULT", "182"), "rape": ("ASSAULT", "1821"), "abduct": ("ASSAULT", "181"),
    "kidnap": ("ASSAULT", "181"), "hijack": ("ASSAULT", "181"), "massacre": ("ASSAULT", "202"),
    "execute": ("ASSAULT", "1823"), "behead": ("ASSAULT", "1823"), "bombard": ("ASSAULT", "194"),
    "pound": ("ASSAULT", "194"), "storm": ("ASSAULT", "190"), "overrun": ("ASSAULT", "190"),
    "capture": ("ASSAULT", "190"), "retake": ("ASSAULT", "190"), "recapture": ("ASSAULT", "190"),
    "torch": ("ASSAULT", "1712"), "destroy": ("ASSAULT", "1712"), "burn": ("ASSAULT", "1712"),
    "clash": ("ASSAULT", "190"), "fight": ("ASSAULT", "190"), "battle": ("ASSAULT", "190"),
    "target": ("ASSAULT", "190"), "stab": ("ASSAULT", "182"), "lynch": ("ASSAULT", "182"),
    "detonate": ("ASSAULT", "183"), "retaliate": ("ASSAULT", "190"), "blow": (None, "183"), "set": (None, "1712"),
    "open": (None, "193"), "declare": (None, "0871"), "hold": (None, "040"),
    "abuse": ("ASSAULT", "182"),
})

# (lemma, particle or preposition) -> type. Checked before the plain lemma.
PHRASAL = _table({
    ("call", "for"): ("REQUEST", "100"), ("call", "on"): ("REQUEST", "100"),
    ("call", "upon"): ("REQUEST", "100"), ("push", "for"): ("REQUEST", "100"),
    ("appeal", "to"): ("REQUEST", "100"), ("press", "for"): ("REQUEST", "100"),
    ("call", "off"): ("CONCEDE", "08"),
    ("pull", "out"): ("RETREAT", "087"), ("pull", "back"): ("RETREAT", "087"),
    ("step", "down"): ("RETREAT", "08"), ("back", "down"): ("CONCEDE", "080"),
    ("give", "in"): ("CONCEDE", "080"), ("back", "away"): ("CONCEDE", "080"),
    ("hand", "back"): ("RETREAT", "0842"), ("hand", "over"): ("COOPERATE", "063"),
    ("meet", "with"): ("CONSULT", "040"), ("talk", "with"): ("CONSULT", "040"),
    ("talk", "to"): ("CONSULT", "040"), ("speak", "with"): ("CONSULT", "040"),
    ("arrive", "in"): ("CONSULT", "042"), ("arrive", "at"): ("CONSULT", "042"),
    ("travel", "to"): ("CONSULT", "042"), ("fly", "to"): ("CONSULT", "042"),
    ("work", "with"): ("COOPERATE", "060"), ("team", "up"): ("COOPERATE", "060"),
    ("join", "force"): ("COOPERATE", "060"), ("share", "with"): ("COOPERATE", "064"),
    ("crack", "down"): ("COERCE", "17"), ("round", "up"): ("COERCE", "173"),
    ("blow", "up"): ("ASSAULT", "183"), ("beat", "up"): ("ASSAULT", "182"),
    ("shoot", "down"): ("ASSAULT", "195"), ("fire", "on"): ("ASSAULT", "193"),
    ("fire", "at"): ("ASSAULT", "193"), ("open", "fire"): ("ASSAULT", "193"),
    ("set", "fire"): ("ASSAULT", "1712"), ("fight", "back"): ("ASSAULT", "190"),
    ("turn", "down"): ("REJECT", "120"), ("rule", "out"): ("REJECT", "120"),
    ("break", "off"): ("SANCTION", "161"), ("cut", "off"): ("SANCTION", "162"),
    ("speak", "out"): ("ACCUSE", "111"), ("lash", "out"): ("ACCUSE", "111"),
    ("look", "into"): ("ACCUSE", "090"), ("rally", "behind"): ("SUPPORT", "053"),
    ("stand", "by"): ("SUPPORT", "052"), ("side", "with"): ("SUPPORT", "050"),
    ("walk", "out"): ("PROTEST", "14"), ("lay", "down"): ("RETREAT", "0873"), ("go", "on"): (None, "143"),
})

# Object classes: nouns grouped by what they make of a verb.
OBJECT_CLASSES = MappingProxyType({
    "sanctions": frozenset({"sanction", "embargo", "tariff", "boycott", "penalty"}),
    "restrictions": frozenset({
        "curfew", "ban", "restriction", "lockdown", "law", "emergency", "measure", "control",
        "limit", "censorship", "closure", "rule",
    }),
    "blockade": frozenset({"blockade", "siege", "quarantine"}),
    "troops": frozenset({
        "troop", "force", "soldier", "army", "warship", "ship", "jet", "aircraft", "battalion",
        "brigade", "unit", "marine", "reservist", "tank", "personnel", "peacekeeper", "division",
        "contingent", "militia", "police", "vessel", "submarine", "fighter", "bomber",
        "military", "guard", "forces", "artillery", "missile", "weapon", "battery",
    }),
    "aid": frozenset({
        "aid", "assistance", "help", "supply", "food", "medicine", "money", "fund", "funding",
        "loan", "grant", "dollar", "weapon", "arm", "ammunition", "equipment", "relief",
        "vaccine", "support", "shelter", "asylum", "credit", "euro", "package", "tent",
        "water", "fuel", "grain", "material", "munition",
    }),
    "diplomats": frozenset({
        "ambassador", "envoy", "diplomat", "consul", "attache", "embassy", "mission",
        "inspector", "observer", "monitor", "consulate", "delegation", "representative",
    }),
    "people_held": frozenset({
        "prisoner", "hostage", "detainee", "captive", "inmate", "pow", "journalist", "activist",
        "dissident", "protester", "captive", "body", "remains",
    }),
    "talks": frozenset({
        "talk", "negotiation", "meeting", "summit", "consultation", "discussion", "dialogue",
        "conference", "session", "mediation",
    }),
    "agreement": frozenset({
        "agreement", "deal", "treaty", "accord", "pact", "memorandum", "contract", "protocol",
        "declaration", "charter", "consensus", "settlement", "compromise", "understanding",
    }),
    "ceasefire": frozenset({"ceasefire", "cease-fire", "truce", "armistice", "moratorium"}),
    "attacks": frozenset({
        "attack", "strike", "airstrike", "raid", "offensive", "assault", "bombardment",
        "bombing", "invasion", "incursion", "ambush", "barrage", "shelling", "operation",
        "war", "counteroffensive", "counterattack", "campaign", "blow", "fire",
    }),
    "weapons": frozenset({
        "missile", "rocket", "shell", "mortar", "drone", "bomb", "grenade", "shot", "round",
        "salvo", "torpedo", "projectile", "bullet", "gas",
    }),
    "relations": frozenset({"relation", "tie", "link", "contact", "cooperation", "relationship"}),
    "protests": frozenset({
        "protest", "demonstration", "rally", "march", "sit-in", "vigil", "walkout", "strike",
        "boycott", "picket",
    }),
    "demands": frozenset({"demand", "condition", "term", "request", "call", "ultimatum"}),
    "offers": frozenset({
        "offer", "proposal", "plan", "invitation", "initiative", "formula", "bid", "resolution",
        "peace", "mediation",
    }),
    "complaints": frozenset({"complaint", "protest", "lawsuit", "suit", "charge", "case", "appeal"}),
    "threats": frozenset({"ultimatum", "threat", "warning"}),
    "visits": frozenset({"visit", "trip", "tour"}),
    "arrests": frozenset({"arrest"}),
    "concessions": frozenset({"concession"}),
    "investigation": frozenset({"investigation", "probe", "inquiry", "inquest"}),
    "information": frozenset({"information", "intelligence", "data", "evidence", "expertise"}),
    "border": frozenset({"border", "crossing", "airspace", "port", "frontier", "checkpoint"}),
    "road": frozenset({
        "road", "street", "highway", "bridge", "roadway", "traffic", "transport", "railway",
        "motorway", "entrance", "route", "rail", "junction", "intersection",
    }),
    "hostage": frozenset({"hostage", "prisoner", "captive", "custody"}),
})

# (verb lemma, object class) -> type; the object refines or enables the verb.
OBJECT_FRAMES = _table({
    ("impose", "sanctions"): ("SANCTION", "163"), ("impose", "restrictions"): ("COERCE", "172"),
    ("impose", "blockade"): ("COERCE", "191"), ("declare", "restrictions"): ("COERCE", "1724"),
    ("lift", "sanctions"): ("RETREAT", "085"), ("ease", "sanctions"): ("RETREAT", "085"),
    ("relax", "sanctions"): ("RETREAT", "085"), ("suspend", "sanctions"): ("RETREAT", "085"),
    ("lift", "blockade"): ("RETREAT", "0872"), ("ease", "blockade"): ("RETREAT", "0872"),
    ("lift", "restrictions"): ("CONCEDE", "081"), ("ease", "restrictions"): ("CONCEDE", "081"),
    ("relax", "restrictions"): ("CONCEDE", "081"),
    ("send", "troops"): ("MOBILIZE", "154"), ("dispatch", "troops"): ("MOBILIZE", "154"),
    ("mass", "troops"): ("MOBILIZE", "154"), ("move", "troops"): ("MOBILIZE", "154"),
    ("withdraw", "troops"): ("RETREAT", "087"), ("pull", "troops"): ("RETREAT", "087"),
    ("send", "aid"): ("AID", "070"), ("provide", "aid"): ("AID", "070"),
    ("deliver", "aid"): ("AID", "070"), ("give", "aid"): ("AID", "070"),
    ("ship", "aid"): ("AID", "070"), ("grant", "aid"): ("AID", "070"),
    ("supply", "aid"): ("AID", "070"), ("dispatch", "aid"): ("AID", "070"),
    ("send", "diplomats"): ("CONSULT", "042"),
    ("withdraw", "diplomats"): ("SANCTION", "161"), ("recall", "diplomats"): ("SANCTION", "161"),
    ("expel", "diplomats"): ("SANCTION", "166"), ("close", "diplomats"): ("SANCTION", "161"),
    ("withdraw", "aid"): ("SANCTION", "162"), ("cut", "aid"): ("SANCTION", "162"),
    ("suspend", "aid"): ("SANCTION", "162"), ("halt", "aid"): ("SANCTION", "162"),
    ("freeze", "aid"): ("SANCTION", "162"), ("reduce", "aid"): ("SANCTION", "162"),
    ("stop", "aid"): ("SANCTION", "162"), ("end", "aid"): ("SANCTION", "162"),
    ("cut", "relations"): ("SANCTION", "161"), ("sever", "relations"): ("SANCTION", "161"),
    ("break", "relations"): ("SANCTION", "161"), ("suspend", "relations"): ("SANCTION", "161"),
    ("downgrade", "relations"): ("SANCTION", "161"), ("freeze", "relations"): ("SANCTION", "161"),
    ("restore", "relations"): ("SUPPORT", "050"), ("establish", "relations"): ("SUPPORT", "050"),
    ("upgrade", "relations"): ("SUPPORT", "050"), ("normalize", "relations"): ("SUPPORT", "050"),
    ("resume", "relations"): ("SUPPORT", "050"),
    ("suspend", "talks"): ("SANCTION", "164"), ("halt", "talks"): ("SANCTION", "164"),
    ("break", "talks"): ("SANCTION", "164"), ("end", "talks"): ("SANCTION", "164"),
    ("cancel", "talks"): ("SANCTION", "164"), ("cancel", "visits"): ("SANCTION", "16"),
    ("freeze", "talks"): ("SANCTION", "164"),
    ("freeze", "sanctions"): ("RETREAT", "085"),
    ("release", "people_held"): ("RETREAT", "0841"), ("free", "people_held"): ("RETREAT", "0841"),
    ("return", "people_held"): ("RETREAT", "0841"), ("exchange", "people_held"): ("RETREAT", "0841"),
    ("swap", "people_held"): ("RETREAT", "0841"), ("hand", "people_held"): ("RETREAT", "0841"),
    ("return", "weapons"): ("RETREAT", "0842"),
    ("declare", "ceasefire"): ("RETREAT", "0871"), ("announce", "ceasefire"): ("RETREAT", "0871"),
    ("observe", "ceasefire"): ("RETREAT", "0871"), ("violate", "ceasefire"): ("ASSAULT", "196"),
    ("break", "ceasefire"): ("ASSAULT", "196"), ("breach", "ceasefire"): ("ASSAULT", "196"),
    ("reach", "agreement"): ("AGREE", "03"), ("strike", "agreement"): ("AGREE", "03"),
    ("conclude", "agreement"): ("AGREE", "03"), ("broker", "agreement"): ("AGREE", "03"),
    ("seal", "agreement"): ("AGREE", "03"), ("agree", "agreement"): ("AGREE", "03"),
    ("sign", "agreement"): ("SUPPORT", "057"), ("ink", "agreement"): ("SUPPORT", "057"),
    ("reach", "ceasefire"): ("AGREE", "03"), ("agree", "ceasefire"): ("AGREE", "03"),
    ("fire", "weapons"): ("ASSAULT", "193"), ("launch", "weapons"): ("ASSAULT", "195"),
    ("drop", "weapons"): ("ASSAULT", "195"), ("fire", "attacks"): ("ASSAULT", "193"),
    ("open", "attacks"): ("ASSAULT", "193"),
    ("accept", "demands"): ("CONCEDE", "083"), ("meet", "demands"): ("CONCEDE", "083"),
    ("grant", "demands"): ("CONCEDE", "083"), ("reject", "demands"): ("REJECT", "12"),
    ("lodge", "complaints"): ("ACCUSE", "114"), ("file", "complaints"): ("ACCUSE", "115"),
    ("bring", "complaints"): ("ACCUSE", "115"),
    ("issue", "threats"): ("THREATEN", "139"), ("make", "threats"): ("THREATEN", "130"),
    ("issue", "demands"): ("REQUEST", "100"), ("make", "demands"): ("REQUEST", "100"),
    ("make", "offers"): ("AGREE", "03"), ("make", "concessions"): ("CONCEDE", "080"),
    ("offer", "concessions"): ("CONCEDE", "080"),
    ("make", "arrests"): ("COERCE", "173"), ("make", "visits"): ("CONSULT", "042"),
    ("pay", "visits"): ("CONSULT", "042"),
    ("share", "information"): ("COOPERATE", "064"), ("exchange", "information"): ("COOPERATE", "064"),
    ("close", "border"): ("COERCE", "191"),
    ("take", "hostage"): ("ASSAULT", "181"), ("hold", "hostage"): ("ASSAULT", "181"),
    ("launch", "investigation"): ("ACCUSE", "090"), ("open", "investigation"): ("ACCUSE", "090"),
    ("order", "investigation"): ("ACCUSE", "090"),
    ("grant", "asylum"): ("AID", "075"),
    ("cancel", "restrictions"): ("CONCEDE", "081"), ("scrap", "restrictions"): ("CONCEDE", "081"),
    ("abolish", "restrictions"): ("CONCEDE", "081"), ("remove", "restrictions"): ("CONCEDE", "081"),
    ("end", "restrictions"): ("CONCEDE", "081"), ("remove", "sanctions"): ("RETREAT", "085"),
    ("end", "sanctions"): ("RETREAT", "085"), ("scrap", "sanctions"): ("RETREAT", "085"),
    ("hand", "aid"): ("AID", "070"), ("hand", "weapons"): ("AID", "072"),
    ("host", "talks"): ("CONSULT", "043"), ("hold", "talks"): ("CONSULT", "040"),
    ("attend", "talks"): ("CONSULT", "040"), ("resume", "talks"): ("CONSULT", "046"),
    ("strengthen", "troops"): ("MOBILIZE", "154"), ("boost", "troops"): ("MOBILIZE", "154"),
    ("bolster", "troops"): ("MOBILIZE", "154"), ("increase", "troops"): ("MOBILIZE", "154"),
    ("reinforce", "troops"): ("MOBILIZE", "154"), ("deploy", "troops"): ("MOBILIZE", "154"),
    ("receive", "diplomats"): ("RETREAT", "0862"), ("admit", "diplomats"): ("RETREAT", "0862"),
    ("block", "road"): ("PROTEST", "144"), ("block", "border"): ("COERCE", "191"),
})

# Verbs that carry an event noun as their object ("launched airstrikes", "held talks").
SUPPORT_VERBS = frozenset({
    "launch", "carry", "conduct", "mount", "stage", "hold", "begin", "start", "continue",
    "resume", "intensify", "escalate", "step", "organize", "organise", "lead", "make", "take",
    "give", "issue", "lodge", "file", "announce", "declare", "call", "order", "undertake",
    "pay", "open", "reach", "attend", "host", "join", "renew", "unleash", "press", "wage",
    "commit", "perpetrate", "plan", "claim", "step", "impose", "initiate", "hold", "have",
    "end", "extend", "expand", "deliver", "provide", "send", "offer", "express", "voice",
    "receive", "get", "accept", "win", "complete", "finish", "speed", "announce", "stage",
    "institute", "introduce", "enforce", "reimpose", "perform", "execute",
})
_PREP_CARRIERS = frozenset({"go", "remain", "put", "be", "engage", "resort", "take", "place", "keep"})
_EVENT_HEADS = frozenset({
    "effort", "mission", "process", "campaign", "operation", "program", "programme", "bid",
    "initiative", "drive", "force", "troops", "mandate", "plan",
})

# Event nouns -> type. "strike" depends on its modifiers (see _noun_type).
NOUNS = _table({
    "attack": ("ASSAULT", "190"), "airstrike": ("ASSAULT", "195"), "strike": ("ASSAULT", "190"),
    "raid": ("ASSAULT", "190"), "bombing": ("ASSAULT", "183"), "shelling": ("ASSAULT", "194"),
    "bombardment": ("ASSAULT", "194"), "offensive": ("ASSAULT", "190"), "assault": ("ASSAULT", "190"),
    "invasion": ("ASSAULT", "190"), "incursion": ("ASSAULT", "190"), "ambush": ("ASSAULT", "190"),
    "massacre": ("ASSAULT", "202"), "killing": ("ASSAULT", "1823"), "assassination": ("ASSAULT", "186"),
    "shooting": ("ASSAULT", "193"), "barrage": ("ASSAULT", "194"), "clash": ("ASSAULT", "190"),
    "counteroffensive": ("ASSAULT", "190"), "counterattack": ("ASSAULT", "190"),
    "retaliation": ("ASSAULT", "190"),
    "protest": ("PROTEST", "140"), "demonstration": ("PROTEST", "141"), "rally": ("PROTEST", "141"),
    "march": ("PROTEST", "141"), "riot": ("PROTEST", "145"), "boycott": ("PROTEST", "143"),
    "sit-in": ("PROTEST", "141"), "walkout": ("PROTEST", "143"), "vigil": ("PROTEST", "141"),
    "talk": ("CONSULT", "046"), "negotiation": ("CONSULT", "046"), "meeting": ("CONSULT", "040"),
    "summit": ("CONSULT", "040"), "visit": ("CONSULT", "042"), "consultation": ("CONSULT", "040"),
    "mediation": ("CONSULT", "045"), "dialogue": ("CONSULT", "040"),
    "sanction": ("SANCTION", "163"), "embargo": ("SANCTION", "163"), "expulsion": ("SANCTION", "166"),
    "arrest": ("COERCE", "173"), "detention": ("COERCE", "173"), "deportation": ("COERCE", "174"),
    "crackdown": ("COERCE", "17"), "blockade": ("COERCE", "191"), "siege": ("COERCE", "191"),
    "occupation": ("COERCE", "192"), "annexation": ("COERCE", "192"), "seizure": ("COERCE", "171"),
    "curfew": ("COERCE", "1723"),
    "withdrawal": ("RETREAT", "087"), "pullout": ("RETREAT", "087"), "retreat": ("RETREAT", "0874"),
    "surrender": ("RETREAT", "0874"), "release": ("RETREAT", "0841"), "ceasefire": ("RETREAT", "0871"),
    "cease-fire": ("RETREAT", "0871"), "truce": ("RETREAT", "0871"),
    "deployment": ("MOBILIZE", "154"), "mobilization": ("MOBILIZE", "154"),
    "buildup": ("MOBILIZE", "154"), "mobilisation": ("MOBILIZE", "154"),
    "aid": ("AID", "070"), "assistance": ("AID", "070"), "donation": ("AID", "070"),
    "accusation": ("ACCUSE", "112"), "condemnation": ("ACCUSE", "111"), "criticism": ("ACCUSE", "111"),
    "allegation": ("ACCUSE", "112"), "investigation": ("ACCUSE", "090"), "probe": ("ACCUSE", "090"),
    "complaint": ("ACCUSE", "114"), "lawsuit": ("ACCUSE", "115"), "inquiry": ("ACCUSE", "090"),
    "demand": ("REQUEST", "100"), "call": ("REQUEST", "100"), "appeal": ("REQUEST", "100"),
    "request": ("REQUEST", "100"), "plea": ("REQUEST", "100"),
    "rejection": ("REJECT", "120"), "refusal": ("REJECT", "120"), "veto": ("REJECT", "129"),
    "threat": ("THREATEN", "130"), "ultimatum": ("THREATEN", "139"), "warning": ("THREATEN", "130"),
    "agreement": ("AGREE", "03"), "deal": ("AGREE", "03"), "accord": ("AGREE", "03"),
    "pledge": ("AGREE", "03"), "promise": ("AGREE", "03"), "commitment": ("AGREE", "03"),
    "offer": ("AGREE", "03"), "treaty": ("AGREE", "03"), "pact": ("AGREE", "03"),
    "support": ("SUPPORT", "050"), "endorsement": ("SUPPORT", "051"), "praise": ("SUPPORT", "051"),
    "backing": ("SUPPORT", "051"), "apology": ("SUPPORT", "055"), "recognition": ("SUPPORT", "054"),
    "cooperation": ("COOPERATE", "060"), "partnership": ("COOPERATE", "060"),
    "alliance": ("COOPERATE", "060"), "collaboration": ("COOPERATE", "060"),
    "concession": ("CONCEDE", "080"),
    "suspension": ("SANCTION", "162"), "exercise": ("MOBILIZE", "150"), "drill": ("MOBILIZE", "150"),
    "game": ("MOBILIZE", "150"), "alert": ("MOBILIZE", "152"), "cleansing": ("ASSAULT", "203"),
    "peacekeeping": ("AID", "074"),
})
_PROTEST_STRIKE = frozenset({
    "hunger", "general", "labor", "labour", "worker", "workers", "teacher", "national", "rail",
    "nationwide", "union", "doctor", "nurse", "miner", "transport", "student", "one-day", "24-hour",
})
_MILITARY_STRIKE = frozenset({
    "air", "missile", "drone", "rocket", "artillery", "military", "precision", "retaliatory",
    "preemptive", "pre-emptive", "nuclear", "israeli", "russian", "american", "u.s.", "us",
})

# Matrix verbs: what happens to a lexicon verb in their complement.
_OBJECT_CONTROL = frozenset({
    "urge", "ask", "order", "call", "force", "allow", "help", "encourage", "persuade", "invite",
    "tell", "press", "pressure", "push", "compel", "implore", "beg", "exhort", "require",
    "request", "authorize", "permit", "instruct", "warn",
})
_INTENT_MATRIX = frozenset({
    "plan", "intend", "prepare", "want", "aim", "hope", "expect", "decide", "vow", "swear",
    "pledge", "promise", "offer", "threaten", "agree", "mean", "wish",
    "resolve", "determine", "propose", "consider",
})
_FAILURE_MATRIX = frozenset({"fail", "refuse", "decline", "neglect"})
_TAKES_INFINITIVE = _INTENT_MATRIX | _OBJECT_CONTROL | _FAILURE_MATRIX | {"threaten", "agree", "urge"}
_INTENT_ADJECTIVES = frozenset({"ready", "willing", "prepared", "poised", "determined", "set", "due"})
_NOT_EVENTS = frozenset({"say", "tell", "add", "note", "state", "report", "explain", "write"})
_FUTURE_AUX = frozenset({"will", "would", "shall", "'ll", "wo"})

_LOCATIVE = frozenset({
    "in", "near", "at", "outside", "inside", "across", "around", "along", "throughout", "within",
    "on", "into", "over", "off", "towards", "toward", "from",
})
_PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
_ACTOR_MODIFIER_TYPES = frozenset({"GPE", "NORP", "ORG", "PERSON"})
_QUANTITY_HEADS = frozenset({
    "group", "number", "hundred", "thousand", "dozen", "score", "million", "ten", "some", "many",
    "most", "part", "half", "one", "two", "three", "several", "all", "each", "batch", "wave",
    "crowd", "band", "team", "handful", "majority", "couple", "lot", "series", "unit",
})
_ROLE_HEADS = frozenset({
    "president", "minister", "secretary", "leader", "head", "chief", "member", "government",
    "spokesman", "spokeswoman", "spokesperson", "ambassador", "commander", "official",
    "representative", "delegation", "chairman", "director", "king", "queen", "prime",
    "governor", "mayor", "general", "people", "citizen", "resident", "supporter", "army",
    "force", "troop", "ministry", "office", "council", "parliament", "court", "authority",
    "administration", "wing", "faction",
})
_PROXY_NOUNS = frozenset({
    "proposal", "offer", "plan", "demand", "request", "call", "appeal", "decision", "policy",
    "statement", "resolution", "effort", "invitation", "ultimatum", "refusal", "failure",
    "suppression", "attack", "strike", "airstrike", "invasion", "bombing", "raid", "move",
    "action", "actions", "conduct", "role", "behavior", "behaviour", "position", "stance",
    "claim", "remarks", "comments", "threat", "bid", "initiative", "idea", "proposition",
    "mediation", "aggression", "occupation", "crackdown", "treatment", "handling", "response",
    "shelling", "offensive", "intervention", "annexation", "program", "programme",
})
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "us"})
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})

# Target prepositions by type (after the direct object).
_TARGET_PREPS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType({
    "ASSAULT": ("on", "against", "at", "upon", "with", "to"),
    "COERCE": ("on", "against", "in", "from", "with"),
    "SANCTION": ("on", "against", "with", "from", "to", "for"),
    "ACCUSE": ("against", "of", "on", "about", "to", "with", "into"),
    "REQUEST": ("on", "upon", "to", "from"),
    "REJECT": ("from", "to", "by"),
    "THREATEN": ("against", "with", "to", "on"),
    "PROTEST": ("against",),
    "CONSULT": ("with", "to", "between"),
    "SUPPORT": ("for", "to", "with"),
    "AGREE": ("with", "to", "for", "between"),
    "COOPERATE": ("with", "to"),
    "AID": ("to", "for"),
    "CONCEDE": ("to", "for", "on", "in"),
    "RETREAT": ("from", "to", "on", "in"),
    "MOBILIZE": ("against", "to", "into", "in", "near", "along"),
})


_KNOWN_LEMMAS = frozenset(
    set(VERBS) | {k[0] for k in PHRASAL} | {k[0] for k in OBJECT_FRAMES} | set(SUPPORT_VERBS)
    | set(NOUNS) | {"say", "tell", "add", "note", "state", "report", "explain", "write", "be", "have"}
)


def _lemma(token: Any) -> str:
    """The token's lemma, repaired when the lemmatizer misses a lexicon word ("staged" -> "stag")."""
    lemma: str = token.lemma_.lower()
    if lemma in _KNOWN_LEMMAS or not token.is_alpha:
        return lemma
    word = token.lower_
    for candidate in (word, word[:-1], word[:-2], word[:-3], word[:-3] + "e", word[:-2] + "e", word[:-3] + "y"):
        if candidate in _KNOWN_LEMMAS:
            return candidate
    return lemma


def lexicon_rows() -> list[tuple[str, str, str, str]]:
    """Every lexicon entry as ``(pattern, type, CAMEO code, kind)``, for docs and tests."""
    rows: list[tuple[str, str, str, str]] = []
    for lemma, (type_, cameo) in VERBS.items():
        if type_:
            rows.append((lemma, type_, cameo, "verb"))
    for (lemma, word), (type_, cameo) in PHRASAL.items():
        if type_:
            rows.append((f"{lemma} {word}", type_, cameo, "verb + particle/preposition"))
    for (lemma, cls), (type_, cameo) in OBJECT_FRAMES.items():
        rows.append((f"{lemma} + {cls}", type_, cameo, "verb + object class"))
    for lemma, (type_, cameo) in NOUNS.items():
        rows.append((lemma, type_, cameo, "noun"))
    return rows


# --- extraction ----------------------------------------------------------------


class _Context:
    """Per-document lookups built once: entity per token, dates, quotes, dateline."""

    def __init__(
        self,
        doc: Any,
        article_id: str,
        entities: Sequence[Entity],
        quotes: Sequence[Quote],
        dates: Sequence[TimeExpression],
    ) -> None:
        self.doc = doc
        self.article_id = article_id
        self.quotes = quotes
        self.dates = sorted(dates, key=lambda d: d.start)
        n = len(doc)
        self.entity_of: list[tuple[str, str] | None] = [None] * n  # (id, type) per token
        self.label_of: list[str | None] = [None] * n
        for ent in getattr(doc, "ents", ()):
            for i in range(ent.start, ent.end):
                self.label_of[i] = ent.label_
        self.starts = [t.idx for t in doc]
        for entity in entities:
            for mention in entity.mentions:
                if mention.article and mention.article != article_id:
                    continue
                for i in self.tokens_in(mention.start, mention.end):
                    if self.entity_of[i] is None:
                        self.entity_of[i] = (entity.id, entity.type)
        self.is_date = [False] * n
        for d in self.dates:
            for i in self.tokens_in(d.start, d.end):
                self.is_date[i] = True
        for i in range(n):
            if self.label_of[i] in ("DATE", "TIME"):
                self.is_date[i] = True
        self.dateline = self._dateline()

    def tokens_in(self, start: int, end: int) -> Iterable[int]:
        i = max(bisect.bisect_right(self.starts, start) - 1, 0)
        while i < len(self.doc) and self.starts[i] < end:
            token = self.doc[i]
            if token.idx + len(token.text) > start:
                yield i
            i += 1

    def place_type(self, i: int) -> bool:
        resolved = self.entity_of[i]
        if resolved is not None:
            return resolved[1] in _PLACE_TYPES
        return self.label_of[i] in _PLACE_TYPES

    def actorish(self, i: int) -> bool:
        resolved = self.entity_of[i]
        if resolved is not None:
            return resolved[1] in _ACTOR_MODIFIER_TYPES
        return self.label_of[i] in _ACTOR_MODIFIER_TYPES

    def _dateline(self) -> tuple[str | None, str, int, int] | None:
        """The "KYIV, Ukraine (AP) —" opener: (entity id or None, text, start, end)."""
        m = _DATELINE.match(self.doc.text[:200])
        if not m:
            return None
        start, end = m.start(1), m.end(1)
        text = self.doc.text[start:end].strip()
        entity = None
        for i in self.tokens_in(start, end):
            if self.entity_of[i] is not None:
                entity = self.entity_of[i][0]  # type: ignore[index]
                break
        return entity, text, start, end

    def in_dateline(self, token: Any) -> bool:
        return self.dateline is not None and self.dateline[2] <= token.idx < self.dateline[3] + 2


_DATELINE = re.compile(
    r"\A\s*([A-Z][A-Z.'\- ]{1,40}[A-Z.])(?:,\s*[A-Z][A-Za-z.\- ]{1,30})?\s*"
    r"(?:\([A-Za-z.\- ]{1,30}\))?\s*(?:[-\u2013\u2014_:]{1,2})"
)


def find_events(
    doc: Any,
    article_id: str,
    entities: Sequence[Entity] = (),
    quotes: Sequence[Quote] = (),
    dates: Sequence[TimeExpression] = (),
) -> tuple[Event, ...]:
    """Extract PLOVER events from a parsed ``Doc``.

    Needs the dependency parse and lemmas; on a ``Doc`` without them (e.g.
    ``spacy.blank``) it returns no events rather than guessing. Never raises on
    odd text: a sentence that trips an unexpected parse is skipped.
    """
    if not len(doc) or not doc.has_annotation("DEP"):
        return ()
    ctx = _Context(doc, article_id, entities, quotes, dates)
    events: list[Event] = []
    seen: set[str] = set()
    for sent in doc.sents:
        try:
            found = _sentence_events(ctx, sent)
        except (IndexError, ValueError, KeyError, AttributeError, RecursionError):  # pragma: no cover
            continue
        for event in found:
            if event.id not in seen:
                seen.add(event.id)
                events.append(event)
    return tuple(events)


class _Frame:
    """One trigger with its type and argument heads, before expansion."""

    __slots__ = ("type", "trigger", "verb", "actors", "targets", "negated", "consumed")

    def __init__(self, type_: str, trigger: Any, verb: Any) -> None:
        self.type = type_
        self.trigger = trigger  # the token named as trigger
        self.verb = verb  # the verb whose clause the event lives in
        self.actors: list[Any] = []
        self.targets: list[Any] = []
        self.negated = False
        self.consumed: set[int] = set()  # nouns this frame used up ("impose *sanctions*")


def _sentence_events(ctx: _Context, sent: Any) -> list[Event]:
    frames: dict[int, _Frame] = {}
    # 1. verbs
    for token in sent:
        if _is_verb(token):
            frame = _verb_frame(ctx, token)
            if frame is not None:
                frames[token.i] = frame
    # 2. "X said Y must do Z": a demand on Y (CAMEO 10)
    for token in sent:
        if _is_verb(token) and any(c.dep_ == "aux" and c.lower_ in ("must", "should") for c in token.children):
            frame = _modal_demand(ctx, token, frames)
            if frame is not None:
                frames[token.i] = frame
    consumed: set[int] = set()
    for frame in frames.values():
        consumed |= frame.consumed
    # 3. complements of lexicon verbs fold into the governing event
    for i in sorted(frames, key=lambda i: -_depth(sent.doc[i])):
        frame = frames.get(i)
        if frame is None or frame.verb.i != i:
            continue
        head = _governing_verb(frame.verb)
        if head is not None and head.i in frames and head.i != i and _folds(frames[head.i]):
            _fold(frames[head.i], frame)
            del frames[i]
    # 4. nouns
    for token in sent:
        if token.i in consumed or token.i in frames:
            continue
        if token.pos_ in ("NOUN", "PROPN") and (_lemma(token) in NOUNS or _compound_event(token) is not None):
            frame = _noun_frame(ctx, token, frames)
            if frame is not None:
                frames[token.i] = frame
    # 5. intent ("will withdraw", "plans to impose") and failure, as CAMEO codes them
    for frame in frames.values():
        _apply_mood(frame)
    events: list[Event] = []
    for frame in sorted(frames.values(), key=lambda f: f.trigger.i):
        events.extend(_expand(ctx, sent, frame))
    return events


def _is_verb(token: Any) -> bool:
    if token.dep_ in ("amod", "compound", "nmod"):
        return False  # "Israeli-occupied", "the attacked convoy"
    return token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB")


def _depth(token: Any) -> int:
    depth = 0
    while token.head.i != token.i and depth < 50:
        token = token.head
        depth += 1
    return depth


def _governing_verb(verb: Any) -> Any | None:
    """The verb a complement clause hangs from: "agreed *to withdraw*", "urged X *to release*"."""
    if verb.dep_ in ("xcomp", "ccomp"):
        return verb.head
    if verb.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) and (
        _lemma(verb.head) in _TAKES_INFINITIVE
    ):
        return verb.head  # "have sworn to fight": spaCy often reads the complement as advcl
    if verb.dep_ == "conj" and verb.head.dep_ in ("xcomp", "ccomp"):
        return verb.head.head  # "agreed to unite and mobilize"
    if verb.dep_ in ("acl", "advcl") and verb.head.pos_ in ("ADJ",) and verb.head.dep_ == "acomp":
        return verb.head.head
    return None


def _particles(token: Any) -> list[str]:
    return [c.lower_ for c in token.children if c.dep_ == "prt"]


def _preps(token: Any) -> list[Any]:
    return [c for c in token.children if c.dep_ in ("prep", "agent", "dative") and c.pos_ == "ADP"]


def _pobj(prep: Any) -> Any | None:
    return next((c for c in prep.children if c.dep_ == "pobj"), None)


def _object(token: Any) -> Any | None:
    for c in token.children:
        if c.dep_ in ("dobj", "obj"):
            return c
    for c in token.children:
        if c.dep_ == "nsubjpass":
            return c
    return None


def _object_classes(token: Any | None) -> list[str]:
    """Every object class the noun (or its compound modifiers, or "X of Y") belongs to."""
    if token is None:
        return []
    token = _quantity_head(token)
    lemma = _lemma(token)
    names: list[str] = []
    if lemma in ("state", "law") and any(c.lower_ in ("emergency", "martial", "siege") for c in token.subtree):
        names.append("restrictions")
    names.extend(name for name, words in OBJECT_CLASSES.items() if lemma in words)
    for c in token.children:
        if c.dep_ in ("compound", "amod") and c.i < token.i:
            names.extend(n for n, words in OBJECT_CLASSES.items() if _lemma(c) in words and n not in names)
        elif c.dep_ == "prep" and c.lower_ == "of":
            pobj = _pobj(c)
            if pobj is not None:
                names.extend(
                    n for n, words in OBJECT_CLASSES.items()
                    if _lemma(pobj) in words and n in ("aid", "troops", "people_held", "diplomats") and n not in names
                )
    return names


def _verb_frame(ctx: _Context, token: Any) -> _Frame | None:
    lemma = _lemma(token)
    if lemma in _NOT_EVENTS:
        return None
    entry = None
    consumed: set[int] = set()
    obj = _object(token)
    classes = _object_classes(obj)
    # the object refines the verb first: "impose sanctions", "hand over medicine"
    for cls in classes:
        entry = OBJECT_FRAMES.get((lemma, cls))
        if entry:
            if obj is not None:
                consumed.add(obj.i)
                consumed.add(_quantity_head(obj).i)
            break
    if entry is None:
        for word in _particles(token) + [p.lower_ for p in _preps(token)]:
            entry = PHRASAL.get((lemma, word))
            if entry:
                break
    if entry is None and obj is not None:
        entry = PHRASAL.get((lemma, _lemma(obj)))  # "open fire", "join forces"
        if entry:
            consumed.add(obj.i)
    if entry is None and lemma == "go" and obj is None:
        for prep in _preps(token):
            pobj = _pobj(prep)
            if pobj is not None and _lemma(pobj) == "strike":
                entry = ("PROTEST", "143")
                consumed.add(pobj.i)
    if entry is None:
        for prep in _preps(token):  # "remained on alert", "put troops on alert"
            pobj = _pobj(prep)
            if prep.lower_ == "on" and pobj is not None and _lemma(pobj) == "alert":
                entry = ("MOBILIZE", "152")
                consumed.add(pobj.i)
    if entry is None and lemma in ("release", "free", "return") and _is_person(ctx, obj):
        entry = ("RETREAT", "0841")
    if entry is None:
        entry = VERBS.get(lemma)
    if entry is None or entry[0] is None:
        return None
    type_ = entry[0]
    if lemma == "strike" and obj is None and not _preps(token):
        type_ = "PROTEST"  # "workers struck": a labour strike, not an attack
    if lemma == "rally" and obj is not None:
        type_ = "SUPPORT"  # "rallied support"
    if lemma == "block" and type_ == "COERCE" and any(c in ("road",) for c in classes):
        type_ = "PROTEST"
    if lemma == "order" and not any(c.dep_ in ("xcomp", "ccomp") for c in token.children):
        return None  # "ordered new airliners" is a purchase; a demand has an addressee and an act
    if lemma in ("arrive", "travel", "fly", "visit") and not _animate_subject(ctx, token):
        return None  # "the aircraft flew to Singapore" is no visit
    frame = _Frame(type_, token, token)
    frame.consumed = consumed
    frame.negated = _negated(token) or any(  # "made no arrests"
        c.dep_ == "det" and c.lower_ == "no" for i in consumed for c in token.doc[i].children
    )
    frame.actors = _actors_of(ctx, token, type_)
    frame.targets = _targets(ctx, token, type_, obj, consumed)
    return frame


def _modal_demand(ctx: _Context, verb: Any, frames: dict[int, _Frame]) -> _Frame | None:
    """"Russia said Sudan must return the helicopter": Russia demands of Sudan."""
    if verb.dep_ != "ccomp":
        return None
    reporter = verb.head
    actors = _actors_of(ctx, reporter, "REQUEST")
    if not actors:
        return None
    frame = _Frame("REQUEST", verb, verb)
    frame.actors = actors
    frame.targets = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")][:1]
    frame.targets = _conjuncts(frame.targets[0]) if frame.targets else []
    inner = frames.get(verb.i)
    if inner is not None:
        frame.consumed = inner.consumed
    return frame


def _animate_subject(ctx: _Context, token: Any) -> bool:
    subjects = [c for c in token.children if c.dep_ == "nsubj"]
    if not subjects:
        return True  # unknown: keep
    subject = subjects[0]
    if ctx.entity_of[subject.i] is not None or ctx.label_of[subject.i] in ("PERSON", "ORG", "GPE", "NORP"):
        return True
    lemma = _lemma(subject)
    return _is_pronoun(subject) or lemma in _ROLE_HEADS or lemma in _ANIMATE


def _is_person(ctx: _Context, token: Any | None) -> bool:
    if token is None:
        return False
    resolved = ctx.entity_of[token.i]
    if resolved is not None:
        return resolved[1] == "PERSON"
    return ctx.label_of[token.i] == "PERSON"


def _negated(token: Any) -> bool:
    return any(c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ == "never") for c in token.children)


def _actors_of(ctx: _Context, token: Any, type_: str) -> list[Any]:
    actors = _subjects(ctx, token)
    if not actors and type_ in ("AGREE", "REJECT", "SUPPORT", "CONCEDE"):
        # "Vietnam is committed to", "Israel is opposed to": adjectival passives
        passive = [c for c in token.children if c.dep_ == "nsubjpass"]
        if passive and not any(c.dep_ == "agent" for c in token.children):
            actors = _conjuncts(passive[0])
    return [_speaker_for_pronoun(ctx, a) for a in actors]


def _subjects(ctx: _Context, token: Any, depth: int = 0) -> list[Any]:
    if depth > 6:
        return []
    subjects = [c for c in token.children if c.dep_ in ("nsubj", "csubj") and not ctx.in_dateline(c)]
    if subjects:
        nearest = min(subjects, key=lambda c: abs(token.i - c.i))
        return _conjuncts(_quantity_head(_relative_head(nearest)))
    for c in token.children:
        if c.dep_ == "agent":
            pobj = _pobj(c)
            if pobj is not None:
                return _conjuncts(_quantity_head(pobj))
    if any(c.dep_ == "nsubjpass" for c in token.children):
        return []
    head = token.head
    if token.dep_ in ("acl", "relcl") and head.pos_ in ("NOUN", "PROPN"):
        if token.tag_ == "VBN":
            return []  # "troops stationed in X": the noun is the object
        if head.dep_ in ("dobj", "pobj") and not ctx.actorish(head.i) and _lemma(head) not in _ROLE_HEADS:
            # "issued a declaration demanding…": the declaration's author
            return _subjects(ctx, head.head if head.dep_ == "dobj" else head.head.head, depth + 1)
        return _conjuncts(head)
    if token.dep_ == "conj" and _is_verb(head):
        return _subjects(ctx, head, depth + 1)  # "X attacked Y and killed Z"
    if token.dep_ == "xcomp" and _lemma(head) in _OBJECT_CONTROL:
        obj = next((c for c in head.children if c.dep_ in ("dobj",)), None)
        if obj is not None:
            return _conjuncts(obj)  # "urged Israel to release": Israel releases
    if token.dep_ in ("xcomp", "advcl") and head.i != token.i:
        return _subjects(ctx, head, depth + 1)  # "agreed to withdraw", "…, killing three"
    if token.dep_ in ("acomp", "ccomp") and head.i != token.i and depth < 2:
        return _subjects(ctx, head, depth + 1)
    if head.dep_ == "acomp" and head.head.i != head.i:
        return _subjects(ctx, head.head, depth + 1)  # "is ready to host"
    return []


def _speaker_for_pronoun(ctx: _Context, token: Any) -> Any:
    """"Hungary said it will support…": a pronoun subject under a reporting verb is the reporter."""
    if not _is_pronoun(token):
        return token
    node = token.head
    for _ in range(4):
        if node.dep_ not in ("ccomp", "xcomp", "conj", "advcl") or node.head.i == node.i:
            return token
        node = node.head
        reporters = [c for c in node.children if c.dep_ == "nsubj" and not _is_pronoun(c)]
        if reporters:
            return _quantity_head(_relative_head(reporters[0]))
    return token


def _relative_head(token: Any) -> Any:
    """A relative pronoun subject ("troops who attacked") stands for the noun it modifies."""
    if token.lower_ in ("who", "which", "that") and token.head.dep_ == "relcl":
        return token.head.head
    return token


def _conjuncts(token: Any) -> list[Any]:
    out = [token]
    for c in token.children:
        if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN", "PRON"):
            out.extend(_conjuncts(c))
    return out[:4]


def _targets(ctx: _Context, token: Any, type_: str, obj: Any | None, consumed: set[int]) -> list[Any]:
    preps = _TARGET_PREPS.get(type_, ())
    if obj is not None and ctx.is_date[obj.i]:
        obj = None
    if obj is not None and obj.i in consumed:
        owner = _owner(ctx, obj)
        if owner is not None and type_ in ("REJECT", "CONCEDE", "AGREE", "ACCUSE", "SUPPORT"):
            return _conjuncts(owner)  # "rejected North Korea's demand"
        if set(_object_classes(obj)) & {"diplomats", "people_held"}:
            source = _actor_like_pobj(ctx, _quantity_head(obj), ("of", "from"))
            return _conjuncts(source if source is not None else _quantity_head(obj))  # "expelled inspectors of the IAEA"
    prep_target = _prep_target(ctx, [token] + [token.doc[i] for i in sorted(consumed)], type_, preps)
    if obj is not None and obj.i not in consumed and type_ in _THING_OBJECT_TYPES and not _is_actor_like(ctx, obj):
        # "confiscated weapons from armed groups", "boycott all contact with the United States"
        own = _actor_like_pobj(ctx, obj, ("with", "on", "against", "to", "from", "for"))
        if own is not None:
            return _conjuncts(own)
        if prep_target and _is_actor_like(ctx, prep_target[0]) and prep_target[0].head.lower_ not in _PLACE_PREPS:
            return prep_target
    if obj is not None and obj.i not in consumed:
        if obj.dep_ == "nsubjpass":
            return _conjuncts(obj)
        owner = _owner(ctx, obj)
        if owner is None and not _is_actor_like(ctx, obj) and type_ not in ("ACCUSE",):
            owner = _actor_like_pobj(ctx, obj, ("of",))  # "positions of the Rapid Support Forces"
        if owner is not None:
            return _conjuncts(owner)
        of_target = _of_target(obj) if type_ == "REQUEST" else None
        if of_target is not None:
            return _conjuncts(of_target)  # "demanded the removal of President X"
        if set(_object_classes(obj)) & {"troops", "aid"} and type_ in ("MOBILIZE", "AID", "RETREAT"):
            pass  # "deployed troops to X": the troops are not the target
        elif prep_target and type_ in ("THREATEN", "REQUEST") and not _is_actor_like(ctx, obj):
            return prep_target  # "threatened further action against Russia"
        else:
            return _conjuncts(_quantity_head(obj))
    for c in token.children:  # dative: "gave Tanzania a grant"
        if c.dep_ == "dative" and c.pos_ in ("NOUN", "PROPN", "PRON"):
            return _conjuncts(c)
    if prep_target:
        return prep_target
    if type_ in ("REQUEST", "ACCUSE", "THREATEN"):  # "demanded that Hamas renounce…"
        for c in token.children:
            if c.dep_ == "ccomp":
                for s in c.children:
                    if s.dep_ in ("nsubj", "nsubjpass") and not _is_pronoun(s):
                        return _conjuncts(s)
    return []


def _prep_target(ctx: _Context, holders: list[Any], type_: str, preps: tuple[str, ...]) -> list[Any]:
    for holder in holders:
        for prep in _preps(holder):
            if prep.lower_ not in preps:
                continue
            pobj = _pobj(prep)
            if pobj is None or ctx.is_date[pobj.i]:
                continue
            if prep.lower_ in ("in", "near", "along") and type_ not in ("MOBILIZE", "COERCE", "CONSULT", "RETREAT", "CONCEDE"):
                continue
            owner = _owner(ctx, pobj)
            return _conjuncts(owner if owner is not None else _quantity_head(pobj))
    return []


_PLACE_PREPS = frozenset({"in", "near", "along", "into", "at", "inside", "outside", "across"})
_THING_OBJECT_TYPES = frozenset({
    "COERCE", "THREATEN", "REQUEST", "SANCTION", "AID", "RETREAT", "PROTEST", "MOBILIZE", "CONCEDE",
    "COOPERATE", "AGREE",
})
_ANIMATE = frozenset({
    "protester", "demonstrator", "civilian", "student", "worker", "villager", "people", "person",
    "man", "woman", "child", "journalist", "activist", "soldier", "fighter", "militant", "rebel",
    "refugee", "migrant", "prisoner", "hostage", "detainee", "suspect", "farmer", "settler",
    "officer", "policeman", "police", "resident", "citizen", "member", "leader", "official",
    "diplomat", "minister", "insurgent", "gunman", "militiaman", "opponent", "critic", "voter",
    "family", "pilgrim", "worshipper", "patient", "doctor", "teacher", "lawmaker", "politician",
    "negotiator", "ally", "partner", "country", "nation", "state", "group", "party", "union",
    "movement", "coalition", "organization", "organisation", "agency", "company", "firm", "bank",
    "regime", "junta", "opposition", "side", "neighbor", "neighbour", "community", "population",
})


def _actor_like_pobj(ctx: _Context, noun: Any, preps: tuple[str, ...]) -> Any | None:
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            pobj = _pobj(c)
            if pobj is not None and not ctx.is_date[pobj.i] and _is_actor_like(ctx, pobj):
                return pobj
    return None


def _is_actor_like(ctx: _Context, token: Any) -> bool:
    lemma = _lemma(token)
    return ctx.actorish(token.i) or lemma in _ROLE_HEADS or lemma in _ANIMATE or token.pos_ == "PROPN"


def _of_target(noun: Any) -> Any | None:
    lemma = _lemma(noun)
    if not (lemma in NOUNS or lemma.endswith(("tion", "sion", "ment", "al", "ure", "ance"))):
        return None
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            return _pobj(c)
    return None


def _owner(ctx: _Context, noun: Any) -> Any | None:
    """For "North Korea's demand", "a U.S. request", "the attack by X": the owner."""
    lemma = _lemma(noun)
    proxy = lemma in _PROXY_NOUNS or lemma in NOUNS
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ == "by":
            pobj = _pobj(c)
            if pobj is not None and not ctx.is_date[pobj.i]:
                return pobj
        if c.dep_ == "acl" and c.tag_ == "VBN":  # "the demonstration staged by students"
            for a in c.children:
                if a.dep_ == "agent" and (pobj := _pobj(a)) is not None:
                    return pobj
    if not proxy:
        if _is_actor_like(ctx, noun):
            return None
        for c in noun.children:  # "Algeria's elections", "Sweden's decision"
            if c.dep_ == "poss" and not _is_pronoun(c) and _is_actor_like(ctx, c):
                return c
        return None
    for c in noun.children:
        if c.dep_ == "poss" and c.lower_ not in ("its", "their", "his", "her", "our", "my", "your"):
            return c
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ == "from":
            pobj = _pobj(c)
            if pobj is not None:
                return pobj
    for c in noun.children:
        if c.dep_ in ("compound", "amod", "nmod") and c.i < noun.i and ctx.actorish(c.i):
            return c
    return None


def _quantity_head(token: Any) -> Any:
    """"hundreds of protesters" -> protesters; "a group of Moroccan diplomats" -> diplomats."""
    for _ in range(3):
        if _lemma(token) not in _QUANTITY_HEADS:
            return token
        nxt = None
        for c in token.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                nxt = _pobj(c)
        if nxt is None:
            return token
        token = nxt
    return token


def _folds(matrix: _Frame) -> bool:
    return matrix.type in ("AGREE", "REQUEST", "REJECT", "THREATEN", "ACCUSE", "SUPPORT", "CONCEDE")


def _fold(matrix: _Frame, inner: _Frame) -> None:
    """A lexicon verb in the complement of another is part of the governing event."""
    lemma = _lemma(matrix.trigger)
    if lemma in ("vow", "swear", "pledge", "promise") and inner.type in HOSTILE:
        matrix.type = "THREATEN"  # "vowed to retaliate" is a threat (CAMEO 13)
    if not matrix.targets or all(_is_pronoun(t) for t in matrix.targets):
        matrix.targets = inner.targets or matrix.targets
    matrix.consumed |= inner.consumed


def _is_pronoun(token: Any) -> bool:
    return token.pos_ == "PRON" and token.lower_ in _PRONOUNS


def _apply_mood(frame: _Frame) -> None:
    """Intent and failure as CAMEO codes them: "will withdraw" AGREE, "will impose" THREATEN."""
    verb = frame.verb
    if not _is_verb(verb) and verb.pos_ not in ("VERB", "AUX"):
        return
    head = verb.head if verb.dep_ in ("xcomp", "advcl") else None
    if head is not None and _lemma(head) in _FAILURE_MATRIX and frame.type in COOPERATIVE:
        frame.type = "REJECT"  # "failed to reach agreement" (CAMEO 12)
        return
    if frame.type in ("REQUEST", "ACCUSE", "REJECT", "THREATEN"):
        return
    intent = any(c.dep_ == "aux" and c.lower_ in _FUTURE_AUX for c in verb.children)
    node = verb
    for _ in range(3):  # "prepared to resume shelling": climb the chain of complements
        if intent or node.dep_ != "xcomp":
            break
        up = node.head
        intent = _lemma(up) in _INTENT_MATRIX or up.lower_ in _INTENT_ADJECTIVES or (
            _lemma(up) == "be" and any(c.dep_ == "acomp" and c.lower_ in _INTENT_ADJECTIVES for c in up.children)
        ) or (up.dep_ == "acomp" and up.lower_ in _INTENT_ADJECTIVES) or any(
            c.dep_ == "aux" and c.lower_ in _FUTURE_AUX for c in up.children
        )
        node = up
    if not intent:
        return
    unless = any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "unless" for m in c.children)
        for c in verb.children
    )
    if frame.type == "AGREE":
        if frame.negated:
            frame.type, frame.negated = "REJECT", False  # "will not accept" (CAMEO 12)
        return
    if unless or frame.type in HOSTILE:
        frame.type = "THREATEN"  # a conditional commitment is an ultimatum (CAMEO 13)
    elif frame.type in COOPERATIVE:
        if frame.negated:
            frame.type, frame.negated = "REJECT", False
        else:
            frame.type = "AGREE"


def _compound_event(token: Any) -> Any | None:
    """"a mediation effort", "peacekeeping force": an event noun modifying a generic head."""
    if _lemma(token) not in _EVENT_HEADS:
        return None
    for c in token.children:
        if c.dep_ in ("compound", "amod", "nmod") and c.i < token.i and _lemma(c) in NOUNS:
            return c
    return None


def _noun_type(token: Any, actors: list[Any]) -> str | None:
    lemma = _lemma(token)
    entry = NOUNS.get(lemma)
    if entry is None:
        inner = _compound_event(token)
        if inner is None:
            return None
        lemma, entry = _lemma(inner), NOUNS[_lemma(inner)]
        token = inner
    mods = {c.lower_ for c in token.children if c.dep_ in ("compound", "amod", "nmod")}
    if lemma == "strike":
        if mods & _PROTEST_STRIKE:
            return "PROTEST"
        military = mods & _MILITARY_STRIKE or any(
            c.dep_ == "prep" and c.lower_ in ("on", "against") for c in token.children
        ) or _lemma(token.head) in ("launch", "carry", "conduct", "kill", "hit", "order", "authorize", "mount")
        return "ASSAULT" if military else "PROTEST"
    if lemma in ("exercise", "drill", "game"):
        if not mods & {"military", "naval", "war", "joint", "air", "army"} and lemma != "game":
            return None
        if lemma == "game" and "war" not in mods:
            return None
        return "COOPERATE" if "joint" in mods or len(actors) > 1 else "MOBILIZE"
    if lemma == "release" and not any(c.dep_ == "prep" and c.lower_ == "of" for c in token.children):
        return None  # "a press release"
    return entry[0]


_NOUN_FOLD_PREPS = ("with", "on", "against", "to", "from", "of", "between", "for")


def _noun_frame(ctx: _Context, noun: Any, frames: dict[int, _Frame]) -> _Frame | None:
    lemma = _lemma(noun)
    head = noun.head
    # a support verb carries it: "launched airstrikes", "held talks", "staged a protest"
    carrier = None
    if noun.dep_ in ("dobj", "nsubjpass") and _lemma(head) in SUPPORT_VERBS:
        carrier = head
    elif noun.dep_ == "pobj" and head.dep_ == "prep" and _lemma(head.head) in _PREP_CARRIERS:
        carrier = head.head  # "went on strike", "remained on alert", "engaged in ethnic cleansing"
    elif (
        noun.dep_ == "pobj" and head.lower_ == "of" and head.head.dep_ == "dobj"
        and (_lemma(head.head) in _QUANTITY_HEADS or _lemma(head.head) in ("day", "week", "hour", "month", "round", "night"))
        and _lemma(head.head.head) in SUPPORT_VERBS
    ):
        carrier = head.head.head  # "launched 10 days of war games", "carried out a series of raids"
    actors: list[Any] = []
    if carrier is not None:
        if noun.dep_ == "nsubjpass":
            agent = next((c for c in carrier.children if c.dep_ == "agent"), None)
            actors = [p for p in agent.children if p.dep_ == "pobj"] if agent is not None else []
        else:
            actors = _actors_of(ctx, carrier, "")
    owner = None
    for c in noun.children:
        if c.dep_ == "poss" and c.lower_ not in ("its", "their", "his", "her", "our", "my", "your"):
            owner = c
        elif c.dep_ == "prep" and c.lower_ == "by":
            owner = _pobj(c) or owner
    if owner is None:
        for c in noun.children:
            if c.dep_ in ("compound", "amod", "nmod") and c.i < noun.i and ctx.actorish(c.i):
                owner = c
                break
    if owner is not None and not ctx.is_date[owner.i]:
        actors = _conjuncts(owner)
    type_ = _noun_type(noun, actors)
    if type_ is None:
        return None
    pairs = {"between"} if lemma in ("talk", "negotiation", "meeting", "summit", "dialogue", "clash", "mediation") else set()
    preps = set(_TARGET_PREPS.get(type_, ())) | pairs
    if lemma in ("invasion", "occupation", "annexation", "killing", "assassination", "arrest", "detention",
                 "release", "deportation", "expulsion", "bombing", "shelling", "blockade", "siege",
                 "withdrawal", "removal", "pullout", "suspension"):
        preps.add("of")
    targets = _noun_targets(ctx, noun, preps, actors)
    if targets and targets[0] is None:  # "talks between X and Y": X acts, Y is the target
        actors, targets = targets[1:2], targets[2:]
    # the thing requested, rejected, threatened or agreed is part of that event
    governor = head.head if noun.dep_ == "pobj" and head.dep_ in ("prep", "agent") else head
    if noun.dep_ in ("dobj", "pobj", "nsubjpass", "attr") and governor.i in frames and governor.i != noun.i:
        matrix = frames[governor.i]
        if matrix.type in ("REQUEST", "REJECT", "THREATEN", "AGREE", "SUPPORT", "CONCEDE"):
            if not matrix.targets or all(t.i == noun.i for t in matrix.targets):
                broad = _noun_targets(ctx, noun, set(_NOUN_FOLD_PREPS), actors)
                matrix.targets = [t for t in broad if t is not None] or actors or matrix.targets
            return None
    if carrier is not None:
        outer = _governing_verb(carrier)
        if outer is not None and outer.i in frames and _folds(frames[outer.i]):
            matrix = frames[outer.i]  # "promised to continue military aid to Mozambique"
            if _lemma(matrix.trigger) in ("vow", "swear", "pledge", "promise") and type_ in HOSTILE:
                matrix.type = "THREATEN"
            if not matrix.targets:
                matrix.targets = [t for t in targets if t is not None]
            return None
    if carrier is None and not actors and not targets:
        return None
    # the subject of an event verb of the same type folds into it ("an Israeli airstrike killed 12")
    if noun.dep_ == "nsubj" and head.i in frames and frames[head.i].type == type_:
        if actors:
            frames[head.i].actors = actors
        return None
    frame = _Frame(type_, noun, carrier if carrier is not None else _clause_verb(noun))
    frame.actors = actors
    frame.targets = [t for t in targets if t is not None]
    frame.negated = (carrier is not None and _negated(carrier)) or any(
        c.dep_ == "det" and c.lower_ == "no" for c in noun.children
    )
    return frame


def _noun_targets(ctx: _Context, noun: Any, preps: set[str], actors: list[Any]) -> list[Any]:
    for c in noun.children:
        if c.dep_ != "prep" or c.lower_ not in preps or c.lower_ == "by":
            continue
        pobj = _pobj(c)
        if pobj is None or ctx.is_date[pobj.i]:
            continue
        if c.lower_ == "between":
            members = _conjuncts(pobj)
            if not actors:
                return [None, *members]  # marker: first member is the actor
            return members
        owner = _owner(ctx, pobj)
        return _conjuncts(owner if owner is not None else _quantity_head(pobj))
    return []


def _clause_verb(token: Any) -> Any:
    node = token
    for _ in range(8):
        if node.pos_ in ("VERB", "AUX") or node.head.i == node.i:
            return node
        node = node.head
    return node


# --- turning frames into records --------------------------------------------------

_CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "parataxis", "xcomp", "acl", "csubj"})


def _expand(ctx: _Context, sent: Any, frame: _Frame) -> list[Event]:
    actors = frame.actors or [None]
    actor_ids = {a.i for a in frame.actors}
    targets = [t for t in frame.targets if t.i not in actor_ids] or [None]
    trigger = frame.trigger
    start, end = sent.start_char, sent.start_char + len(sent.text.rstrip())
    quote = _quote_for(ctx, frame, sent)
    place_id, place_text = _place(ctx, frame)
    date = _date(ctx, frame, sent)
    out: list[Event] = []
    n = 0
    for actor_tok in actors:
        for target_tok in targets:
            actor, actor_text = _argument(ctx, actor_tok)
            target, target_text = _argument(ctx, target_tok)
            if actor_tok is not None and _is_pronoun(actor_tok) and quote is not None:
                if quote.speaker or quote.speaker_text:
                    actor, actor_text = quote.speaker or quote.speaker_text, quote.speaker_text
            where_id, where_text = place_id, place_text
            if where_text is None and target_tok is not None and frame.type in (
                "ASSAULT", "COERCE", "PROTEST", "MOBILIZE", "CONSULT"
            ) and ctx.place_type(target_tok.i):
                where_id = ctx.entity_of[target_tok.i][0] if ctx.entity_of[target_tok.i] else None  # type: ignore[index]
                where_text = target_text
            if where_text is None and ctx.dateline is not None:
                where_id, where_text = ctx.dateline[0], ctx.dateline[1]
            parts = [ctx.article_id, str(start), str(end), frame.type, str(trigger.idx)]
            if n:
                parts += [actor_text or "", target_text or ""]
            n += 1
            out.append(
                Event(
                    id=make_id("evt", *parts),
                    article=ctx.article_id,
                    start=start,
                    end=end,
                    type=frame.type,
                    trigger=trigger.text,
                    trigger_start=trigger.idx,
                    trigger_end=trigger.idx + len(trigger.text),
                    actor=actor,
                    actor_text=actor_text,
                    target=target,
                    target_text=target_text,
                    place=where_id,
                    place_text=where_text,
                    date=date.value if date else None,
                    date_text=date.text if date else None,
                    date_inferred=bool(date and date.inferred),
                    quote=quote.id if quote else None,
                    negated=frame.negated,
                )
            )
    return out


def _argument(ctx: _Context, head: Any | None) -> tuple[str | None, str | None]:
    if head is None:
        return None, None
    tokens = _argument_tokens(head)
    first, last = tokens[0], tokens[-1]
    doc = head.doc
    while first < last and doc[first].lower_ in _DETERMINERS and ctx.entity_of[first] is None:
        first += 1
    while last > first and (doc[last].is_punct or doc[last].dep_ == "case" or doc[last].lower_ in ("'s", "'")):
        last -= 1
    text = doc[first: last + 1].text
    resolved = ctx.entity_of[head.i]
    if resolved is None:
        # a title before the name: "President Obama" -> the name carries the entity
        for i in range(first, last + 1):
            found = ctx.entity_of[i]
            if found is not None and found[1] == "PERSON" and doc[i].head.i == head.i:
                resolved = found
    if resolved is None:
        return text, text
    return resolved[0], text


_LEFT_DEPS = frozenset({"compound", "amod", "nmod", "poss", "nummod", "quantmod", "det", "case", "npadvmod", "advmod"})
_JOINERS = frozenset({"-", "\u2010", "\u2011", "&", "/"})


def _argument_tokens(head: Any) -> list[int]:
    """Head plus its left modifiers (with their subtrees), plus "of X" for role nouns; contiguous."""
    keep = {head.i}
    for c in head.lefts:
        if c.dep_ in _LEFT_DEPS or (c.dep_ == "punct" and c.text in _JOINERS):
            keep.update(t.i for t in c.subtree)
    for c in head.rights:
        if c.dep_ in ("compound", "flat", "case"):
            keep.update(t.i for t in c.subtree)
        elif c.dep_ == "prep" and c.lower_ == "of" and _lemma(head) in _ROLE_HEADS:
            pobj = _pobj(c)
            if pobj is not None:
                keep.add(c.i)
                keep.update(_argument_tokens(pobj))
    ordered = sorted(keep)
    lo = hi = ordered.index(head.i)
    while lo > 0 and ordered[lo - 1] == ordered[lo] - 1:
        lo -= 1
    while hi < len(ordered) - 1 and ordered[hi + 1] == ordered[hi] + 1:
        hi += 1
    return ordered[lo: hi + 1]


def _clause_tokens(verb: Any) -> list[Any]:
    """The verb's subtree without nested clauses."""
    out = []
    stack = [verb]
    while stack:
        node = stack.pop()
        out.append(node)
        for c in node.children:
            if c.dep_ in _CLAUSE_DEPS or (c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")):
                continue
            stack.append(c)
    return out


def _place(ctx: _Context, frame: _Frame) -> tuple[str | None, str | None]:
    tokens = {t.i: t for t in _clause_tokens(frame.verb)}
    tokens.update((t.i, t) for t in frame.trigger.subtree)
    for i in sorted(tokens):
        token = tokens[i]
        if token.dep_ == "prep" and token.lower_ in _LOCATIVE:
            for t in token.subtree:
                if t.i != token.i and ctx.place_type(t.i):
                    return _place_span(ctx, t)
    return None, None


def _place_span(ctx: _Context, token: Any) -> tuple[str | None, str | None]:
    doc = token.doc
    first = last = token.i
    label = ctx.label_of[token.i]
    resolved = ctx.entity_of[token.i]

    def same(i: int) -> bool:
        if resolved is not None:
            return ctx.entity_of[i] == resolved
        return label is not None and ctx.label_of[i] == label

    while first > 0 and same(first - 1):
        first -= 1
    while last + 1 < len(doc) and same(last + 1):
        last += 1
    return (resolved[0] if resolved else None), doc[first: last + 1].text


def _date(ctx: _Context, frame: _Frame, sent: Any) -> TimeExpression | None:
    in_sentence = [d for d in ctx.dates if sent.start_char <= d.start < sent.end_char and d.value]
    if not in_sentence:
        return None
    clause = {t.idx for t in _clause_tokens(frame.verb)} | {t.idx for t in frame.trigger.subtree}
    for d in in_sentence:
        if any(d.start <= idx < d.end for idx in clause):
            return d
    anchor = frame.trigger.idx
    return min(in_sentence, key=lambda d: abs(d.start - anchor))


def _quote_for(ctx: _Context, frame: _Frame, sent: Any) -> Quote | None:
    if not ctx.quotes:
        return None
    trigger = frame.trigger
    t0, t1 = trigger.idx, trigger.idx + len(trigger.text)
    for q in ctx.quotes:
        if q.cue_start is not None and q.cue_end is not None and q.cue_start < t1 and t0 < q.cue_end:
            return q
    subtree = [t for t in trigger.subtree if t.i != trigger.i]
    if not subtree:
        return None
    lo = min(t.idx for t in subtree)
    hi = max(t.idx + len(t.text) for t in subtree)
    for q in ctx.quotes:
        if q.start < hi and lo < q.end and sent.start_char <= q.start <= sent.end_char + 2:
            return q
    return None
