"""Gift-card codes: Voucherify code configs, the readable default with a check character, and masking.

A code config follows Voucherify: ``length`` random characters from ``charset`` between ``prefix`` and
``postfix``, or a ``pattern`` in which every ``#`` is one random character. Randomness comes from ``secrets``.

The default for new campaigns is made to be read aloud and typed at a till: the 31-character alphabet
:data:`READABLE_ALPHABET` (no 0/O, 1/I/L), four groups of four after ``GC-``, the last character a check
character. With 15 random characters that is 15·log2(31) ≈ 74 bits: codes are bearer money.

The check character makes the weighted sum Σ i·v(cᵢ) over the 16 characters ≡ 0 (mod 31). Because 31 is prime
and every weight is below 31, every single wrong character and every swap of two characters changes the sum, so a
misread or mistyped code is caught before any lookup.
"""

from __future__ import annotations

import math
import operator
import re
import secrets
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pos_app.domain.errors import InvalidCode, InvalidCodeConfig

READABLE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_VALUE = {ch: i for i, ch in enumerate(READABLE_ALPHABET)}
_MOD = len(READABLE_ALPHABET)  # 31, a prime
DEFAULT_PREFIX = "GC-"
DEFAULT_PATTERN = "GC-####-####-####-###"  # + the check character
_READABLE_RE = re.compile(rf"^GC-([{READABLE_ALPHABET}]{{4}}-){{3}}[{READABLE_ALPHABET}]{{4}}$")
MAX_CODE_LENGTH = 100
MIN_RANDOM_BITS = 32  # below this a campaign's codes are guessable; refused


@dataclass(frozen=True, slots=True)
class CodeConfig:
    """Voucherify's ``code_config``; ``check_character`` (ours) appends the mod-31 check character."""

    length: int | None = None
    charset: str = READABLE_ALPHABET
    prefix: str = ""
    postfix: str = ""
    pattern: str | None = None
    check_character: bool = False

    @classmethod
    def readable_default(cls) -> CodeConfig:
        return cls(pattern=DEFAULT_PATTERN, charset=READABLE_ALPHABET, check_character=True)

    @classmethod
    def from_options(cls, *, pattern: str | None = None, charset: str | None = None, prefix: str = "",
                     postfix: str = "", length: int | None = None) -> CodeConfig:
        """The config a manager asks for (``campaign create --pattern …``, the window's "Own code format"):
        nothing given is the readable default; else a pattern wins over a length, and the charset defaults to
        the readable alphabet (without the check character, which only the default pattern carries)."""
        if pattern is None and length is None and charset is None and not prefix and not postfix:
            return cls.readable_default()
        return cls(pattern=pattern, length=length if pattern is None else None,
                   charset=charset or READABLE_ALPHABET, prefix=prefix, postfix=postfix)

    def validate(self) -> CodeConfig:
        if not self.charset or len(set(self.charset)) != len(self.charset):
            raise InvalidCodeConfig("the charset must be non-empty and list each character once")
        if any(not ch.isprintable() or ch.isspace() or ch == "#" for ch in self.charset):
            raise InvalidCodeConfig("the charset may not contain spaces, control characters or '#'")
        if self.pattern is None and not self.length:
            raise InvalidCodeConfig("give a length or a pattern")
        if self.length is not None and not 1 <= self.length <= MAX_CODE_LENGTH:
            raise InvalidCodeConfig(f"length must be between 1 and {MAX_CODE_LENGTH}")
        if self.pattern is not None and "#" not in self.pattern:
            raise InvalidCodeConfig("the pattern needs at least one '#'")
        if self.check_character and set(self.charset) - set(READABLE_ALPHABET):
            raise InvalidCodeConfig("a check character needs the readable alphabet as charset")
        if any(not ch.isprintable() or ch.isspace() for ch in self.prefix + self.postfix + (self.pattern or "")):
            raise InvalidCodeConfig("prefix, postfix and pattern may not contain spaces or control characters")
        if len(self.example()) > MAX_CODE_LENGTH:
            raise InvalidCodeConfig(f"codes may be at most {MAX_CODE_LENGTH} characters long")
        return self

    @property
    def random_positions(self) -> int:
        return self.pattern.count("#") if self.pattern is not None else int(self.length or 0)

    @property
    def space(self) -> int:
        """How many distinct codes this config can make."""
        return int(len(self.charset) ** self.random_positions)

    @property
    def bits(self) -> float:
        return self.random_positions * math.log2(len(self.charset))

    @property
    def fixed_tail(self) -> str:
        """What every code of this config ends with: the postfix, after the pattern's characters past its last
        ``#`` (unless a check character comes between). A mask shows what comes before it."""
        if self.pattern is None or self.check_character:
            return self.postfix
        return self.pattern[self.pattern.rindex("#") + 1 :] + self.postfix

    def example(self) -> str:
        body = self.pattern.replace("#", self.charset[0]) if self.pattern else self.charset[0] * int(self.length or 0)
        return f"{self.prefix}{body}{'X' if self.check_character else ''}{self.postfix}"

    def check_capacity(self, count: int, *, existing: int = 0) -> None:
        """Refuse a campaign that would exhaust (or nearly exhaust) the code space, or be guessable."""
        if self.bits < MIN_RANDOM_BITS:
            raise InvalidCodeConfig(
                f"codes with {self.bits:.0f} random bits can be guessed; use at least {MIN_RANDOM_BITS}"
            )
        if (count + existing) * 2 > self.space:
            raise InvalidCodeConfig(f"this code config can make only {self.space} codes; {count} asked")


_INVERSE = [0] + [pow(w, -1, _MOD) for w in range(1, _MOD)]  # weight⁻¹ mod 31


def check_character(payload: str) -> str:
    """The character that completes ``payload`` (readable alphabet) so that the weighted sum is 0 mod 31."""
    total = sum(map(operator.mul, range(1, len(payload) + 1), map(_VALUE.__getitem__, payload)))
    # v·weight ≡ -total (mod 31)  →  v = -total · weight⁻¹, with weight = len(payload) + 1 < 31
    return READABLE_ALPHABET[(-total * _INVERSE[len(payload) + 1]) % _MOD]


def _checksum_ok(chars: str) -> bool:
    return sum(i * _VALUE[ch] for i, ch in enumerate(chars, start=1)) % _MOD == 0


def looks_readable(code: str) -> bool:
    """True when ``code`` is in the readable default format (``GC-XXXX-XXXX-XXXX-XXXX``)."""
    return _READABLE_RE.match(code) is not None


def normalise_readable(text: str) -> str | None:
    """Bring a typed readable code to its canonical form, or None when it is not one.

    Case, spaces and missing or extra hyphens are forgiven (people type ``gc 7xzp…``); nothing else is.
    """
    compact = re.sub(r"[\s\-]", "", text)
    if not compact.isascii():  # "\u017f".upper() == "S": case is forgiven, look-alike letters are not
        return None
    compact = compact.upper()
    if not compact.startswith("GC") or len(compact) != 18:
        return None
    body = compact[2:]
    if any(ch not in _VALUE for ch in body):
        return None
    return "GC-" + "-".join(body[i : i + 4] for i in range(0, 16, 4))


def verify_readable(code: str) -> str:
    """Return the canonical readable code, or raise ``invalid_code`` naming what is wrong with it."""
    canonical = normalise_readable(code)
    if canonical is None:
        raise InvalidCode(f"{mask(code)} is not in the GC-XXXX-XXXX-XXXX-XXXX format")
    if not _checksum_ok(canonical[3:].replace("-", "")):
        raise InvalidCode(f"{mask(canonical)} has a wrong check character: a character was misread or mistyped")
    return canonical


def random_chars(charset: str, n: int, random_bytes: Callable[[int], bytes] = secrets.token_bytes) -> str:
    """``n`` characters drawn uniformly and independently from ``charset``.

    ASCII charsets take the fast path: random bytes from ``random_bytes`` (``secrets`` by default) are mapped to
    characters with ``bytes.translate`` in C; bytes at or above the largest multiple of ``len(charset)`` are
    rejected (deleted) so that every character stays equally likely.
    """
    base = len(charset)
    if not charset.isascii() or base > 256:
        return "".join(charset[secrets.randbelow(base)] for _ in range(n))
    limit = 256 - 256 % base
    table = bytes(ord(charset[b % base]) if b < limit else 0 for b in range(256))
    reject = bytes(range(limit, 256))
    out = b""
    while len(out) < n:
        want = n - len(out)
        out += random_bytes(want + want // 4 + 16).translate(table, reject)
    return out[:n].decode("ascii")


def _template(config: CodeConfig) -> Callable[..., str]:
    """``str.format`` of the whole code: one ``{}`` per random character, one more for the check character."""

    def literal(text: str) -> str:
        return text.replace("{", "{{").replace("}", "}}")

    body = "{}" * config.random_positions if config.pattern is None else \
        "".join("{}" if ch == "#" else literal(ch) for ch in config.pattern)
    check = "{}" if config.check_character else ""
    return f"{literal(config.prefix)}{body}{check}{literal(config.postfix)}".format


def _assemble(config: CodeConfig, chars: str) -> str:
    extra = (check_character(chars),) if config.check_character else ()
    return _template(config)(*chars, *extra)


def generate_code(config: CodeConfig, random_bytes: Callable[[int], bytes] = secrets.token_bytes) -> str:
    """One random code for ``config`` (not checked for uniqueness: see :func:`unique_codes`)."""
    return _assemble(config, random_chars(config.charset, config.random_positions, random_bytes))


def generate_codes(
    config: CodeConfig, n: int, random_bytes: Callable[[int], bytes] = secrets.token_bytes
) -> list[str]:
    """``n`` random codes in one go (the bulk path of campaign generation)."""
    k = config.random_positions
    chars = random_chars(config.charset, n * k, random_bytes)
    template = _template(config)
    chunks = [chars[i : i + k] for i in range(0, n * k, k)]
    if config.check_character:
        return [template(*chunk, check_character(chunk)) for chunk in chunks]
    return [template(*chunk) for chunk in chunks]


def fresh_codes(
    config: CodeConfig, n: int, seen: set[str], random_bytes: Callable[[int], bytes] = secrets.token_bytes
) -> list[str]:
    """``n`` new codes not in ``seen`` nor repeated among themselves; they are added to ``seen``."""
    batch: list[str] = []
    for _ in range(50):
        for code in generate_codes(config, n - len(batch), random_bytes):
            if code not in seen:
                seen.add(code)
                batch.append(code)
        if len(batch) == n:
            return batch
    raise InvalidCodeConfig("too many collisions: the code space is nearly exhausted")


def unique_codes(
    config: CodeConfig,
    count: int,
    *,
    taken: Callable[[list[str]], set[str]],
    batch_size: int = 10_000,
    random_bytes: Callable[[int], bytes] = secrets.token_bytes,
) -> Iterator[list[str]]:
    """Yield batches of new codes, unique among themselves and against ``taken`` (the store's codes).

    ``taken(batch)`` returns which codes of a batch already exist. Memory grows with the campaign (a set of
    its codes), time linearly: a collision is replaced by a fresh draw, never rescanned.
    """
    config.validate().check_capacity(count)
    seen: set[str] = set()
    made = 0
    while made < count:
        batch = fresh_codes(config, min(batch_size, count - made), seen, random_bytes)
        clashes = taken(batch)
        if clashes:
            batch = [c for c in batch if c not in clashes]
        made += len(batch)
        yield batch


def fixed_tail(code_config: Mapping[str, Any]) -> str:
    """:attr:`CodeConfig.fixed_tail` of a campaign's stored ``code_config`` ("" for one that has none)."""
    pattern, postfix = code_config.get("pattern"), str(code_config.get("postfix") or "")
    if not isinstance(pattern, str) or "#" not in pattern or code_config.get("check_character"):
        return postfix
    return pattern[pattern.rindex("#") + 1 :] + postfix


def mask(code: str, visible: int = 4, *, tail: str = "") -> str:
    """``•••• 7XZP``: what screens, receipts and logs show of a code (managers see it whole).

    ``tail``: what every code of the card's campaign ends with (:func:`fixed_tail`, a ``--postfix -2026``):
    the mask shows the last characters before it, which tell one card from another, not ``•••• 2026`` for all."""
    if tail and code.endswith(tail) and len(code) > len(tail):
        code = code[: -len(tail)]
    shown = code[-visible:] if len(code) > visible else code[-1:]
    return f"•••• {shown}"
