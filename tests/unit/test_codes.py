"""Codes: Voucherify code configs, the readable default with its check character, uniqueness, masking."""

from __future__ import annotations

import random
import re
import string
from collections import Counter

import pytest

from pos_app.domain.codes import (
    READABLE_ALPHABET,
    CodeConfig,
    check_character,
    fixed_tail,
    generate_code,
    generate_codes,
    looks_readable,
    mask,
    normalise_readable,
    random_chars,
    unique_codes,
    verify_readable,
)
from pos_app.domain.errors import GiftCardError, InvalidCode
from pos_app.services.campaigns import code_config_dict

READABLE = re.compile(r"^GC-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}(-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}){3}$")


def seeded(seed: int = 7):  # type: ignore[no-untyped-def]
    return random.Random(seed).randbytes


def key_of(call, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(GiftCardError) as caught:
        result = call(*args, **kwargs)
        if hasattr(result, "__next__"):
            next(result)
    return caught.value.key


# ---- code configs -------------------------------------------------------------------------------------------

def test_length_config_puts_random_characters_between_prefix_and_postfix() -> None:
    config = CodeConfig(length=12, charset="ABCDEF0123", prefix="SUMMER-", postfix="-25").validate()
    codes = generate_codes(config, 200, seeded())
    assert all(re.fullmatch(r"SUMMER-[ABCDEF0123]{12}-25", c) for c in codes), codes[:3]


def test_pattern_config_fills_every_hash_and_keeps_the_rest() -> None:
    config = CodeConfig(pattern="XMAS-###-###", charset="0123456789", prefix="P", postfix="Q").validate()
    codes = generate_codes(config, 200, seeded())
    assert all(re.fullmatch(r"PXMAS-\d{3}-\d{3}Q", c) for c in codes), codes[:3]
    assert generate_code(config, seeded()) == codes[0]  # the one-at-a-time path makes the same codes


@pytest.mark.parametrize(("prefix", "postfix"), [("}", ""), ("", "{"), ("{", "}"), ("{0}", "{1}"), ("a{b", "")])
def test_braces_in_prefix_or_postfix_are_kept_literally(prefix: str, postfix: str) -> None:
    config = CodeConfig(pattern="####-####", charset="ABCDEFGH", prefix=prefix, postfix=postfix).validate()
    for code in generate_codes(config, 20, seeded()):
        assert code.startswith(prefix) and code.endswith(postfix)
        assert re.fullmatch(r"[A-H]{4}-[A-H]{4}", code[len(prefix) : len(code) - len(postfix)])


def test_every_character_of_the_charset_can_appear_and_nothing_else() -> None:
    config = CodeConfig(length=20, charset="XYZ").validate()
    seen = set("".join(generate_codes(config, 100, seeded())))
    assert seen == set("XYZ")


@pytest.mark.parametrize(
    "config",
    [
        CodeConfig(length=8, charset=""),
        CodeConfig(length=8, charset="AAB"),
        CodeConfig(length=8, charset="AB C"),
        CodeConfig(length=8, charset="AB#"),
        CodeConfig(length=8, charset="AB\x00"),
        CodeConfig(),
        CodeConfig(length=0),
        CodeConfig(length=101),
        CodeConfig(pattern="ABC-DEF"),
        CodeConfig(pattern="####", charset="ABC0", check_character=True),
        CodeConfig(pattern="#### ####"),
        CodeConfig(length=8, prefix="A\nB"),
        CodeConfig(length=60, prefix="P" * 41),
    ],
)
def test_invalid_configs_are_refused(config: CodeConfig) -> None:
    assert key_of(config.validate) == "invalid_code_config"


# ---- the readable default -----------------------------------------------------------------------------------

def test_the_readable_alphabet_has_no_look_alikes() -> None:
    assert not set("0O1IL") & set(READABLE_ALPHABET)
    assert len(set(READABLE_ALPHABET)) == len(READABLE_ALPHABET) == 31


def test_readable_default_codes_are_grouped_have_enough_randomness_and_verify() -> None:
    config = CodeConfig.readable_default().validate()
    assert config.bits >= 60
    codes = generate_codes(config, 500, seeded())
    assert len(set(codes)) == 500
    for code in codes:
        assert READABLE.match(code), code
        assert looks_readable(code)
        assert verify_readable(code) == code
    assert generate_code(config, seeded(3)) == generate_codes(config, 1, seeded(3))[0]


def test_the_check_character_completes_a_payload() -> None:
    payload = "ABCDEFGHJKMNPQR"
    code = f"GC-{payload[:4]}-{payload[4:8]}-{payload[8:12]}-{payload[12:]}{check_character(payload)}"
    assert verify_readable(code) == code


@pytest.mark.parametrize(
    "typed",
    [
        "{code}", "{lower}", "  {code}  ", "{compact}", "{lower_compact}", "GC {spaced}", "{extra_hyphens}",
        "\t{code}\n",
    ],
)
def test_normalise_readable_forgives_case_spaces_and_hyphens(typed: str) -> None:
    code = generate_code(CodeConfig.readable_default(), seeded())
    compact = code.replace("-", "")
    text = typed.format(
        code=code, lower=code.lower(), compact=compact, lower_compact=compact.lower(),
        spaced=" ".join(compact[2:][i : i + 4] for i in range(0, 16, 4)), extra_hyphens="-".join(compact),
    )
    assert normalise_readable(text) == code
    assert verify_readable(text) == code


@pytest.mark.parametrize(
    "text",
    [
        "", "GC", "GC-ABCD-EFGH-JKMN-PQR", "GC-ABCD-EFGH-JKMN-PQRST", "XX-ABCD-EFGH-JKMN-PQRS",
        "GC-ABCD-EFGH-JKMN-PQR0", "GC-ABCD-EFGH-JKMN-PQRO", "GC-ABCD-EFGH-JKMN-PQR1", "GC_ABCD_EFGH_JKMN_PQRS",
        "GC-ABCD-EFGH-JKMN-PQR\u017f",  # long s: its upper case is S, but it is not a letter of a code
        "ＧＣ-ABCD-EFGH-JKMN-PQRS",  # full-width
    ],
)
def test_normalise_readable_forgives_nothing_else(text: str) -> None:
    assert normalise_readable(text) is None
    with pytest.raises(InvalidCode):
        verify_readable(text)


def test_a_mistyped_character_is_named_as_mistyped() -> None:
    code = generate_code(CodeConfig.readable_default(), seeded())
    wrong = READABLE_ALPHABET[(READABLE_ALPHABET.index(code[5]) + 1) % 31]
    typo = code[:5] + wrong + code[6:]
    with pytest.raises(InvalidCode) as caught:
        verify_readable(typo)
    assert "check character" in caught.value.details
    assert code[5:] not in caught.value.details  # the message masks the code


# ---- uniqueness ---------------------------------------------------------------------------------------------

def nothing_taken(batch: list[str]) -> set[str]:
    return set()


def test_unique_codes_yields_exactly_the_number_asked_for_all_different() -> None:
    batches = list(unique_codes(CodeConfig.readable_default(), 2_345, taken=nothing_taken, batch_size=1000))
    codes = [c for b in batches for c in b]
    assert [len(b) for b in batches] == [1000, 1000, 345]
    assert len(codes) == len(set(codes)) == 2_345


def test_unique_codes_skips_codes_the_store_already_has() -> None:
    config = CodeConfig(length=8, charset="ABCDEFGHJKMNPQRS").validate()  # 32 bits
    existing = set(generate_codes(config, 300, seeded(42)))
    asked: list[str] = []

    def taken(batch: list[str]) -> set[str]:
        asked.extend(batch)
        return {c for c in batch if c in existing}

    # The same seed makes the very codes the store has: every one of them must be replaced by a new one.
    codes = [c for b in unique_codes(config, 500, taken=taken, batch_size=300, random_bytes=seeded(42)) for c in b]
    assert existing <= set(asked)
    assert len(codes) == len(set(codes)) == 500
    assert not existing & set(codes)


def test_a_source_that_repeats_itself_is_refused_rather_than_looping_forever() -> None:
    config = CodeConfig(length=10, charset=READABLE_ALPHABET).validate()
    assert key_of(unique_codes, config, 10, taken=nothing_taken, random_bytes=bytes) \
        == "invalid_code_config"


def test_a_campaign_larger_than_half_the_code_space_is_refused() -> None:
    config = CodeConfig(length=8, charset="0123456789ABCDEF")  # 2**32 codes
    assert key_of(unique_codes, config, 2**31 + 1, taken=nothing_taken) == "invalid_code_config"
    config.check_capacity(2**31)  # exactly half is still allowed


def test_a_guessable_config_is_refused_however_small_the_campaign() -> None:
    config = CodeConfig(length=6, charset="0123456789")  # about 20 bits
    assert key_of(unique_codes, config, 10, taken=nothing_taken) == "invalid_code_config"
    assert key_of(config.check_capacity, 1) == "invalid_code_config"


# ---- randomness ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("charset", [READABLE_ALPHABET, string.ascii_uppercase, string.ascii_uppercase + string.digits])
def test_random_chars_are_uniform(charset: str) -> None:
    # Chi-square goodness of fit on a fixed-seed source. 256 is not a multiple of these charset sizes, so a
    # plain ``byte % len(charset)`` would favour some characters by ~10 % and fail here (chi-square ~400-950).
    per_char = 10_000
    counts = Counter(random_chars(charset, per_char * len(charset), seeded(2025)))
    assert set(counts) == set(charset)
    chi2 = sum((counts[ch] - per_char) ** 2 / per_char for ch in charset)
    dof = len(charset) - 1
    critical = dof + 4 * (2 * dof) ** 0.5  # about the 0.01 % tail for these degrees of freedom
    assert chi2 < critical, (chi2, critical)


def test_random_chars_gives_exactly_n_characters_of_the_charset() -> None:
    assert random_chars("AB", 0, seeded()) == ""
    for n in (1, 7, 1000):
        out = random_chars("AB", n, seeded())
        assert len(out) == n and set(out) <= {"A", "B"}


def test_random_chars_handles_a_non_ascii_charset() -> None:
    out = random_chars("ÄÖÜ", 300)
    assert len(out) == 300 and set(out) == set("ÄÖÜ")


# ---- masking ------------------------------------------------------------------------------------------------

def test_mask_shows_only_the_last_four_characters() -> None:
    assert mask("GC-7ABC-DEFG-HJKM-7XZP") == "•••• 7XZP"
    assert "DEFG" not in mask("GC-7ABC-DEFG-HJKM-7XZP")


def test_mask_of_a_short_code_shows_at_most_its_last_character() -> None:
    assert mask("ABCD") == "•••• D"
    assert mask("AB") == "•••• B"


@pytest.mark.parametrize("config", [
    CodeConfig(length=8, postfix="-2026"),
    CodeConfig(length=8, prefix="SHOP-2026-"),
    CodeConfig(length=6, prefix="X-", postfix="/EU-2026"),
    CodeConfig(pattern="####-####-XMAS"),
    CodeConfig(pattern="GC-####-####-2026", postfix="-B"),
    CodeConfig.readable_default(),
], ids=lambda c: c.example())
def test_a_mask_shows_the_part_of_the_code_that_differs_between_cards(config: CodeConfig) -> None:
    """Issue 13: a ``--postfix -2026`` campaign showed every card as ``•••• 2026``."""
    codes = [generate_code(config) for _ in range(200)]
    tail = fixed_tail(code_config_dict(config))
    assert tail == config.fixed_tail and all(code.endswith(tail) for code in codes)

    masks = [mask(code, tail=tail) for code in codes]

    assert len(set(masks)) > 190  # 4 random characters of 31: hardly ever two alike
    for code, masked in zip(codes, masks, strict=True):
        shown = masked.removeprefix("•••• ")
        assert len(shown) == 4 and code.removesuffix(tail).endswith(shown)


def test_the_fixed_tail_of_a_stored_code_config() -> None:
    assert fixed_tail({"length": 8, "postfix": "-2026"}) == "-2026"
    assert fixed_tail({"pattern": "AB-####-CD", "postfix": "!"}) == "-CD!"
    assert fixed_tail({"pattern": "GC-####-####-####-###", "check_character": True}) == ""
    assert fixed_tail({}) == "" and mask("ABCD-2026", tail="ABCD-2026") == "•••• 2026"  # never nothing
