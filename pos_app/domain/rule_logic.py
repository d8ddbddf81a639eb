"""The ``logic`` of a validation rule: numbered conditions combined with ``and``, ``or`` and parentheses, as
Voucherify writes it (``"1 and 2"``, ``"1 or (2 and 3)"``). ``and`` binds tighter than ``or``.

:func:`parse_logic` turns the text into a tree of :data:`Node` (or raises ``invalid_payload``);
:func:`evaluate` works it out given the truth of each numbered condition.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pos_app.domain import errors

MAX_LOGIC = 500
_TOKEN = re.compile(r"\s*(?:(\d+)|(and|or)\b|([()]))", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Ref:
    """One numbered condition."""

    number: str


@dataclass(frozen=True, slots=True)
class Both:
    """Every part holds (``and``)."""

    parts: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Either:
    """At least one part holds (``or``)."""

    parts: tuple[Node, ...]


Node = Ref | Both | Either


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    at = 0
    while at < len(text):
        if text[at:].strip() == "":
            break
        found = _TOKEN.match(text, at)
        if found is None:
            raise errors.InvalidPayload(f"the rule's logic cannot be read at {text[at:at + 20]!r}")
        tokens.append((found.group(1) or found.group(2) or found.group(3)).lower())
        at = found.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens, self.at = tokens, 0

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise errors.InvalidPayload("the rule's logic ends too early")
        self.at += 1
        return token

    def either(self) -> Node:
        parts = [self.both()]
        while self.peek() == "or":
            self.take()
            parts.append(self.both())
        return parts[0] if len(parts) == 1 else Either(tuple(parts))

    def both(self) -> Node:
        parts = [self.atom()]
        while self.peek() == "and":
            self.take()
            parts.append(self.atom())
        return parts[0] if len(parts) == 1 else Both(tuple(parts))

    def atom(self) -> Node:
        token = self.take()
        if token == "(":
            inner = self.either()
            if self.take() != ")":
                raise errors.InvalidPayload("the rule's logic misses a closing parenthesis")
            return inner
        if token.isdigit():
            return Ref(str(int(token)))
        raise errors.InvalidPayload(f"the rule's logic has {token!r} where a rule number belongs")


def parse_logic(text: str, numbers: set[str]) -> Node:
    """The tree of ``text``; every number in it must be one of ``numbers`` (the rule's conditions). An empty text
    means all conditions must hold."""
    if len(text) > MAX_LOGIC:
        raise errors.InvalidPayload(f"a rule's logic has at most {MAX_LOGIC} characters")
    tokens = _tokens(text)
    if not tokens:
        ordered = sorted(numbers, key=int)
        return Ref(ordered[0]) if len(ordered) == 1 else Both(tuple(Ref(n) for n in ordered))
    parser = _Parser(tokens)
    tree = parser.either()
    if parser.peek() is not None:
        raise errors.InvalidPayload(f"the rule's logic has {parser.peek()!r} too many")
    missing = sorted(refs(tree) - numbers, key=int)
    if missing:
        raise errors.InvalidPayload(f"the rule's logic names rule {missing[0]}, which it does not define")
    return tree


def refs(node: Node) -> set[str]:
    """The numbers ``node`` names."""
    if isinstance(node, Ref):
        return {node.number}
    return set().union(*(refs(part) for part in node.parts))


def evaluate(node: Node, holds: Callable[[str], bool]) -> bool:
    """Whether ``node`` holds, given whether each numbered condition does."""
    if isinstance(node, Ref):
        return holds(node.number)
    if isinstance(node, Both):
        return all(evaluate(part, holds) for part in node.parts)
    return any(evaluate(part, holds) for part in node.parts)


def render(node: Node, text: Callable[[str], str], *, words: tuple[str, str] = ("and", "or")) -> str:
    """``node`` written out with each number replaced by ``text(number)`` (a screen's line)."""
    if isinstance(node, Ref):
        return text(node.number)
    word = words[0] if isinstance(node, Both) else words[1]
    inner = [render(p, text, words=words) if isinstance(p, Ref) or type(p) is type(node)
             else f"({render(p, text, words=words)})" for p in node.parts]
    return f" {word} ".join(inner)
