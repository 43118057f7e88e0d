"""Remove the debris that HTML extraction leaves in an article body.

Pure functions, no I/O. ``remove_debris`` takes article text (trafilatura
output, pasted text, wire copy) and returns the cleaned body plus every piece it
cut, each with a reason and the offset in the cleaned text where it stood.

The text is first split into *units*: non-empty lines with whitespace
normalised (tabs, ``\\r``, no-break spaces collapse to one space; zero-width and
other invisible format characters and C0 control characters are dropped).
Hard-wrapped plain text (wire copy wrapped at a fixed width) is re-joined into
paragraphs. Units are then judged by structure (short lines without terminal
punctuation, Title Case, link-only lines, their position in the tail of the
text, runs of such lines) and by a vocabulary of generic patterns. Nothing is
keyed to a particular outlet. The rules run repeatedly until nothing changes,
so cleaning cleaned text removes nothing more.

Reasons (``Removed.reason``):

| reason | what was cut |
|---|---|
| `comment-form` | Comment forms, their small print, and a comment section at the end. |
| `subscribe-prompt` | Newsletter, subscribe, follow, share, app, tip-line, donation prompts. |
| `read-more` | "Read more"/"Related"/"Most read" promos and the teasers of other stories. |
| `caption` | Photo and video captions and credits. |
| `syndication-footer` | "Originally appeared on X", copyright notices; they set `outlet_hint`. |
| `social-post` | Trailer lines of embedded posts (handle, date, short links); text is kept. |
| `editor-note` | Editor's, correction, source, agency notes ("(Reporting by X; Editing by Y)"). |
| `link-only` | Link-only lines, navigation, breadcrumbs, advert markers, cookie notices, tags. |
| `boilerplate` | Lines whose `normalize_line` key is in the outlet's boilerplate set. |
| `repeated` | A paragraph that exactly repeats an earlier one (the first copy is kept). |

A comment-section header ("12 Comments", "Leave a Reply") cuts everything after
it when it stands in the second half of the text, or when comment-form small
print or "Name says:" lines follow it. A promo header ("Related", "Most read")
cuts the headline-like lines (with one-sentence deks, timestamps, bylines) that
follow it until body text resumes; a run of such headlines trailing the article
is cut without a header when there are four of them, or two with a timestamp or
a promo just before. Weaker prompts ("Listen to our podcast …") are only cut in
the tail of the text, after the last real body paragraph.

Most cuts are whole units. A few are cut from the end of a unit that is
otherwise kept: an embedded post's trailer fused onto the post text, a
trailing "(Reporting by …)" note, and an upper-case "READ MORE: …" promo fused
onto a paragraph. ``Removed.at`` is the end offset (in the cleaned text) of the
last kept paragraph before the piece, or ``0`` when nothing kept precedes it;
for a piece cut from the end of a kept paragraph it is that paragraph's end.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from parallax.records import Removed

__all__ = [
    "BOILERPLATE",
    "CAPTION",
    "COMMENT_FORM",
    "DROPPED_CHARACTERS",
    "EDITOR_NOTE",
    "LINK_ONLY",
    "READ_MORE",
    "REASONS",
    "REPEATED",
    "SOCIAL_POST",
    "SUBSCRIBE_PROMPT",
    "SYNDICATION_FOOTER",
    "CleanResult",
    "find_boilerplate",
    "normalize_line",
    "remove_debris",
]

COMMENT_FORM = "comment-form"
SUBSCRIBE_PROMPT = "subscribe-prompt"
READ_MORE = "read-more"
CAPTION = "caption"
SYNDICATION_FOOTER = "syndication-footer"
SOCIAL_POST = "social-post"
EDITOR_NOTE = "editor-note"
LINK_ONLY = "link-only"
BOILERPLATE = "boilerplate"
REPEATED = "repeated"

REASONS: tuple[str, ...] = (
    COMMENT_FORM,
    SUBSCRIBE_PROMPT,
    READ_MORE,
    CAPTION,
    SYNDICATION_FOOTER,
    SOCIAL_POST,
    EDITOR_NOTE,
    LINK_ONLY,
    BOILERPLATE,
    REPEATED,
)


@dataclass(frozen=True, slots=True)
class CleanResult:
    """The cleaned body, what was cut from it, and the outlet a footer named."""

    text: str
    removed: tuple[Removed, ...]
    outlet_hint: str | None


# --------------------------------------------------------------------------
# Limits. Debris lines are short; anything longer is only looked at in part.

_MAX_PATTERN_CHARS = 3000  # longer units are body: no whole-line rule looks at them
_TAIL_WINDOW = 600  # partial cuts only look at this many trailing characters
_MAX_PASSES = 100  # the rules converge in a handful of passes; this bounds the worst case
_MIN_REPEAT_ALNUM = 40  # short lines ("Really?", "Q:") legitimately repeat in body text

# --------------------------------------------------------------------------
# Character normalisation

_INVISIBLE = (
    *range(0x00, 0x09),  # C0 controls that are not whitespace
    *range(0x0E, 0x1C),
    0x7F,
    0x00AD,  # soft hyphen
    0x180E,
    *range(0x200B, 0x2010),  # zero-width space/joiners, LRM/RLM
    *range(0x2060, 0x2065),  # word joiner, invisible operators
    0xFEFF,  # byte order mark / zero-width no-break space
    *range(0x202A, 0x202F),  # bidi embeddings
    *range(0x2066, 0x206A),  # bidi isolates
)
_DROP_TABLE = dict.fromkeys(_INVISIBLE)
DROPPED_CHARACTERS: frozenset[str] = frozenset(chr(c) for c in _INVISIBLE)
"""Characters ``remove_debris`` drops silently besides whitespace (invisible ones)."""


def _clean_line(raw: str) -> str:
    return " ".join(raw.translate(_DROP_TABLE).split())


# --------------------------------------------------------------------------
# Shared regex pieces

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = (
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}"
    rf"|{_MONTH}\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})"
)
_HANDLE = r"@\w{1,30}"
_SOCIAL_NAMES = (
    r"twitter|x|instagram|facebook|linkedin|tiktok|youtube|threads|bluesky|mastodon"
    r"|whatsapp|telegram|snapchat|reddit|pinterest|flipboard|truth social"
)
_SOCIAL_SITES = rf"(?:{_SOCIAL_NAMES})"
_LEAD = r"[\s\-\u2013\u2014\u2022\u00b7*>\u00bb\u203a\u2192\u25b6\u25ba|#:]*"
_TRAIL = r"[\s.:!\u2026|>\u00bb\u203a\u2192\u25b6\u25ba\-\u2013\u2014]*"
_URL = r"(?:<?(?:https?://|www\.)[^\s<>]+>?)"
_BARE_DOMAIN = (
    r"(?:[a-z0-9-]+\.)+(?:com|org|net|edu|gov|io|co|uk|info|news|tv|ly|me|int|mil|ca|au|de"
    r"|fr|in|ie|nz|za|ng|ke|eu|us|ru|cn|jp|br|es|it|nl|ch|se|no|dk|fi|pl)(?:/[^\s]*)?"
)


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _full(*alternatives: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """A pattern for a whole line: leading bullets/arrows and trailing punctuation allowed."""
    return re.compile(_LEAD + "(?:" + "|".join(alternatives) + ")" + _TRAIL, flags)


def _start(*alternatives: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """A pattern for how a line starts (use with ``match``)."""
    return re.compile(_LEAD + "(?:" + "|".join(alternatives) + ")", flags)


# --------------------------------------------------------------------------
# link-only: links, navigation, advert markers, breadcrumbs

_NAV_LINE = _full(
    r"skip (?:to|over) (?:the )?(?:main )?(?:content|navigation|article|search|footer|menu|story)",
    r"skip (?:navigation|ad|advert|advertisement)",
    r"(?:jump|go) to (?:the )?(?:main )?(?:content|comments|navigation|article|story)",
    r"back to (?:top|home|homepage|the top)",
    r"advertisements?(?: (?:-|\u2013|\u2014)? ?scroll to continue(?: with content)?)?",
    r"advertisement (?:continues|feature|content)(?: below)?",
    r"advert(?:isement)?(?: below)?|ads?|ad feedback|ad choices|adchoices|promoted|sponsored"
    r"(?: (?:content|links?|post|by .{1,40}))?|paid (?:content|post|partner content)",
    r"(?:the )?(?:story|article|text|content|report) continues (?:below|after)"
    r"(?: (?:this|the))?(?: (?:advertisement|ad|advert|video|image|gallery))?",
    r"continue reading (?:below|after (?:the|this) (?:ad|advertisement))",
    r"scroll (?:down )?to continue(?: reading| with content)?",
    r"(?:main )?menu|(?:open|close|toggle|show|hide) (?:the )?(?:menu|navigation|search|sidebar)",
    r"toggle navigation|navigation|search(?: for)?|close|home|homepage|sections?|more sections",
    r"print(?: this)?(?: (?:article|page|story))?|(?:e-?mail|send) this (?:article|page|story)"
    r"(?: to a friend)?",
    r"listen to (?:this )?(?:article|story)(?:\s*\d+\s*min(?:ute)?s?)?",
    r"listen(?: now)?\s*\(?\d+\s*min(?:ute)?s?\)?",
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)[\s-]*min(?:ute)?s?\.? "
    r"(?:read|listen)(?:ing time)?",
    r"(?:estimated )?reading time:? ?\d+ ?min(?:ute)?s?",
    r"(?:font|text) size|reading mode|dark mode|open in (?:the )?app|(?:in|on) this page",
    r"(?:sign|log) ?(?:in|out)(?: (?:/|or|\|) (?:sign|log) ?(?:up|in|out)| (?:/|or|\|) register)?",
    r"register|my account|my profile|(?:my )?saved (?:articles|stories)|(?:save|bookmark)"
    r"(?: (?:article|story|for later))?",
    r"(?:accept|reject|manage|allow)(?: all)? cookies|cookie (?:settings|preferences|policy)",
    r"accept and continue|(?:privacy|cookie) (?:policy|settings|notice)|your privacy choices",
    r"terms (?:of (?:use|service)|and conditions|& conditions)|do not sell(?: or share)? my"
    r" (?:personal )?info(?:rmation)?",
    r"loading(?:\.\.\.|\u2026)?|please wait|(?:play|watch|replay) (?:the )?video|videos?",
    r"video ad feedback|(?:load|show|see|view) more|(?:previous|next)(?: (?:article|story|post"
    r"|page|slide|image))?",
    r"page \d+ of \d+|(?:top|back) of (?:the )?page|(?:view|open|see) (?:the )?gallery",
    r"(?:our|read our|see our) (?:standards|editorial (?:standards|guidelines|policy|policies)"
    r"|ethics policy|corrections policy|code of (?:conduct|ethics))\b(?:\s*:\s*[^.!?]{1,120})?",
    r"(?:view|see) (?:all|more) (?:photos|images|videos)|\d+ (?:photos|images|videos)",
    r"expand|collapse|full screen|fullscreen|exit full ?screen|mute|unmute|(?:auto-?play|autoplay)"
    r"(?: (?:on|off))?",
    r"(?:the )?(?:story|article) continues|supported by|now playing",
    r"(?:video )?duration:? \d{1,2}:\d{2}(?::\d{2})?|\d{1,2}:\d{2}(?::\d{2})?",
    r"(?:please )?(?:enable|turn on) javascript\b.{0,160}|javascript (?:is )?(?:disabled|required"
    r"|must be enabled)\b.{0,160}|your browser does not support\b.{0,160}",
)
_COOKIE_BANNER = _start(
    r"(?:we|this (?:web)?site|our (?:web)?site) uses? cookies\b",
    r"by (?:continuing to (?:use|browse)|using) (?:this|our) (?:web)?site\b",
)
_LINK_LINE = re.compile(
    rf"(?:{_URL}|{_BARE_DOMAIN}|\[[^\[\]]{{1,200}}\]\([^()\s]{{1,500}}\)"
    r"|[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,4})"
    rf"(?:\s+(?:{_URL}|{_BARE_DOMAIN}))*",
    re.IGNORECASE,
)
_TAG_LINE = re.compile(
    r"(?:tags?|topics?|filed under|categories|category|more about|related topics|keywords"
    r"|posted in|more on|explore more on these topics|topics covered)\s*:?\s*"
    r"[^.!?]{0,300}",
    re.IGNORECASE,
)
_BREADCRUMB_SPLIT = re.compile(r"\s+(?:\||/|\u2022|\u00b7)\s+|\s*(?:>|\u00bb|\u203a)\s*")
_SYMBOL_ONLY = re.compile(r"[\W_]+")
_SHARE_TOKENS = _word_set(
    "facebook twitter x whatsapp email e-mail mail print linkedin reddit pinterest telegram "
    "messenger share tweet flipboard sms bluesky threads copy link copied comments comment "
    "save gift article"
)
_SHARE_SPLIT = re.compile(r"[\s|,\u2022\u00b7/]+")

# --------------------------------------------------------------------------
# social-post: trailer lines of embedded posts

_SOCIAL_LINK = (
    r"(?:pic\.twitter\.com/\w+|https?://(?:t\.co|x\.com|twitter\.com|mobile\.twitter\.com"
    r"|instagr\.am|(?:www\.)?instagram\.com|(?:www\.)?tiktok\.com|vm\.tiktok\.com"
    r"|(?:www\.)?facebook\.com|fb\.watch|bsky\.app|(?:www\.)?threads\.net|youtu\.be)/\S*)"
)
_SOCIAL_LINE = _full(
    rf"{_SOCIAL_LINK}(?:\s+{_SOCIAL_LINK})*",
    rf"(?:\u2014|\u2013|-|--)\s*[^()@\n]{{0,80}}\({_HANDLE}\)\s*(?:{_DATE})?(?:\s*(?:at\s*)?"
    r"\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?)?",
    rf"[^()@\n.!?/:]{{1,60}}\({_HANDLE}\)\s*{_DATE}",
    rf"{_HANDLE}(?:\s*[\u00b7\u2022|]\s*.{{1,30}})?",
    rf"(?:view|see|watch) (?:this|the full|more|the original) (?:post|video|photo|reel|tweet)?\s*"
    rf"(?:on|in) {_SOCIAL_SITES}",
    rf"(?:view|see|watch|read) (?:more )?on {_SOCIAL_SITES}",
    r"(?:a )?post shared by [^.!?]{1,100}",
    rf"(?:skip|end of) {_SOCIAL_SITES} (?:post|content|video)(?:,? \d+)?",
    rf"allow {_SOCIAL_SITES} content\??",
    rf"this (?:article|page) contains content provided by {_SOCIAL_SITES}\b.{{0,600}}",
    r"(?:the|this) (?:tweet|post) (?:has been deleted|is unavailable|may have been deleted)"
    r"|(?:tweet|post|content) (?:not available|unavailable)",
    r"[\d.,]+[km]? (?:likes?|retweets?|reposts?|views)(?:\s*[\u00b7,]?\s*[\d.,]+[km]? "
    r"(?:likes?|retweets?|reposts?|views|replies|comments))*",
    r"(?:content|this content) may contain adverts",
)
_SOCIAL_TRAILER = re.compile(
    rf"(?:\s+{_SOCIAL_LINK})+(?:\s*(?:\u2014|\u2013|--|-)\s*[^()@\n]{{0,80}}?\({_HANDLE}\)"
    rf"\s*(?:{_DATE})?)?\s*$"
    rf"|\s+(?:\u2014|\u2013|--)\s*[^()@\n\u2014\u2013]{{1,80}}?\({_HANDLE}\)\s*{_DATE}\s*$",
    re.IGNORECASE,
)

# --------------------------------------------------------------------------
# editor-note

_AGENCY = (
    r"(?:getty images?|getty|afp|reuters|ap|epa(?:-efe)?|efe|shutterstock|alamy|bloomberg"
    r"|pa(?: media| wire| images)?|xinhua|anadolu(?: agency)?|sipa(?: usa)?|zuma(?: press| wire)?"
    r"|nurphoto|abaca(?:press)?|imago|dpa|ansa|tass|sopa images|lightrocket|redux|pool|handout"
    r"|supplied|istock(?:photo)?|unsplash|pexels|pixabay|flickr|wikimedia commons|ap images"
    r"|associated press|ap photo|afp photo|reuters photo|corbis|magnum photos|panos|pti|ians|ani"
    r"|kyodo(?: news)?|yonhap|aap|(?:the )?canadian press|upi|irna|wam)"
)

_BY_ROLES = (
    r"(?:(?:additional|further|extra) )?(?:reporting|writing|written|editing|edited|compiled"
    r"|translated|translation|graphics|research|fact[- ]check(?:ed|ing)?|production|produced"
    r"|photography|photos|video|design|data|illustrations?|sub-?editing)"
)
_EDITOR_NOTE_LINE = re.compile(
    r"\s*(?:"
    r"[\[(]\s*(?:(?:editor(?:'|\u2019)?s(?:'|\u2019)?|ed\.?)\s*)?notes?\b.{0,3000}[\])]"
    r"|[\[(]\s*(?:sources?|via|note|update|updated|correction|clarification|disclosure|disclaimer"
    r"|full disclosure)\s*:.{0,1000}[\])]"
    r"|(?:editor'?s'?|editor\u2019s|editors'?|editors\u2019|ed\.)\s*notes?\s*[:\-\u2013\u2014]"
    r"\s*\S.{0,3000}"
    r"|(?:this (?:story|article|report|post|piece|page|headline)|the (?:story|article|headline))"
    r" (?:has been|was|is being|will be) (?:updated|corrected|amended|edited|revised)\b.{0,600}"
    r"|(?:an earlier|a previous|the original|a prior) version of this (?:story|article|report"
    r"|post|piece|headline)\b.{0,600}"
    r"|(?:correction|clarification)s?\s*(?:\([^()]{0,40}\))?\s*[:\-\u2013\u2014]\s*\S.{0,600}"
    r"|\(?sources?\s*:\s*[^.!?]{1,100}\)?"
    rf"|[\[(]\s*(?:agencies|wires?|wire services|news agencies|{_AGENCY})(?:\s*(?:,|/|and|&)\s*"
    rf"(?:agencies|{_AGENCY}))*\s*[\])]\.?"
    r"|(?:full )?(?:disclosure|disclaimer)\s*:\s*\S.{0,1500}"
    r"|the (?:views|opinions) expressed (?:here|in this (?:article|column|piece|post)|above|are"
    r"|by the author)\b.{0,400}"
    r")\s*",
    re.IGNORECASE,
)
_BY_NOTE = re.compile(
    rf"[\[(]?\s*(?:{_BY_ROLES}(?: and {_BY_ROLES})? by"
    r"|(?:with|additional|further) (?:reporting|input|inputs|contributions?) (?:from|by)"
    r"|with (?:agency )?inputs?(?: from)?)\b",
    re.IGNORECASE,
)
_CONTRIBUTED = re.compile(
    r"[^.!?]{1,300}\b(?:also )?(?:contributed|provided)(?: additional)?"
    r"(?: (?:reporting|research)(?: (?:to|for) this (?:report|story|article|piece|post))?"
    r"| (?:to|for) this (?:report|story|article|piece|post))"
    r"(?: from [^.!?]{1,80})?\s*\.?\s*",
    re.IGNORECASE,
)
_NOTE_FUNCTION_WORDS = _word_set(
    "and in by from with of the at on for de da del della van von der den al bin el le la y e "
    "du des di dos das ibn editing writing reporting additional compiled contributed graphics "
    "translated research edited written production design data video photos photography by; "
    "staff correspondents correspondent newsroom desk team bureau bureaus writer writers "
    "reporter reporters photographer photographers producer producers videojournalist "
    "editor editors"
)
_TRAILING_NOTE = re.compile(
    rf"(?<=\S)\s+(\((?:{_BY_ROLES})(?: and {_BY_ROLES})? by [^()]{{1,300}}\))\s*$"
    r"|(?<=\S)\s+(\[(?:editor'?s'?|editor\u2019s|editors'?) notes?[^\[\]]{0,400}\])\s*$",
    re.IGNORECASE,
)

# --------------------------------------------------------------------------
# syndication-footer

_PIECE = (
    r"(?:article|story|piece|post|column|essay|op-?ed|commentary|interview|content|item"
    r"|feature|investigation|newsletter|editorial|podcast|episode|excerpt|blog(?: post)?"
    r"|dispatch|explainer)s?"
)
_ORIGIN = re.compile(
    r"\W{0,3}(?:(?:this|a version of this|an earlier version of this|parts of this"
    rf"|portions of this|an edited version of this)\s+(?:[\w'\u2019-]+\s+){{0,2}}?{_PIECE}\s+"
    r"(?:[\w'\u2019-]+\s+){0,3}?|originally\s+|first\s+)"
    r"(?:originally\s+|first\s+|previously\s+|also\s+)?"
    r"(?:appeared|published|ran|posted|aired|featured|printed)\s+(?:online\s+)?"
    r"(?:on|in|at|by|with)\s+(?P<rest>.+)",
    re.IGNORECASE,
)
_REPUBLISH = re.compile(
    rf"\W{{0,3}}(?:this\s+(?:[\w'\u2019-]+\s+){{0,2}}?{_PIECE}\s+(?:is|was|has been|is being)\s+"
    r"(?:(?:re-?published|reprinted|reproduced|shared|syndicated|used|reposted|cross-?posted"
    r"|published|adapted|excerpted)\s+)|(?:re-?published|reprinted|reproduced|reposted"
    r"|cross-?posted|excerpted|adapted)\s+)"
    r"(?:here\s+)?(?:(?:with\s+(?:the\s+)?(?:kind\s+|express\s+|written\s+)?permission\s+"
    r"(?:of|from)|courtesy\s+of|by\s+(?:arrangement|permission|agreement)\s+(?:with|of|from)"
    r"|through\s+a\s+partnership\s+with|in\s+partnership\s+with|as\s+part\s+of\s+a\s+"
    r"partnership\s+with|from|via|by|under\s+a\s+creative\s+commons\s+licen[cs]e\s+from)"
    r"\s+(?P<rest>.+)|(?:with\s+permission|under\s+a\s+creative\s+commons\s+licen[cs]e)\b.*)",
    re.IGNORECASE,
)
_PRODUCED = re.compile(
    rf"\W{{0,3}}this\s+(?:[\w'\u2019-]+\s+){{0,2}}?{_PIECE}\s+(?:was|is|has been)\s+"
    r"(?:originally\s+)?(?:produced|reported|written|co-?published|created|made|published"
    r"|distributed|provided)\s+(?:(?P<prep>by|for|in partnership with|in collaboration with"
    r"|jointly with|in association with|in conjunction with)\s+(?P<rest>.+)"
    r"|(?:as part of|with support from|with the support of|through|with)\b.*)",
    re.IGNORECASE,
)
_READ_ORIGINAL = re.compile(
    r"\W{0,3}read (?:the )?original(?: (?:article|story|post|piece|version))?"
    r"(?:\s+(?:here|below))?(?:\s+(?:on|at|in)\s+(?P<rest>.+))?",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(
    r"\W{0,3}(?:\u00a9|\(c\)\s*(?=\d{4})|copyright\s*(?:\u00a9|\(c\))?\s*(?=\d{4}|\u00a9)"
    r"|copyright\s*\u00a9|all (?:content|material|text)\s*\u00a9)"
    r"\s*(?:\u00a9\s*)?(?:\d{4}(?:\s*[-\u2013/]\s*\d{2,4})?)?\s*,?\s*(?:by\s+)?(?P<rest>.*)",
    re.IGNORECASE,
)
_COPYRIGHT_NAME = re.compile(  # "Copyright The Example Times" (case matters: names only)
    r"\W{0,3}(?:Copyright|COPYRIGHT)\s+(?:[A-Z][\w&.'\u2019-]*|&|of|the|and)"
    r"(?:\s+(?:[A-Z][\w&.'\u2019-]*|&|of|the|and)){0,8}\.?"
)
_SYNDICATION_MISC = re.compile(
    r".{0,300}(?:\ball rights reserved\b|\bmay not be (?:re-?)?(?:published|reproduced|copied"
    r"|redistributed|used)\b.{0,20}(?:broadcast|rewritten|redistributed|reproduced|distributed"
    r"|without)|(?:^|[.;]\s+)distributed by\b|\bsyndicated feed\b"
    r"|\bhas not been edited by\b.{0,60}\bstaff\b"
    r"|^(?:this (?:content|article|story|material|work) is )?(?:licensed|syndicated) (?:from|by"
    r"|through|under)\b|\bcreative commons licen[cs]e\b|\blicensed under (?:a )?creative commons\b"
    r"|\breprinted (?:by|with) permission\b|\bwithout (?:the )?(?:express |prior )?(?:written )?"
    r"permission\b.{0,40}\b(?:prohibited|forbidden|not permitted)\b)",
    re.IGNORECASE,
)
_NAME_END = re.compile(
    r"\s*[,;:(\[|]|\s+(?:and|or)\s+(?:is|was|has|are|it|appears|republished|reprinted"
    r"|reproduced|shared|used|its|their|licensed)\b|\s+or\s+its\b|\s+(?:under|with|as|where"
    r"|which|who|that|via|here|through|after|before|last|this|courtesy|all rights|distributed"
    r"|originally|first|republished|reprinted|and republished|read the)\b"
    rf"|\s+(?:on|in)\s+(?:{_MONTH}|\w+day\b|\d)|\s+at\s+(?:https?:|www\.)|\s+[\u2014\u2013-]\s",
    re.IGNORECASE,
)

# --------------------------------------------------------------------------
# caption

_CAPTION_LINE = _full(
    rf"(?:photo(?:graph)?\s*:?\s*)?{_AGENCY}(?:\s*(?:/|via)\s*{_AGENCY})*",
    r"(?:photo|photograph|image|picture|pic|video|graphic|illustration|file photo|file image"
    r"|file picture|photo illustration|lead image|main image|top image|header image|hero image"
    r"|featured image|cover image|screenshot|screengrab|photography|photos?|images?|composite"
    r"|animation|montage|photo montage|photo composite)"
    r"(?: credits?)?\s*(?:[:|]|by\b)\s*\S.{0,240}",
    r"(?:image|photo|picture|video|media) (?:copyright|source|caption|credit)s?\b.{0,400}",
    r"(?:credits?|photo credits?|image credits?|picture credits?|source images?)\s*:\s*.{1,160}",
    r"(?:file photo|file picture|file image)\b.{0,600}",
    r"enlarge (?:this )?image|toggle caption|hide caption|show caption|expand image|view image"
    r"|caption|image|photo|photograph|zoom(?: in)?|click to enlarge|open image in gallery"
    r"|image \d+ of \d+|\d+ of \d+(?: (?:photos?|images?))?|(?:swipe|scroll) for (?:more )?"
    r"(?:photos|images)|(?:photo|image) gallery|gallery",
    r"(?:pictured|above|inset|top photo|main photo|main picture|in the photo)\s*:\s*.{1,400}",
    rf"photo(?:graph)? by .{{1,80}}(?: on| via| for| /|/) ?{_AGENCY}",
)
_FILE_CAPS = re.compile(r"\W{0,3}FILE(?: PHOTO| PICTURE| IMAGE)?\s*(?::|-|\u2013|\u2014)\s*\S")
_CAPTION_END = re.compile(
    r"(?:"
    r"\((?:[A-Za-z][\w.&'\u2019-]*\s+){0,3}(?:pool |file |handout )?(?:photo|photograph|image"
    r"|picture|photo illustration|video|file photo|photos)s?"
    r"(?:\s*(?:/|by|:|credit:?)\s*[^()]{1,120})?"
    r"\)"
    r"|\((?:photo|image|picture|credit|courtesy|file|handout|pool|supplied)"
    r"[^()]{0,120}\)"
    rf"|(?:/|\|)\s*{_AGENCY}(?:\s+via\s+[\w .&'\u2019-]{{1,40}})?"
    r"|\bvia getty images"
    r")\s*\.?\s*$",
    re.IGNORECASE,
)
_CREDIT_SLASH_END = re.compile(
    # "REUTERS/Kevin Lamarque", "Kevin Lamarque/Reuters", "Name Name/The Agency Name"
    r"(?:\b[A-Z]{3,}(?:-[A-Z]{2,})?\s?/\s?[A-Z][\w'\u2019.-]*(?: [A-Z][\w'\u2019.-]*){1,3}"
    r"|(?:^|\s)(?:[A-Z][\w'\u2019.-]+ ){1,3}[A-Z][\w'\u2019.-]+\s?/\s?(?:[A-Z][\w'\u2019.&-]*"
    r"|the)(?: (?:[A-Z][\w'\u2019.&-]*|via|of|the|for)){0,5})\s*$"
)
_AGENCY_PAREN_END = re.compile(rf"^(?P<head>.*?)\s*\({_AGENCY}\)\s*$", re.IGNORECASE)

# --------------------------------------------------------------------------
# comment-form

_COMMENT_LINE = _full(
    r"(?:post|add|write|submit|publish|send)(?: a| your)? (?:comment|reply|response)s?",
    r"(?:you must |please )?(?:be )?(?:log(?:ged)?|sign(?:ed)?) ?in to (?:comment|reply"
    r"|post a comment|join the (?:conversation|discussion)|leave a comment|participate"
    r"|view comments)\b.{0,200}",
    r"(?:your )?e-?mail address will not be published\b.{0,200}",
    r"required fields are marked\s*\*?.{0,60}",
    r"(?:name|comment|email|e-mail|website|url|message)\s*\*?(?:\s*(?:name|comment|email|e-mail"
    r"|website|url|message)\s*\*?){0,5}\s*\*?",
    r"save my name,? e-?mail,? and website in this browser for the next time i comment\.?",
    r"notify me of (?:new|follow-?up) (?:comments|posts|replies)\b.{0,60}",
    r"cancel reply|reply|replies|report(?: comment| abuse| this comment)?|flag(?: as inappropriate"
    r"| comment)?|upvote|downvote|(?:\d+ )?(?:likes?|dislikes?)",
    r"comments? (?:are|have been|is) (?:now )?(?:closed|disabled|moderated|turned off|welcome"
    r"|open|subject)\b.{0,300}",
    r"commenting (?:is|has been) (?:now )?(?:closed|disabled|turned off|unavailable"
    r"|not available)\b.{0,200}",
    r"this (?:discussion|conversation|comment section|comment thread) (?:is|has been) (?:now )?"
    r"closed\b.{0,200}",
    r"(?:our |read our |see our |view our |please read our |please see our )?(?:comment(?:ing)?"
    r"|community|discussion) (?:policy|guidelines|standards|rules)\b.{0,400}",
    r"(?:we|our moderators|moderators) (?:welcome|encourage|moderate|review|reserve|remove"
    r"|delete)\b.{0,60}\bcomments?\b.{0,400}",
    r"comments? (?:that|which) (?:are|include|contain)\b.{0,300}\b(?:will|may) be (?:removed"
    r"|deleted)\b.{0,200}",
    r"by (?:posting|commenting|submitting)(?: a comment)?,? you (?:agree|accept)\b.{0,300}",
    r"sort by:? (?:newest|oldest|best|top|popular|most recent|most liked)\b.{0,60}",
    r"(?:newest|oldest|top|best) first",
    r"this site uses akismet to reduce spam\b.{0,150}",
    r"(?:.{0,60}\b)?comments? powered by\b.{0,40}",
    r"(?:be the first|be first) to (?:comment|reply|respond)(?: on this (?:article|story))?",
    r"(?:tell us )?what do you think\? (?:let us know|leave a comment|comment below"
    r"|share your thoughts|join the (?:conversation|discussion))\b.{0,100}",
    r"share your (?:thoughts|views|opinion)s? (?:in the comments|below)\b.{0,60}",
    r"(?:comment|comments) (?:as|on this (?:article|story))\b.{0,60}",
    r"(?:\d+ )?(?:comments?|replies) (?:are )?(?:hidden|pending)\b.{0,60}",
)
_COMMENT_HEADER_STRONG = _full(
    r"leave (?:a|your) (?:comment|reply|response)(?: to .{1,150})?(?:\s*cancel reply)?",
    r"(?:\d[\d,]*|no|one|zero) (?:comments?|replies|responses|thoughts)(?: so far)?"
    r"(?: (?:on|to) .{1,200})?",
    r"(?:\d+|one) thoughts? on .{1,200}",
    r"comments? \(\d+\)|comments?:? \d+",
    r"join the (?:conversation|discussion|debate)",
    r"(?:reader|readers'?|readers\u2019|user|community|recent|latest|top) comments?",
    r"comments? (?:section|thread)",
    r"(?:show|view|see|read|load|open)(?: all| the)?(?: \d+)? comments?",
)
_COMMENT_HEADER_WEAK = _full(
    r"comments?|discussion|conversation|have your say|what do you think\??|responses?|replies",
    r"(?:add|post|write|submit) (?:a |your )?comment",
)
_COMMENT_SAYS = re.compile(
    r"[^.!?]{1,60}\s(?:says|said|wrote|commented|replied)\s*:?\s*(?:" + _DATE + r")?\s*",
    re.IGNORECASE,
)
_COMMENT_THREAD = re.compile(
    r"(?:(?:\d+|an?|one)\s*(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?"
    r"|mo|months?|y|years?)\s+ago"
    rf"|(?:on )?{_DATE}(?:,? at \d{{1,2}}:\d{{2}}\s*(?:[ap]\.?m\.?)?)"
    r"|reply|like|report|flag|share|\d+ (?:likes?|replies|points?|upvotes?))\s*",
    re.IGNORECASE,
)

# --------------------------------------------------------------------------
# subscribe-prompt

_PROMPT_LINE = _start(
    r"(?:click|tap) (?:here|the link|below) to (?:subscribe|sign up|register|donate|download|get"
    r"|receive|join|follow|support|become)\b",
    rf"(?:follow|like|join|find|connect with|friend|add) (?:us|me|{_HANDLE}|[\w.'\u2019-]+"
    r"(?: [\w.'\u2019-]+){0,4}) on (?:" + _SOCIAL_NAMES + r"|google news|apple news"
    r"|substack|social media|social)\b",
    r"follow (?:us|me)\b",
    r"(?:share|email|tweet|post|pin|send|forward)(?: this| the)? (?:article|story|page|post"
    r"|link|piece)\b",
    rf"share (?:on|via|to|with) (?:{_SOCIAL_NAMES}|email|e-mail|friends|sms)\b",
    r"(?:download|get|install|try) (?:our|the|the free|our free|the new|our new) "
    r"(?:[\w&'\u2019-]+ ){0,5}apps?\b",
    r"(?:available|get it|download it|download) (?:on|from) (?:the )?(?:app store|google play)",
    r"(?:please )?(?:donate (?:now|today|here|monthly|once|to (?:us|our|support|keep))"
    r"|make a (?:one-time |monthly |tax-deductible |recurring )?(?:donation|gift|contribution)"
    r" (?:today|now|to (?:us|our|support))|give (?:today|now|monthly)|chip in)\b",
    r"support (?:independent|local|quality|nonprofit|non-profit|reader-funded|free|fearless"
    r"|trusted|public-interest|accountability|in-depth|our|this)\b.{0,40}\b(?:journalism"
    r"|reporting|newsroom|journalists|news|media)\b",
    r"support (?:us|our (?:work|mission|coverage|newsroom|reporting))\b",
    r"(?:become|join as|sign up as) a (?:member|subscriber|supporter|patron|donor|sustaining"
    r" member|paid subscriber|founding member|friend of)\b",
    r"(?:already a (?:subscriber|member)|not a (?:subscriber|member)|subscribers? only"
    r"|for subscribers|exclusive to subscribers|subscriber exclusive|premium content)\b",
    r"(?:this|the) (?:article|story|content|piece) is (?:for|available to|only available to"
    r"|exclusive to|reserved for) (?:our )?(?:subscribers|members|premium)\b",
    r"(?:to )?(?:continue|keep|start) reading,? (?:please )?(?:subscribe|log in|sign in|register"
    r"|create)\b",
    r"you(?:'ve|\u2019ve| have) (?:reached|read|used) (?:your|the|all)\b.{0,40}\b(?:articles?"
    r"|stories|limit)\b",
    r"you have (?:\d+|one|two|three) free (?:articles?|stories)\b",
    r"(?:get|receive|have)\b.{0,80}\b(?:delivered )?(?:to|in|into|straight to|directly to"
    r"|right to) your inbox\b",
    r"(?:enter|type|add) your e-?mail\b",
    r"by (?:signing up|subscribing|clicking|submitting|registering|entering your email)\b.{0,60}"
    r"\b(?:agree|consent|acknowledge|accept)\b",
    r"thanks? (?:you )?for (?:signing up|subscribing|your support)\b",
    r"thanks? (?:you )?for reading\b.{0,150}\b(?:subscri|sign up|share|support|newsletter)",
    r"click to (?:share|email|print|post|tweet|pin)\b",
    r"like this:|like loading|(?:\d+ )?bloggers? like this",
    r"(?:create|register for|sign up for) (?:a |an |your )?(?:free )?account\b.{0,80}\b(?:read"
    r"|continue|access|unlimited)",
    r"unlock (?:this|the full|unlimited|full|all)\b.{0,60}\b(?:article|story|access|stories)",
    r"(?:invalid|please enter a valid) e-?mail\b",
    r"(?:we(?:'ll|\u2019ll| will) never|we do not|we don't|we won't|we will not) (?:share|sell"
    r"|spam|rent)(?: or (?:share|sell|rent))? your (?:e-?mail|information|data|details|address)",
    r"(?:you can )?(?:unsubscribe|opt out) (?:at any time|anytime)\b",
    r"this site is protected by recaptcha\b",
    r"(?:turn on|enable|allow|get) (?:push |breaking news |news |our )?(?:notifications|alerts)\b",
    r"(?:got|have) a (?:news |story )?tip\?|(?:got|have) a (?:news|story) tip\b",
    r"(?:send|email|submit|share) (?:us )?(?:your |a |news )?(?:news )?tips?\b",
    r"want (?:more|to read more|the latest|news like this|to know more|more stories)\b.{0,80}"
    r"\b(?:sign up|subscribe|newsletter|follow|app|inbox)\b",
    r"(?:never|don't|do not) miss (?:a|another|an|out on) (?:story|update|thing|beat|headline"
    r"|newsletter|issue|episode)\b",
    r"(?:like|enjoy|love|liked|enjoyed|loved|appreciate|value)d? (?:this|what you(?:'re"
    r"|\u2019re| are)? (?:reading|read)|our) (?:article|story|newsletter|journalism|reporting"
    r"|content|work)\?",
    r"if you (?:like|enjoy|enjoyed|liked|value|appreciate|found)d? (?:this|our|what you)\b.{0,120}"
    r"\b(?:subscri|donat|support|sign up|share|newsletter|member)",
    r"(?:we|our newsroom) (?:rely|relies|depend|depends|count) on (?:readers|you|the support"
    r"|support|donations|contributions)\b",
    r"(?:help us|help fund|help support|you can help)\b.{0,60}\b(?:journalism|reporting"
    r"|newsroom|journalists)\b",
    r"(?:subscribe|listen|follow) (?:to|on) (?:apple podcasts|spotify|google podcasts"
    r"|youtube|amazon music|pocket casts|overcast|audible)\b",
    r"(?:sign up|sign-up|signup|subscribe)(?:\s*[:!\u2014\u2013-]|\s+(?:for|to|now|today|here"
    r"|and|with|below|free|on|at|via|using)\b).{0,120}\b(?:newsletters?|e-?mails?"
    r"|inbox|updates|alerts|briefings?|digest|free|now|today|here|our|for (?:free|our|the)"
    r"|continue reading|keep reading|read more|unlimited|access|subscription"
    r"|account|daily|weekly|notifications|podcast|channel)\b",
)
_PROMPT_FULL = _full(
    r"sign up|sign-up|signup|subscribe(?: now| today| here)?|subscribe for .{1,40}|register now",
    r"share(?: this)?(?: (?:article|story|page|post))?(?: on)?|\d[\d,.]*k? shares?|follow(?: us)?",
    r"(?:our |free |daily |weekly |morning |evening |breaking news |the )?(?:newsletters?"
    r"|email briefing|news ?letters?|news alerts?|email alerts?)(?: sign-?up)?",
    r"(?:your )?e-?mail(?: address)?\s*\*?",
    r"donate(?: now| today| here)?|support us|become a (?:member|supporter|subscriber)",
    r"get (?:the|our) apps?",
)

# --------------------------------------------------------------------------
# read-more

_READMORE_HEADER = _full(
    r"read more|read next|read this next|up next",
    r"related|related (?:stories|articles?|coverage|content|reading|posts|links|news|topics"
    r"|videos?|podcasts?|items|story|listening)",
    r"see also|also (?:read|see)|read also|more on this(?: story| topic| subject)?"
    r"|more (?:stories|news|headlines|articles)(?: (?:from|like this|on|about) .{1,40})?"
    r"|more in .{1,30}"
    r"|more from .{1,40}|more like this|more to explore|discover more|explore more",
    r"recommended(?: (?:for you|stories|reading|articles|videos?|content|video))?|top picks"
    r"|most (?:read|popular|viewed|shared|commented|emailed|watched)(?: (?:stories|articles"
    r"|today|this week|now|on .{1,30}))?",
    r"trending(?: (?:now|stories|news|articles|topics|videos?))?|you (?:may|might|could)"
    r" (?:also )?(?:like|enjoy|be interested in|have missed)|(?:don'?t|don\u2019t|do not) miss",
    r"editors?'?\u2019?s? picks?|top stories|latest (?:news|stories|headlines|videos?|podcasts?)"
    r"|(?:the )?latest|popular (?:now|stories|articles|today|right now)|popular"
    r"|what to read next|further reading|more headlines|(?:from )?around the web",
    r"sponsored (?:stories|content|links|headlines)|from our (?:partners|network|sponsors)"
    r"|promoted (?:stories|content|links)|people (?:also )?(?:read|viewed|are reading)",
    r"in (?:case you missed it|other news)|icymi|elsewhere(?: on .{1,30})?|watch (?:more|next|now)"
    r"|more videos?|what else we(?:'re|\u2019re) reading|read more stories|more",
)
_READMORE_INLINE = re.compile(
    _LEAD + r"(?:read more|read also|also read|also see|see also|read next|related"
    r"|related (?:story|stories|articles?|coverage|content|reading|links?|news|video)"
    r"|more on (?:this|that) (?:story|topic)|more|recommended(?: reading)?|further reading"
    r"|watch|(?:don'?t|don\u2019t) miss|must read|editor'?s'? pick|trending|check out|listen"
    r"|top story|more from \w+(?: \w+)?|see more|also on [\w.]+)"
    r"\s*(?::|\||\u00bb|\u203a|>)\s*\S.{0,300}",
    re.IGNORECASE,
)
_READMORE_BUTTON = _full(  # a button inside the article: nothing it introduces is a teaser
    r"continue reading(?: the (?:main )?(?:story|article))?|keep reading|read (?:the )?full"
    r" (?:story|article)|read on|show (?:full|whole|more of the) (?:article|story)|expand article",
)
_LINK_TEXT = re.compile(  # a link to more coverage: "Get updates on the storm", "Watch the video"
    r"(?:get|follow|watch|listen to|read|see|track|view|explore|check out|catch up on|find out more"
    r"|learn more|browse)\b[^.!?:;]{0,60}\b(?:updates|latest|live|coverage|tracker|maps?|videos?"
    r"|photos|gallery|full (?:story|report|statement|interview|list)|here|more|stories"
    r"|blog|forecast|radar|results|timeline|explainer)\b[^.!?:;]{0,40}",
    re.IGNORECASE,
)
_READMORE_PHRASE = _start(
    r"read (?:more|the full (?:story|article|report|interview|statement|text))\s+(?:about|on"
    r"|here|at|in)\b",
    r"(?:click|tap) (?:here|the link)\b.{0,40}\b(?:read|more|full|story|article)\b",
    r"continue reading (?:at|on|here|in)\b",
    r"for (?:more|the latest)(?: (?:news|stories|coverage|updates|information))? (?:on|about)"
    r"\b.{1,120},\s*(?:see|visit|go to|click|read|follow|head to)\b",
    r"(?:read|see|watch) (?:our|the) (?:full|latest|live) (?:coverage|story|report|updates)\b",
    r"(?:follow|read) (?:our|the) live (?:coverage|blog|updates)\b",
    r"(?:follow|read|see|find) (?:more of |all of )?(?:our|the|[\w.'\u2019]+(?:'s|\u2019s))"
    r"(?: [\w'\u2019-]+){0,3} (?:coverage|reporting|stories)\b.{0,100}\b(?:at|on|here)\b",
)
_READMORE_FUSED = re.compile(
    r"(?<=[.!?\"\u201d\u2019)])\s+((?:READ MORE|RELATED|ALSO READ|READ ALSO|SEE ALSO|MORE|WATCH"
    r"|READ NEXT|RECOMMENDED)\s*:\s*\S[^\n]{0,300})$"
)
_TEASER_META = re.compile(
    r"(?:(?:updated|published|posted|last updated)\s*:?\s*)?(?:"
    r"(?:\d+|an?|one)\s*(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?"
    r"|mo|months?|y|years?)\s+ago"
    rf"|(?:(?:mon|tue|wed|thu|fri|sat|sun)\w*,?\s+)?{_DATE}(?:,?\s+\d{{1,2}}:\d{{2}}\s*"
    r"(?:[ap]\.?m\.?)?(?:\s*[a-z]{2,4})?)?"
    r"|\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*[a-z]{2,4})?"
    r"|(?:\d+|one)[\s-]*min(?:ute)?s?\.?(?: (?:read|watch|listen))?"
    r"|by [\w.'\u2019-]+(?: [\w.'\u2019-]+){0,3}(?:(?:,| and) [\w.'\u2019-]+(?: [\w.'\u2019-]+)"
    r"{0,3}){0,2}"
    r"|video|watch|listen|audio|podcast|opinion|analysis|sponsored|ad|promoted|live|exclusive"
    r"|breaking|explainer|gallery|photos|interactive|paid (?:content|post)|partner content"
    r"|\d+ comments?)\s*",
    re.IGNORECASE,
)

# --------------------------------------------------------------------------
# Tail-only cues (weaker: only believed in the tail of the text)

_READER_CUE = re.compile(
    r"\b(?:our|us|we|free|here|now|today|below|channel|latest|updates)\b", re.IGNORECASE
)
_TAIL_PROMO_CUE = re.compile(
    r"\b(?:newsletters?|subscri\w*|sign[ -]?up|podcasts?|download|apps?|follow|donat\w*"
    r"|membership|become a member|inbox|alerts|notifications|tips?|whatsapp channel"
    r"|telegram channel|watch live|listen live|listen now|watch now)\b",
    re.IGNORECASE,
)
_TAIL_NAV_PART = re.compile(
    r"(?:about(?: us)?|contact(?: us)?|careers|jobs|advertise(?: with us)?|advertising|privacy"
    r"(?: policy| notice| settings)?|terms(?: of (?:use|service)| and conditions)?|cookies?"
    r"(?: policy| settings)?|accessibility|site ?map|rss(?: feeds?)?|help(?: cent(?:er|re))?"
    r"|faq|masthead|staff|ethics(?: policy)?|corrections(?: policy)?|newsletters|archives?"
    r"|subscriptions?|manage (?:subscription|account)|our team|store|shop|events|podcasts"
    r"|e-?edition|print edition|(?:all )?rights reserved|home|news|sport|sports|business"
    r"|opinion|culture|lifestyle|world|politics|tech|technology|science|health|entertainment"
    r"|video|videos|travel|weather|obituaries|classifieds|puzzles|games|crosswords?"
    r"|do not sell my (?:personal )?info(?:rmation)?|your privacy choices|partners|syndication"
    r"|licensing|reprints|press|media kit|feedback|submit a tip)",
    re.IGNORECASE,
)
_TAIL_NAV_SPLIT = re.compile(r"\s*(?:\||\u2022|\u00b7|,|/)\s*|\s{2,}")
_IMPERATIVE = _start(
    r"(?:sign|subscribe|follow|download|get|join|support|donate|listen|watch|read|share"
    r"|register|become|try|discover|explore|visit|check out|don't miss|don\u2019t miss|never miss"
    r"|stay|keep up|catch up|find us|tune in|send us|tell us|contact us|email us|write to us"
    r"|click|tap|scan|catch all|catch the latest)\b",
)
_APPEAL_FAMILIES = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\bsupport(?:ing|ers?)?\b",
        r"\b(?:donat\w*|contribut\w*|gift|chip in|fund(?:ing|ed)?)\b",
        r"\b(?:members?(?:hip)?|subscri\w*|patrons?)\b",
        r"\b(?:journalism|reporting|newsroom|journalists)\b",
        r"\b(?:independent|non-?profit|reader-(?:funded|supported)|paywall|free (?:to read"
        r"|for everyone|for all))\b",
    )
)
_FIRST_PLURAL = re.compile(r"\b(?:we|our|us)\b", re.IGNORECASE)
_SECOND_PERSON = re.compile(r"\b(?:you|your)\b", re.IGNORECASE)

# --------------------------------------------------------------------------
# Structural features

_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*$")
_INNER_SENTENCE = re.compile(r"[a-z0-9)]{2}[.!?][\"\u201d\u2019]?\s+[\"\u201c\u2018]?[A-Z]")
_LIST_MARKER = re.compile(r"(?:[\-\u2022*\u25aa\u25cf\u2013]\s|\d{1,2}[.)]\s|\(\d{1,2}\)\s)")
_LEADING_DATE = re.compile(rf"(?:{_DATE}|\d{{4}}\b|{_MONTH}\s+\d{{1,2}}\b)", re.IGNORECASE)
_SMALL_WORDS = _word_set(
    "a an and as at but by for from in into of on or over the to up with vs via is are was "
    "be after amid before out off per than"
)


@dataclass(slots=True)
class _Features:
    words: int
    sentence: bool  # ends with terminal punctuation
    headline: bool  # a short line that reads like a headline (no full stop)
    dek: bool  # one or two sentences short enough to be a teaser's standfirst
    meta: bool  # timestamp, byline, "5 min read", kicker label
    listy: bool  # starts with a list marker or a date
    opens: bool  # ends with a colon or dash: introduces what follows


def _features(text: str) -> _Features:
    words = len(text.split()) if len(text) < _MAX_PATTERN_CHARS else _MAX_PATTERN_CHARS
    sentence = bool(_SENTENCE_END.search(text[-8:]))
    short = len(text) <= 400
    multi = short and bool(_INNER_SENTENCE.search(text))
    ends_open = text.endswith(("...", "\u2026"))
    headline = (
        short
        and 1 <= words <= 22
        and (not sentence or ends_open or text.endswith(("?", "!", "?\u201d", "!\u201d")))
        and not text.endswith((",", ";", ":"))
        and not multi
    )
    dek = short and 5 <= words <= 35 and sentence and len(_INNER_SENTENCE.findall(text)) <= 1
    meta = short and words <= 12 and bool(_TEASER_META.fullmatch(text))
    listy = bool(_LIST_MARKER.match(text) or _LEADING_DATE.match(text)) or _is_table_row(text)
    opens = text.endswith((":", "\u2014", " -"))
    return _Features(words, sentence, headline, dek, meta, listy, opens)


def _is_title_case(text: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_][\w'\u2019-]*", text)]
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    if not content:
        return False
    return sum(1 for w in content if w[0].isupper()) >= 0.7 * len(content)


# --------------------------------------------------------------------------
# Units


@dataclass(slots=True, eq=False)
class _Unit:
    order: int
    text: str
    reason: str | None = None
    cuts: list[tuple[str, str]] = field(default_factory=list)  # cut from the end, outer first
    checked: bool = False
    _feat: _Features | None = None

    @property
    def feat(self) -> _Features:
        if self._feat is None:
            self._feat = _features(self.text)
        return self._feat

    def set_text(self, text: str) -> None:
        self.text = text
        self.checked = False
        self._feat = None


def _split_units(text: str) -> list[str]:
    """Split text into normalised non-empty lines, re-joining hard-wrapped paragraphs."""
    blocks: list[list[tuple[str, int]]] = []
    current: list[tuple[str, int]] = []
    for raw in text.splitlines():
        line = _clean_line(raw)
        if line:
            stripped = raw.translate(_DROP_TABLE)
            indent = len(stripped) - len(stripped.lstrip())
            current.append((line, indent))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    width = _wrap_width(blocks)
    units: list[str] = []
    for block in blocks:
        if width is None or len(block) == 1:
            units.extend(line for line, _ in block)
            continue
        acc = block[0][0]
        for (prev, prev_indent), (line, indent) in pairwise(block):
            if _is_wrapped(prev, prev_indent, line, indent, width):
                acc += " " + line
            else:
                units.append(acc)
                acc = line
        units.append(acc)
    return units


def _wrap_width(blocks: list[list[tuple[str, int]]]) -> int | None:
    """The fixed width the text was hard-wrapped at, or None when it was not wrapped."""
    inner = [len(line) for block in blocks for line, _ in block[:-1]]
    if len(inner) < 3:
        return None
    width = max(inner)
    if not 30 <= width <= 110:
        return None
    near = sum(1 for n in inner if n >= 0.7 * width)
    return width if near >= 0.7 * len(inner) else None


def _is_wrapped(prev: str, prev_indent: int, line: str, indent: int, width: int) -> bool:
    if indent > prev_indent or _LIST_MARKER.match(line):
        return False
    first_word = line.split(" ", 1)[0]
    if len(prev) + 1 + len(first_word) <= width:
        return False  # the next word would have fitted: the line ended on purpose
    if _SENTENCE_END.search(prev) and not line[:1].islower():
        return False
    return _classify_line(prev) is None and _classify_line(line) is None


# --------------------------------------------------------------------------
# Context-free line rules


def _is_table_row(text: str) -> bool:
    """A Markdown table row as trafilatura writes tables: ``| a | b |``, ``|---|---|``."""
    return len(text) >= 2 and text[0] == "|" and text[-1] == "|"


def _classify_line(text: str) -> str | None:
    """The reason a whole line is debris wherever it stands, or None."""
    if len(text) > _MAX_PATTERN_CHARS or _is_table_row(text):
        return None
    if _COMMENT_HEADER_STRONG.fullmatch(text) or _COMMENT_HEADER_WEAK.fullmatch(text):
        return None  # headers are judged in context (they may start a comment section)
    if _READMORE_HEADER.fullmatch(text):
        return None  # headers are judged in context (teasers follow them)
    words = len(text.split())
    if _SOCIAL_LINE.fullmatch(text):
        return SOCIAL_POST
    if _is_editor_note(text, words):
        return EDITOR_NOTE
    if _is_syndication(text, words):
        return SYNDICATION_FOOTER
    if _is_caption(text, words):
        return CAPTION
    if words <= 80 and _COMMENT_LINE.fullmatch(text):
        return COMMENT_FORM
    if words <= 40 and (_READMORE_INLINE.fullmatch(text) or _READMORE_PHRASE.match(text)):
        return READ_MORE
    if words <= 10 and (_LINK_TEXT.fullmatch(text) or _READMORE_BUTTON.fullmatch(text)):
        return READ_MORE
    if _is_prompt(text, words):
        return SUBSCRIBE_PROMPT
    if _is_link_only(text, words):
        return LINK_ONLY
    return None


def _is_editor_note(text: str, words: int) -> bool:
    if words > 400:
        return False
    if _EDITOR_NOTE_LINE.fullmatch(text):
        if text.lower().startswith("source"):
            return words <= 12 and not _SENTENCE_END.search(text.rstrip(")]"))
        return True
    if words <= 60 and _BY_NOTE.match(text):
        return _names_only_after_by(text, words)
    if words <= 40 and _CONTRIBUTED.fullmatch(text) and text[:1].isupper():
        return "contribut" in text.lower() and _names_only_before(text)
    return False


def _names_only_after_by(text: str, words: int) -> bool:
    """True when what follows "… by" reads as a list of names, not as a sentence."""
    if text.startswith(("(", "[")) and text.rstrip(".").endswith((")", "]")):
        return True
    tail = re.split(r"(?i)\b(?:by|from|inputs?)\b", text, maxsplit=1)[-1]
    tokens = re.findall(r"[^\W\d_][\w.'\u2019-]*", tail)
    lower = [t for t in tokens if t[0].islower() and t.lower() not in _NOTE_FUNCTION_WORDS]
    if ";" in text:
        return len(lower) <= 2
    return words <= 20 and len(lower) <= 1


def _names_only_before(text: str) -> bool:
    head = re.split(r"(?i)\b(?:also )?(?:contributed|provided)\b", text, maxsplit=1)[0]
    tokens = re.findall(r"[^\W\d_][\w.'\u2019-]*", head)
    lower = [t for t in tokens if t[0].islower() and t.lower() not in _NOTE_FUNCTION_WORDS]
    return bool(tokens) and len(lower) <= 1


def _is_syndication(text: str, words: int) -> bool:
    if words > 80:
        return False
    if _ORIGIN.match(text) or _PRODUCED.match(text) or _READ_ORIGINAL.fullmatch(text):
        return words <= 60
    if _REPUBLISH.match(text):
        return words <= 60
    m = _COPYRIGHT.match(text)
    if m and words <= 30:
        return True
    if words <= 12 and _COPYRIGHT_NAME.fullmatch(text):
        return True
    return words <= 50 and bool(_SYNDICATION_MISC.match(text))


def _is_caption(text: str, words: int) -> bool:
    if words > 80:
        return False
    if _CAPTION_LINE.fullmatch(text) or _FILE_CAPS.match(text):
        return True
    if words > 60:
        return False
    tail = text[-260:]
    if _CAPTION_END.search(tail):
        return True
    if not _SENTENCE_END.search(text) and _CREDIT_SLASH_END.search(tail):
        return True
    m = _AGENCY_PAREN_END.match(text) if words <= 30 else None
    if m:
        head = m.group("head")
        return bool(head) and not _SENTENCE_END.search(head) and not head.isupper()
    return False


def _is_prompt(text: str, words: int) -> bool:
    if words > 60:
        return False
    if _PROMPT_FULL.fullmatch(text):
        return True
    if words <= 40 and _PROMPT_LINE.match(text):
        return True
    return words <= 12 and _share_buttons(text)


def _share_buttons(text: str) -> bool:
    tokens = [t.lower() for t in _SHARE_SPLIT.split(text) if t]
    if not tokens or len(tokens) > 12:
        return False
    if not all(t in _SHARE_TOKENS for t in tokens):
        return False
    return len(tokens) >= 2 or tokens[0] not in {"x", "save", "article", "comment", "comments"}


def _is_link_only(text: str, words: int) -> bool:
    if words <= 40 and _NAV_LINE.fullmatch(text):
        return True
    if words <= 12 and _LINK_LINE.fullmatch(text):
        return True
    if words <= 80 and _COOKIE_BANNER.match(text):
        return True
    if words <= 30 and _TAG_LINE.fullmatch(text) and ":" in text[:40]:
        return True
    if _SYMBOL_ONLY.fullmatch(text):
        # Separators and stray punctuation ("***", "|", "___"), but not emoji lines.
        return all(
            unicodedata.category(c)[0] in "PSZ" and unicodedata.category(c) != "So" for c in text
        )
    return words <= 30 and _is_breadcrumb(text)


def _is_breadcrumb(text: str) -> bool:
    if not any(
        sep in text for sep in (">", "\u00bb", "\u203a", " | ", " / ", " \u2022 ", " \u00b7 ")
    ):
        return False
    parts = [p for p in _BREADCRUMB_SPLIT.split(text) if p]
    if not 2 <= len(parts) <= 12:
        return False
    for part in parts:
        if len(part) > 40 or len(part.split()) > 5 or _SENTENCE_END.search(part):
            return False
        if not (part[0].isupper() or part[0].isdigit()):
            return False
    strong_sep = any(sep in text for sep in (">", "\u00bb", "\u203a"))
    return len(parts) >= 3 or strong_sep or parts[0].lower() in {"home", "news", "homepage"}


# --------------------------------------------------------------------------
# Partial cuts (from the end of a unit that is otherwise kept)


def _trailing_cut(text: str) -> tuple[int, str] | None:
    """Where debris fused onto the end of a paragraph starts, and its reason."""
    if len(text) < 12:
        return None
    offset = max(0, len(text) - _TAIL_WINDOW)
    window = text[offset:]
    m = _SOCIAL_TRAILER.search(window)
    if m and m.start() > 0 and window[: m.start()].strip():
        return offset + m.start(), SOCIAL_POST
    m = _TRAILING_NOTE.search(window)
    if m and window[: m.start()].strip():
        return offset + m.start(), EDITOR_NOTE
    m = _READMORE_FUSED.search(window)
    if m and window[: m.start(1)].strip():
        return offset + m.start(1), READ_MORE
    return None


# --------------------------------------------------------------------------
# Boilerplate keys

_MONTH_WORD = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b"
)
_WEEKDAY_WORD = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur"
    r"|thurs|fri|sat|sun)\b"
)
_DIGITS = re.compile(r"\d+")
_KEY_TOKEN = re.compile(r"[^\W_]+")


def normalize_line(line: str) -> str:
    """Return the key a line is matched by when looking for outlet boilerplate.

    Case-folded and NFKC-normalised; runs of digits become ``0``, month and
    weekday names become ``month``/``day`` (so "© 2023" and "© 2024", or
    "Updated May 3" and "Updated June 9", share a key); punctuation and
    whitespace collapse to single spaces. Lines without letters or digits give
    ``""``, which never matches.
    """
    text = unicodedata.normalize("NFKC", line.translate(_DROP_TABLE)).casefold()
    text = _DIGITS.sub("0", text)
    text = _MONTH_WORD.sub("month", text)
    text = _WEEKDAY_WORD.sub("day", text)
    return " ".join(_KEY_TOKEN.findall(text))


_OUTLET_CUE = re.compile(
    r"\b(?:we|our|us|you|your|this (?:article|story|report|newsletter|podcast|site|website)"
    r"|newsroom|subscri\w*|newsletters?|follow|sign up|app|download|e-?mail|contact|tips?"
    r"|sponsor\w*|advertis\w*|support|donat\w*|members?(?:hip)?|copyright|rights reserved"
    r"|licen[cs]e\w*|reprint\w*|permission|editorial(?:ly)?|independent|non-?profit|staff"
    r"|contributed|correspondents?|writers?|reporters?|produced|published|publication"
    r"|disclaimer|views expressed|opinions expressed|affiliate|commission)\b",
    re.IGNORECASE,
)
_QUOTE_MARKS = frozenset('"\u201c\u201d\u00ab\u00bb\u201e')


_DATELINE_ONLY = re.compile(
    r"[A-Z][A-Z.'\u2019-]+(?: [A-Z][A-Z.'\u2019-]+){0,3}"
    r"(?:, [A-Z][\w.'\u2019-]+(?: [A-Z][\w.'\u2019-]+)?)?"
    r"(?: \([\w .-]{1,20}\))?(?: ?[\u2014\u2013:-]+)?"
)


def _is_boilerplate_candidate(line: str, key: str) -> bool:
    """Whether a line may count as outlet boilerplate.

    Candidates are lines that do not read as body text: labels, navigation and
    other non-sentences of at most 25 words, and sentences of at most 40 words
    that address the reader or speak about the outlet ("Sign up for our
    newsletter.", "The Example Times is an independent newsroom."). Short body
    sentences such as "He declined to comment.", quotes, and dateline-only
    lines ("WASHINGTON", "KYIV, Ukraine (AP) —") never are.
    """
    if not key or len(line) > 600 or _QUOTE_MARKS.intersection(line):
        return False
    words = len(key.split())
    if _SENTENCE_END.search(line):
        return words <= 40 and bool(_OUTLET_CUE.search(line))
    return words <= 25 and not _DATELINE_ONLY.fullmatch(line)


def find_boilerplate(
    texts_by_outlet: Mapping[str, Sequence[str]], *, min_articles: int = 3
) -> dict[str, frozenset[str]]:
    """Find each outlet's boilerplate: lines repeated across many of its articles.

    A line counts when its ``normalize_line`` key appears in at least
    ``min_articles`` different stories of the outlet and it does not read as
    body text (see ``_is_boilerplate_candidate``: a label or other non-sentence
    of at most 25 words, or a sentence of at most 40 words that addresses the
    reader or speaks about the outlet, such as "Sign up for our newsletter.";
    never a quote or a dateline). Versions of the same story (articles sharing
    most of their long lines) count once, so a paragraph repeated across
    updates of one story is not mistaken for boilerplate. With
    ``min_articles=1`` the candidate lines of every article are returned, for
    callers that count across runs themselves (they lose the story grouping).

    Returns:
        outlet -> frozenset of keys, for every outlet given (possibly empty).
    """
    if min_articles < 1:
        raise ValueError(f"min_articles must be at least 1, got {min_articles}")
    result: dict[str, frozenset[str]] = {}
    for outlet, texts in texts_by_outlet.items():
        per_article: list[set[str]] = []
        long_lines: list[set[str]] = []
        for text in texts:
            keys: set[str] = set()
            longs: set[str] = set()
            for line in _split_units(text):
                if len(line) > 2000:
                    continue
                key = normalize_line(line)
                if _is_boilerplate_candidate(line, key):
                    keys.add(key)
                elif len(key.split()) >= 10:
                    longs.add(key)
            per_article.append(keys)
            long_lines.append(longs)
        groups = _story_groups(long_lines) if min_articles > 1 else list(range(len(texts)))
        seen_in: defaultdict[str, set[int]] = defaultdict(set)
        for index, keys in enumerate(per_article):
            for key in keys:
                seen_in[key].add(groups[index])
        result[outlet] = frozenset(k for k, g in seen_in.items() if len(g) >= min_articles)
    return result


def _story_groups(long_lines: list[set[str]]) -> list[int]:
    """Group articles that share most of their long lines (versions of one story)."""
    parent = list(range(len(long_lines)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    holders: defaultdict[str, list[int]] = defaultdict(list)
    for index, keys in enumerate(long_lines):
        for key in keys:
            holders[key].append(index)
    shared: defaultdict[tuple[int, int], int] = defaultdict(int)
    for members in holders.values():
        if len(members) > 50:  # a line in very many articles is boilerplate, not a story
            continue
        for a_pos, a in enumerate(members):
            for b in members[a_pos + 1 :]:
                shared[(a, b)] += 1
    for (a, b), count in shared.items():
        smaller = min(len(long_lines[a]), len(long_lines[b]))
        if count >= 2 and count >= 0.5 * smaller:
            parent[root(a)] = root(b)
    return [root(i) for i in range(len(long_lines))]


# --------------------------------------------------------------------------
# The passes


def remove_debris(text: str, *, boilerplate: frozenset[str] = frozenset()) -> CleanResult:
    """Cut scraping debris from an article body; keep every cut piece with its reason.

    Args:
        text: article text after HTML extraction, or pasted/plain text.
        boilerplate: ``normalize_line`` keys of lines this outlet repeats across
            its articles (from ``find_boilerplate``); matching lines are cut.

    Returns:
        The cleaned text (paragraphs separated by a blank line), the removed
        pieces in their original order, and the outlet a syndication footer
        names, if any. Cleaning the cleaned text again changes nothing.
    """
    units = [_Unit(order=i, text=t) for i, t in enumerate(_split_units(text))]
    for _ in range(_MAX_PASSES):
        if not _one_pass(units, boilerplate):
            break
    return _assemble(units)


def _one_pass(units: list[_Unit], boilerplate: frozenset[str]) -> bool:
    changed = False
    kept = [u for u in units if u.reason is None]
    # 1. Context-free rules on each line, and trailing debris fused onto a line.
    for unit in kept:
        if unit.checked:
            continue
        reason = _classify_line(unit.text)
        if (
            reason is None
            and boilerplate
            and len(unit.text) <= 2000
            and not _is_table_row(unit.text)
            and normalize_line(unit.text) in boilerplate
        ):
            reason = BOILERPLATE
        if reason is not None:
            unit.reason = reason
            changed = True
            continue
        cut = _trailing_cut(unit.text)
        if cut is not None:
            start, why = cut
            unit.cuts.append((unit.text[start:].strip(), why))
            unit.set_text(unit.text[:start].rstrip())
            changed = True
            continue
        unit.checked = True
    kept = [u for u in kept if u.reason is None]
    # 2. Exact repeats of an earlier paragraph.
    seen: set[str] = set()
    for unit in kept:
        if unit.text in seen:
            if _is_table_row(unit.text):
                continue  # rows of a table may repeat
            if sum(1 for c in unit.text if c.isalnum()) >= _MIN_REPEAT_ALNUM:
                unit.reason = REPEATED
                changed = True
        else:
            seen.add(unit.text)
    kept = [u for u in kept if u.reason is None]
    # 3. Structure: comment sections, promo headers with their teasers, the tail.
    changed |= _cut_comment_section(kept, units)
    kept = [u for u in kept if u.reason is None]
    changed |= _cut_read_more(kept)
    kept = [u for u in kept if u.reason is None]
    changed |= _cut_tail(kept, units)
    changed |= _reconcile_copies(units)
    return changed


def _reconcile_copies(units: list[_Unit]) -> bool:
    """Make sure no text is both kept and cut (other than as a repeat).

    A paragraph can be cut by a positional rule (a teaser after "Related") while
    the same text is kept elsewhere. A cut copy after a kept one becomes a
    ``repeated`` cut; a kept copy after a cut one is cut too, as ``repeated``
    (or, for a piece cut from the end of a line, with that piece's reason).
    """
    kept_at: dict[str, int] = {}
    for unit in units:
        if unit.reason is None:
            kept_at.setdefault(unit.text, unit.order)
    changed = False
    for unit in units:
        for piece, why in unit.cuts:
            order = kept_at.pop(piece, None)
            if order is not None:
                units[order].reason = why
                changed = True
        if unit.reason is None or unit.reason == REPEATED:
            continue
        order = kept_at.get(unit.text)
        if order is None:
            continue
        if order < unit.order:
            unit.reason = REPEATED
        else:
            units[order].reason = REPEATED
            del kept_at[unit.text]
            changed = True
    return changed


def _cut_comment_section(kept: list[_Unit], units: list[_Unit]) -> bool:
    total = sum(len(u.text) for u in kept)
    before = 0
    for index, unit in enumerate(kept):
        text = unit.text
        if len(text) > 400 or _is_table_row(text):
            before += len(text)
            continue
        strong = bool(_COMMENT_HEADER_STRONG.fullmatch(text))
        weak = not strong and bool(_COMMENT_HEADER_WEAK.fullmatch(text))
        if not (strong or weak):
            before += len(text)
            continue
        unit.reason = COMMENT_FORM
        after = total - before - len(text)
        has_body = any(u.feat.words >= 15 and u.feat.sentence for u in kept[:index])
        evidence = _comment_evidence(units, unit.order)
        late = before >= after  # in the second half of the text
        if has_body and (
            (late and (strong or evidence > 0)) or (evidence > 1 and before >= after / 3)
        ):
            for rest in kept[index + 1 :]:
                rest.reason = COMMENT_FORM
        return True
    return False


def _comment_evidence(units: list[_Unit], order: int) -> int:
    """How surely the lines after a comment header are a comment form or thread.

    2: comment-form small print or "Name says:" lines; 1: lone "Reply", "Like",
    time stamps and other lines that also occur in share bars and bylines; 0: none.
    """
    found = 0
    for unit in units[order + 1 : order + 6]:
        text = unit.text
        if len(text) > 400:
            continue
        if _COMMENT_LINE.fullmatch(text) or unit.reason == COMMENT_FORM:
            if len(text.split()) >= 3:
                return 2
            found = 1
        elif _COMMENT_SAYS.fullmatch(text):
            return 2
        elif _COMMENT_THREAD.fullmatch(text):
            found = 1
    return found


def _cut_read_more(kept: list[_Unit]) -> bool:
    changed = False
    index = 0
    n = len(kept)
    while index < n:
        unit = kept[index]
        if (
            len(unit.text) > 400
            or _is_table_row(unit.text)
            or not _READMORE_HEADER.fullmatch(unit.text)
        ):
            index += 1
            continue
        unit.reason = READ_MORE
        changed = True
        end = index + 1
        last_kind = ""
        while end < n:
            feat = kept[end].feat
            if feat.meta:
                kind = "meta"
            elif feat.headline:
                kind = "headline"
            elif feat.dek and last_kind == "headline":
                kind = "dek"
            else:
                break
            last_kind = kind
            end += 1
        if end < n and last_kind == "dek":
            end -= 1  # body resumes: a closing sentence may be the body's own
        for teaser in kept[index + 1 : end]:
            teaser.reason = READ_MORE
        index = max(end, index + 1)
    return changed


_ZONE_REASONS = frozenset({SUBSCRIBE_PROMPT, SYNDICATION_FOOTER, COMMENT_FORM, READ_MORE})


def _promo_cut_before(kept: list[_Unit], units: list[_Unit], index: int) -> bool:
    """Whether a promo/footer line was cut just before kept[index] (a debris zone starts)."""
    previous = kept[index - 1].order if index > 0 else -1
    between = units[previous + 1 : kept[index].order]
    return any(u.reason in _ZONE_REASONS for u in between)


def _cut_tail(kept: list[_Unit], units: list[_Unit]) -> bool:
    n = len(kept)
    if n < 2:
        return False
    changed = _cut_tail_teasers(kept, units) or _cut_tail_tags(kept)
    if changed:
        return True
    # Prompts that are only believed at the end of the text.
    hard_tail = True
    index = n - 1
    while index >= 1:
        unit = kept[index]
        feat = unit.feat
        text = unit.text
        reason: str | None = None
        if hard_tail and not feat.sentence and feat.words <= 12:
            reason = _weak_tail_reason(text)
        if (
            reason is None
            and feat.words <= 30
            and _IMPERATIVE.match(text)
            and _TAIL_PROMO_CUE.search(text)
            and _READER_CUE.search(text)
        ):
            reason = SUBSCRIBE_PROMPT
        if reason is None and _is_appeal(text, feat):
            reason = SUBSCRIBE_PROMPT
        if reason is not None:
            unit.reason = reason
            changed = True
        elif feat.sentence:
            hard_tail = False
        if reason is None and feat.words > 20:
            break  # a body paragraph: the tail zone ends here
        index -= 1
    return changed


def _weak_tail_reason(text: str) -> str | None:
    parts = [p for p in _TAIL_NAV_SPLIT.split(text) if p]
    navigation = parts and all(_TAIL_NAV_PART.fullmatch(p) for p in parts)
    if navigation and (len(parts) >= 2 or len(text.split()) >= 2):
        return LINK_ONLY
    if _TAIL_PROMO_CUE.search(text) and (_is_title_case(text) or len(text.split()) <= 6):
        return SUBSCRIBE_PROMPT
    return None


def _is_appeal(text: str, feat: _Features) -> bool:
    if feat.words < 8 or feat.words > 250:
        return False
    if not (_FIRST_PLURAL.search(text) and _SECOND_PERSON.search(text)):
        return False
    return sum(1 for family in _APPEAL_FAMILIES if family.search(text)) >= 3


def _cut_tail_teasers(kept: list[_Unit], units: list[_Unit]) -> bool:
    """Cut a run of other stories' headlines (and deks) trailing the article."""
    n = len(kept)
    index = n - 1
    headlines = metas = deks = 0
    start = n
    while index >= 1:
        feat = kept[index].feat
        if feat.meta:
            metas += 1
            start = index
            index -= 1
        elif feat.headline and feat.words >= 4 and not feat.listy:
            headlines += 1
            start = index
            index -= 1
        elif feat.dek and index >= 2 and _is_teaser_headline(kept[index - 1]):
            headlines += 1
            deks += 1
            start = index - 1
            index -= 2
        else:
            break
    if start >= n or headlines < 2 or _introduces_list(kept[start - 1]):
        return False
    body_before = any(u.feat.words >= 15 and u.feat.sentence for u in kept[:start])
    if not body_before:
        return False
    # Subheads with one-sentence paragraphs look like headlines with deks, so a run
    # with deks needs outside evidence: timestamps/bylines, or a promo cut just before.
    evidence = metas >= 1 or _promo_cut_before(kept, units, start)
    if (headlines >= 4 and deks == 0) or (headlines >= 2 and evidence):
        for unit in kept[start:]:
            unit.reason = READ_MORE
        return True
    return False


def _introduces_list(unit: _Unit) -> bool:
    """A line such as "The winners were:" makes the short lines after it body."""
    return unit.feat.opens


def _is_teaser_headline(unit: _Unit) -> bool:
    feat = unit.feat
    return feat.headline and feat.words >= 4 and not feat.listy


def _cut_tail_tags(kept: list[_Unit]) -> bool:
    """Cut a run of one-to-three-word labels trailing the article (topic tags)."""
    n = len(kept)
    index = n - 1
    while index >= 1:
        feat = kept[index].feat
        if feat.words <= 3 and not (feat.sentence or feat.meta or feat.listy or feat.opens):
            index -= 1
            continue
        break
    start = index + 1
    if n - start < 3 or _introduces_list(kept[start - 1]):
        return False
    if not any(u.feat.words >= 15 and u.feat.sentence for u in kept[:start]):
        return False
    for unit in kept[start:]:
        unit.reason = LINK_ONLY
    return True


# --------------------------------------------------------------------------
# Output


def _assemble(units: list[_Unit]) -> CleanResult:
    kept = [u for u in units if u.reason is None]
    text = "\n\n".join(u.text for u in kept)
    ends: dict[int, int] = {}
    position = 0
    for unit in kept:
        position += len(unit.text)
        ends[unit.order] = position
        position += 2
    removed: list[Removed] = []
    last_end = 0
    for unit in units:
        if unit.reason is None:
            last_end = ends[unit.order]
        else:
            removed.append(Removed(text=unit.text, reason=unit.reason, at=last_end))
        removed.extend(
            Removed(text=piece, reason=why, at=last_end) for piece, why in reversed(unit.cuts)
        )
    return CleanResult(text=text, removed=tuple(removed), outlet_hint=_outlet_hint(removed))


def _outlet_hint(removed: Sequence[Removed]) -> str | None:
    best: tuple[int, str] | None = None
    for piece in removed:
        if len(piece.text) > 1000:
            continue
        found = _outlet_from_footer(piece.text)
        if found is not None and (best is None or found[0] > best[0]):
            best = found
    return best[1] if best else None


def _outlet_from_footer(text: str) -> tuple[int, str] | None:
    """(priority, outlet name) named by a syndication footer line, if any."""
    for priority, pattern in ((3, _ORIGIN), (3, _REPUBLISH), (3, _READ_ORIGINAL), (2, _PRODUCED)):
        m = pattern.match(text)
        if m and m.groupdict().get("rest"):
            name = _cut_name(m.group("rest"))
            if name:
                return priority, name
    m = _COPYRIGHT.match(text)
    if m and m.group("rest"):
        name = _cut_name(m.group("rest"))
        if name and not re.match(r"(?i)(?:all rights|by\b|the author|the authors?$)", name):
            return 1, name
    m = re.search(r"(?i)[.;]\s*(?:\u00a9|copyright)\s*(?P<rest>.+)", text)
    if m:
        inner = _COPYRIGHT.match("\u00a9 " + m.group("rest"))
        if inner and inner.group("rest"):
            name = _cut_name(inner.group("rest"))
            if name:
                return 1, name
    return None


def _cut_name(rest: str) -> str | None:
    rest = rest.strip().lstrip("\"'\u201c\u2018*_ ")
    m = _NAME_END.search(rest)
    name = rest[: m.start()] if m else rest
    for stop in re.finditer(r"\.(?:\s|$)", name):
        i = stop.start()
        if i >= 1 and name[i - 1].isupper() and (i == 1 or name[i - 2] in " ."):
            continue  # an initial, as in "U.S. News"
        name = name[:i]
        break
    name = name.strip(" '\"\u201c\u201d\u2018\u2019*_.,!?")
    if not name or len(name) > 80 or len(name.split()) > 10:
        return None
    looks_like_name = any(c.isalpha() for c in name) and (name[0].isupper() or name[0].isdigit())
    if not looks_like_name and not re.fullmatch(_BARE_DOMAIN, name, re.IGNORECASE):
        return None
    return name
