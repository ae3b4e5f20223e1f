"""The search box's syntax, parsed into a small tree with exact meaning. No Whoosh here.

Whoosh's own parser flattens groups and its AndNot matcher loses matches (whoosh3 3.54: a
document holding only the excluded word, sorted before a match, hides that match), and its
``field:value`` widened an OR of plain words instead of narrowing it. So the syntax is parsed
here, and :mod:`.query_compile` compiles the tree into queries it knows are exact
(``tests/test_search_oracle.py`` checks every operator against a brute-force evaluation).

Meaning, at each level (the whole query, or inside parentheses):

* plain words, ``"phrases"``, ``pric*`` and parenthesised groups are *optional*: a document
  must match at least one of them (when there is one), and matching more ranks higher;
* ``field:value`` narrows, like a filter: ``hospital type:pdf`` is the PDFs among the
  results of ``hospital``;
* ``+x`` is *required*: then, as in Lucene, the level's optional parts only rank
  (``+water bank``: everything with water, those with bank first);
* ``-x`` and ``NOT x`` *exclude*: no document matching x is returned;
* ``x AND y`` needs both, ``x OR y`` either; AND binds tighter than OR, and both tighter
  than plain juxtaposition. ``x AND NOT y`` needs x without y; ``x OR NOT y`` excludes y
  from the level (a whole-collection complement is never what was meant);
* only upper-case AND, OR and NOT are operators; ``-`` inside a word (``covid-19``) is not.

Field names: ``title``, ``description``, ``body`` (or ``text``), ``filename``, ``type`` (or
``kind``), ``tag`` and the tag kinds. ``other:value`` with an unknown name is plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "FIELD_ALIASES",
    "All",
    "Any_",
    "Group",
    "Node",
    "Not",
    "Phrase",
    "Word",
    "parse",
]

#: Field names a query may use, and the index field each one means.
FIELD_ALIASES: dict[str, str] = {
    "title": "title",
    "description": "description",
    "body": "body",
    "text": "body",
    "filename": "filename",
    "type": "kind",
    "kind": "kind",
    "tag": "tag",
    "product": "product",
    "segment": "segment",
    "stage": "stage",
    "persona": "persona",
    "region": "region",
}
OPERATORS = frozenset({"AND", "OR", "NOT"})
_TOKEN_RE = re.compile(r'\s+|[+-]?\(|\)|[+-]?"[^"]*(?:"|$)|[^\s()"]+')


@dataclass(frozen=True)
class Word:
    """One word as typed; ``field`` None means every searched field."""

    text: str
    field: str | None = None
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    """Words that must follow each other (stop words aside)."""

    text: str
    field: str | None = None


@dataclass(frozen=True)
class Not:
    node: Node


@dataclass(frozen=True)
class All:
    """Every part must match (``Not`` parts must not)."""

    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Any_:
    """At least one part must match."""

    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Group:
    """One level: every required and every filter, no excluded, and - when nothing is
    required and there are optional parts - at least one optional part."""

    optional: tuple[Node, ...] = ()
    required: tuple[Node, ...] = ()
    excluded: tuple[Node, ...] = ()
    filters: tuple[Node, ...] = ()


Node = Word | Phrase | Not | All | Any_ | Group

_OPT, _REQ, _EXC, _FLT = "optional", "required", "excluded", "filter"


def parse(text: str) -> Group:
    """The tree of ``text``. Never raises: anything unbalanced is read as well as it can."""
    tokens = [t for t in _TOKEN_RE.findall(text) if t.strip()]
    parser = _Parser(tokens)
    group = parser.group(None)
    while parser.pos < len(parser.tokens):  # a stray ")": carry on after it
        parser.pos += 1
        more = parser.group(None)
        group = Group(
            group.optional + more.optional,
            group.required + more.required,
            group.excluded + more.excluded,
            group.filters + more.filters,
        )
    return group


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def group(self, field: str | None) -> Group:
        optional: list[Node] = []
        required: list[Node] = []
        excluded: list[Node] = []
        filters: list[Node] = []
        while (token := self.peek()) is not None and token != ")":
            if token in ("AND", "OR"):  # an operator with nothing before it
                self.pos += 1
                continue
            mode, node = self.chain(field)
            if node is None:
                continue
            if isinstance(node, _Lifted):
                optional.extend(node.optional)
                excluded.extend(node.excluded)
                continue
            {_OPT: optional, _REQ: required, _EXC: excluded, _FLT: filters}[mode].append(node)
        return Group(tuple(optional), tuple(required), tuple(excluded), tuple(filters))

    def chain(self, field: str | None) -> tuple[str, Node | _Lifted | None]:
        """A unit, or units joined by AND / OR."""
        mode, node = self.unit(field)
        runs: list[list[tuple[str, Node]]] = [[] if node is None else [(mode, node)]]
        joined = False
        while (op := self.peek()) in ("AND", "OR"):
            self.pos += 1
            if self.peek() in (None, ")", "AND", "OR"):
                break
            next_mode, next_node = self.unit(field)
            joined = True
            if op == "OR":
                runs.append([])
            if next_node is not None:
                runs[-1].append((next_mode, next_node))
        if not joined:
            return mode, node
        return _OPT, _combine(runs)

    def unit(self, field: str | None) -> tuple[str, Node | None]:
        token = self.tokens[self.pos]
        self.pos += 1
        if token == "NOT":
            return self._negated(field)
        if token == "(":
            inner = self.group(field)
            if self.peek() == ")":
                self.pos += 1
            return _OPT, inner
        if token.startswith('"'):
            body = token[1:-1] if len(token) > 1 and token.endswith('"') else token[1:]
            return _OPT, Phrase(body, field) if body.strip() else None
        if token in ("+", "-"):
            return _OPT, None
        mode = _OPT
        if token[0] in "+-":
            mode = _REQ if token[0] == "+" else _EXC
            token = token[1:]
            if token.startswith('"') or token == "(":
                self.tokens[self.pos - 1] = token  # the rest is a phrase or a group
                self.pos -= 1
                _, node = self.unit(field)
                return mode, node
        return self._term(token, field, mode)

    def _negated(self, field: str | None) -> tuple[str, Node | None]:
        """``NOT x``: x excluded (``NOT -x`` is x again); a NOT of nothing is dropped."""
        if self.peek() in (None, ")", "AND", "OR"):
            return _OPT, None
        mode, node = self.unit(field)
        if node is None:
            return _OPT, None
        return (_OPT if mode == _EXC else _EXC), node

    def _term(self, token: str, field: str | None, mode: str) -> tuple[str, Node | None]:
        """A word, a prefix, or ``field:value`` (a filter unless marked + or -)."""
        name, colon, value = token.partition(":")
        target = FIELD_ALIASES.get(name.lower()) if colon and field is None else None
        if target is None:
            return mode, _word(token, field)
        narrowed = _FLT if mode == _OPT else mode
        if value:
            return narrowed, _word(value, target)
        nxt = self.peek()  # field:"a phrase" or field:(a group)
        if nxt is not None and (nxt.startswith('"') or nxt == "("):
            _, node = self.unit(target)
            return narrowed, node
        return _OPT, None


@dataclass(frozen=True)
class _Lifted:
    """An OR chain with NOT operands: its positive part, and exclusions for the level."""

    optional: tuple[Node, ...]
    excluded: tuple[Node, ...]


def _combine(runs: list[list[tuple[str, Node]]]) -> Node | _Lifted | None:
    alternatives: list[Node] = []
    lifted: list[Node] = []
    for run in runs:
        if not run:
            continue
        if len(run) == 1:
            mode, node = run[0]
            (lifted if mode == _EXC else alternatives).append(node)
            continue
        alternatives.append(All(tuple(Not(n) if m == _EXC else n for m, n in run)))
    if lifted:
        positive = (Any_(tuple(alternatives)),) if len(alternatives) > 1 else tuple(alternatives)
        return _Lifted(positive, tuple(lifted))
    if not alternatives:
        return None
    return alternatives[0] if len(alternatives) == 1 else Any_(tuple(alternatives))


def _word(text: str, field: str | None) -> Word | Phrase | None:
    prefix = text.endswith("*")
    text = text.rstrip("*")
    if not text:
        return Word("", field, prefix=True) if prefix else None  # a bare "*": everything
    if prefix:
        return Word(text, field, prefix=True)
    return Word(text, field)
