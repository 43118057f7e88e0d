"""Exact, faster stand-ins for two spaCy components that cost ≈ 15–20 % of the parse.

Profiling ``parallax analyze`` (BENCHMARKS.md, "End to end") showed spaCy's
``attribute_ruler`` and ``lemmatizer`` in ``en_core_web_sm`` taking ≈ 13 % and
≈ 8 % of the parse, almost all of it Python overhead per token: the ruler runs
a Matcher whose 56 tag patterns match every token, then builds a Span and sets
attributes one match at a time; the lemmatizer looks up its cache through
three token properties and does not cache base forms at all.

Both classes here read the *loaded model's own* component (patterns, tables),
so they follow whatever model is installed, and give the same token
attributes:

* :class:`FastAttributeRuler` applies the single-token tag-only patterns (the
  bulk) with one ``Doc.from_array`` call and runs the original Matcher only for
  the remaining patterns; a token touched by one of those gets every match
  re-applied in spaCy's precedence order (later patterns win), so the result
  is the ruler's.
* :class:`FastLemmatizer` computes each distinct (word, POS, morphology) once
  with the original lemmatizer's own ``lemmatize`` and writes lemmas with one
  ``Doc.from_array`` call.

``tests/unit/test_spacy_fast.py`` checks token-for-token identity with the
stock components on real news text.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["FastAttributeRuler", "FastLemmatizer", "install"]


class FastAttributeRuler:
    """Same output as a spaCy ``AttributeRuler``, tag-only patterns applied in bulk."""

    def __init__(self, ruler: Any) -> None:
        from spacy.attrs import MORPH, POS, TAG
        from spacy.matcher import Matcher
        from spacy.tokens import Doc

        self._ruler = ruler
        self._attrs = (TAG, POS, MORPH)
        vocab = ruler.vocab
        by_tag: dict[int, list[int]] = {}
        self._matcher = Matcher(vocab, validate=False)
        self._has_other = False  # patterns the Matcher must run (none in en_core_web_*)
        self._rules: list[tuple[int, list[list[_Condition]]]] = []
        probe = Doc(vocab, words=["x"])
        for attr_id, spec in enumerate(ruler.patterns):
            patterns = spec["patterns"]
            if (
                len(patterns) == 1
                and len(patterns[0]) == 1
                and set(patterns[0][0]) == {"TAG"}
                and isinstance(patterns[0][0]["TAG"], str)
                and set(ruler.attrs[attr_id]) == {POS, MORPH}
                and spec["index"] in (0, -1)
            ):
                by_tag.setdefault(vocab.strings.add(patterns[0][0]["TAG"]), []).append(attr_id)
            else:
                compiled = [_compile(pattern) for pattern in patterns]
                if all(c is not None for c in compiled):
                    self._rules.append((attr_id, compiled))  # type: ignore[arg-type]
                else:
                    self._matcher.add(str(attr_id), patterns)
                    self._has_other = True
        # Tag hash -> (POS id, MORPH key) after its patterns, found by applying them for real.
        from spacy.tokens._retokenize import set_token_attrs

        self._by_tag = by_tag
        self._bulk: dict[int, tuple[int, int]] = {}
        for tag, ids in by_tag.items():
            token = probe[0]
            token.pos = 0
            token.set_morph(None)
            for attr_id in sorted(ids):
                set_token_attrs(token, ruler.attrs[attr_id])
            self._bulk[tag] = (token.pos, token.morph.key)

    def __call__(self, doc: Any) -> Any:
        from spacy.tokens import Span
        from spacy.tokens._retokenize import set_token_attrs

        if not len(doc):
            return doc
        tag_pos_morph = doc.to_array(self._attrs)
        tags, inverse = np.unique(tag_pos_morph[:, 0], return_inverse=True)
        hits = [self._bulk.get(int(tag)) for tag in tags]
        changed = any(hit is not None for hit in hits)
        if changed:
            hit_rows = np.array([hit is not None for hit in hits])[inverse]
            values = np.array([hit or (0, 0) for hit in hits], dtype=tag_pos_morph.dtype)[inverse]
            tag_pos_morph[hit_rows, 1:] = values[hit_rows]
        others: dict[int, list[tuple[int, int, int, int]]] = {}
        for attr_id, start, end in self._matches(doc):
            span = Span(doc, start, end)
            token_i = span[self._ruler.indices[attr_id]].i  # IndexError as spaCy raises it
            others.setdefault(token_i, []).append((attr_id, 0, start, end))
        if changed:
            doc.from_array(self._attrs[1:], tag_pos_morph[:, 1:])
        for token_i, matches in others.items():
            token = doc[token_i]
            tag = int(tag_pos_morph[token_i, 0])
            sequence = [(a, 0, 0, 0) for a in self._by_tag.get(tag, ())] + matches
            for attr_id, *_ in sorted(sequence):
                set_token_attrs(token, self._ruler.attrs[attr_id])
        return doc

    def _matches(self, doc: Any) -> list[tuple[int, int, int]]:
        """(attr_id, start, end) of every non-bulk pattern match, as the Matcher finds them."""
        found: list[tuple[int, int, int]] = []
        n = len(doc)
        columns = _Columns(doc)
        for attr_id, alternatives in self._rules:
            for specs in alternatives:
                k = len(specs)
                if k > n:
                    continue
                hit = np.ones(n - k + 1, dtype=bool)
                for j, spec in enumerate(specs):
                    for condition in spec:
                        hit &= columns.mask(condition)[j : n - k + 1 + j]
                found.extend((attr_id, int(s), int(s) + k) for s in np.flatnonzero(hit))
        if self._has_other:
            strings = doc.vocab.strings
            found.extend(
                (int(strings[match_id]), start, end)
                for match_id, start, end in self._matcher(doc, allow_missing=True)
            )
        return found

    def pipe(self, docs: Any, batch_size: int = 128) -> Any:
        for doc in docs:
            yield self(doc)


# A token condition: (attribute name, operator, value); operators "==", "IN", "NOT_IN", "REGEX".
_Condition = tuple[str, str, Any]
_SUPPORTED = {"TAG", "LOWER", "DEP", "ORTH", "IS_SPACE"}


def _compile(pattern: list[dict[str, Any]]) -> list[list[_Condition]] | None:
    """Token specs as conditions, or None when a spec needs the real Matcher."""
    import re

    from spacy.strings import get_string_id

    specs = []
    for token in pattern:
        conditions: list[_Condition] = []
        for attr, value in token.items():
            if attr not in _SUPPORTED:
                return None
            if isinstance(value, bool) or (isinstance(value, str) and attr != "IS_SPACE"):
                conditions.append((attr, "==", int(value) if isinstance(value, bool) else get_string_id(value)))
            elif isinstance(value, dict) and len(value) == 1 and attr != "IS_SPACE":
                ((op, arg),) = value.items()
                if op in ("IN", "NOT_IN") and all(isinstance(v, str) for v in arg):
                    conditions.append((attr, op, tuple(sorted(get_string_id(v) for v in arg))))
                elif op == "REGEX" and isinstance(arg, str):
                    conditions.append((attr, op, re.compile(arg)))
                else:
                    return None
            else:
                return None
        specs.append(conditions)
    return specs


class _Columns:
    """Per-doc token attribute columns and condition masks, computed on demand."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self._columns: dict[str, Any] = {}
        self._masks: dict[tuple[str, str, Any], Any] = {}

    def column(self, attr: str) -> Any:
        if attr not in self._columns:
            self._columns[attr] = self.doc.to_array(attr)
        return self._columns[attr]

    def mask(self, condition: _Condition) -> Any:
        mask = self._masks.get(condition)
        if mask is None:
            attr, op, value = condition
            column = self.column(attr)
            if op == "==":
                mask = column == value
            elif op == "IN":
                mask = np.isin(column, value)
            elif op == "NOT_IN":
                mask = ~np.isin(column, value)
            else:  # REGEX over the attribute's string, as spaCy's _RegexPredicate does
                strings = self.doc.vocab.strings
                uniques, inverse = np.unique(column, return_inverse=True)
                ok = np.array([bool(value.search(strings[int(u)])) for u in uniques.tolist()])
                mask = ok[inverse.reshape(-1)]
            self._masks[condition] = mask
        return mask


class FastLemmatizer:
    """Same output as a spaCy rule ``Lemmatizer``, one computation per distinct word form."""

    def __init__(self, lemmatizer: Any) -> None:
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        self._lemmatizer = lemmatizer
        self._read = (ORTH, POS, MORPH, LEMMA)
        self._write = (LEMMA,)
        self._cache: dict[tuple[int, int, int], int] = {}
        self.max_cache = 500_000  # distinct (word, POS, morphology) kept; then start afresh

    def __call__(self, doc: Any) -> Any:
        if not len(doc):
            return doc
        lemmatizer = self._lemmatizer
        strings = doc.vocab.strings
        rows = doc.to_array(self._read)
        cache = self._cache
        if len(cache) > self.max_cache:
            cache.clear()
        lemmas = rows[:, 3].copy()
        todo = np.arange(len(doc)) if lemmatizer.overwrite else np.flatnonzero(lemmas == 0)
        if len(todo):
            keys, first, inverse = np.unique(
                rows[todo, :3], axis=0, return_index=True, return_inverse=True
            )
            values = np.zeros(len(keys), dtype=rows.dtype)
            for k, (orth, pos, morph) in enumerate(keys.tolist()):
                key = (orth, pos, morph)
                value = cache.get(key)
                if value is None:
                    if not pos:  # spaCy warns for an empty POS on every token: do the same
                        continue
                    value = strings.add(lemmatizer.lemmatize(doc[int(todo[first[k]])])[0])
                    cache[key] = value
                values[k] = value
            lemmas[todo] = values[inverse.reshape(-1)]
            for i in todo[(keys[inverse.reshape(-1), 1] == 0)]:
                lemmas[i] = strings.add(lemmatizer.lemmatize(doc[int(i)])[0])
        if len(todo):
            doc.from_array(self._write, lemmas.reshape(-1, 1))
        return doc

    def pipe(self, docs: Any, batch_size: int = 128) -> Any:
        for doc in docs:
            yield self(doc)


def install(nlp: Any) -> list[str]:
    """Replace ``attribute_ruler`` and a rule ``lemmatizer`` in ``nlp`` by the fast versions.

    Returns the names replaced. Components that are missing, disabled or of
    another kind are left alone.
    """
    from spacy.pipeline import AttributeRuler, Lemmatizer

    replaced = []
    for name, component in list(nlp.pipeline):
        if isinstance(component, AttributeRuler):
            fast: Any = FastAttributeRuler(component)
        elif isinstance(component, Lemmatizer) and component.mode == "rule":
            fast = FastLemmatizer(component)
        else:
            continue
        _swap(nlp, name, fast)
        replaced.append(name)
    return replaced


def _swap(nlp: Any, name: str, component: Any) -> None:
    """Put ``component`` in place of the pipe ``name`` without the factory registry."""
    names = [n for n, _ in nlp._components]
    nlp._components[names.index(name)] = (name, component)
