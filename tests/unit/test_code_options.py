"""CodeConfig.from_options: the one reading of a manager's code options, for ``campaign create`` on both command
lines and for the window's "Own code format"."""

from __future__ import annotations

import pytest

from pos_app.domain.codes import READABLE_ALPHABET, CodeConfig
from pos_app.domain.errors import InvalidCodeConfig


def test_no_option_is_the_readable_default_with_its_check_character() -> None:
    assert CodeConfig.from_options() == CodeConfig.readable_default()


def test_a_pattern_wins_over_a_length_and_the_charset_defaults_to_the_readable_one() -> None:
    config = CodeConfig.from_options(pattern="PX-########", length=12, prefix="A", postfix="-26")
    assert (config.pattern, config.length, config.charset) == ("PX-########", None, READABLE_ALPHABET)
    assert (config.prefix, config.postfix, config.check_character) == ("A", "-26", False)


def test_a_length_alone_makes_random_codes_of_that_length() -> None:
    config = CodeConfig.from_options(length=16, charset="ABCDEFGHJKMNPQRS")
    assert (config.pattern, config.length, config.charset) == (None, 16, "ABCDEFGHJKMNPQRS")
    assert len(config.validate().example()) == 16


def test_what_cannot_make_codes_is_refused_by_the_domain() -> None:
    with pytest.raises(InvalidCodeConfig):
        CodeConfig.from_options(pattern="NO-HASHES").validate()
    with pytest.raises(InvalidCodeConfig):
        CodeConfig.from_options(pattern="AB-##").validate().check_capacity(1)  # guessable
