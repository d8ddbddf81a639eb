"""A read counts when it is read twice in a row, and a card held in view is one scan (scanning/confirm.py)."""

from __future__ import annotations

import pytest

from pos_app.scanning.confirm import Confirmer

A, B = "GC-AAAA-AAAA-AAAA-AAAA", "GC-BBBB-BBBB-BBBB-BBBB"


class Clock:
    """Moves only when the test moves it."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def feed(confirmer: Confirmer, clock: Clock, frames: list[list[str]], step: float = 0.1) -> list[str]:
    """Every frame's texts, one decoded frame every ``step`` seconds; all confirmations in order."""
    out: list[str] = []
    for texts in frames:
        out += confirmer.feed(texts)
        clock.now += step
    return out


def test_a_single_read_does_not_count(clock: Clock) -> None:
    assert feed(Confirmer(clock=clock), clock, [[A], [], [A], [], [B]]) == []


def test_two_reads_in_a_row_count_on_the_second(clock: Clock) -> None:
    confirmer = Confirmer(clock=clock)
    assert confirmer.feed([A]) == []
    assert confirmer.feed([A]) == [A]


def test_an_empty_frame_in_between_breaks_the_pair(clock: Clock) -> None:
    assert feed(Confirmer(clock=clock), clock, [[A], [], [A]]) == []


def test_a_misread_in_between_breaks_the_pair(clock: Clock) -> None:
    assert feed(Confirmer(clock=clock), clock, [[A], ["GC-AAAA-AAAA-AAAA-AAAB"], [A]]) == []


def test_a_card_held_in_view_is_one_scan(clock: Clock) -> None:
    assert feed(Confirmer(clock=clock), clock, [[A]] * 300) == [A]  # 30 s at 10 decoded frames a second


def test_a_moment_out_of_view_is_not_a_new_scan(clock: Clock) -> None:
    frames = [[A]] * 5 + [[]] * 5 + [[A]] * 5  # half a second without a read (blur, a tilt), cool-down 2 s
    assert feed(Confirmer(cooldown=2.0, clock=clock), clock, frames) == [A]


def test_the_same_card_again_after_the_cooldown_is_a_new_scan(clock: Clock) -> None:
    frames = [[A]] * 5 + [[]] * 25 + [[A]] * 5  # 2.5 s out of view
    assert feed(Confirmer(cooldown=2.0, clock=clock), clock, frames) == [A, A]


def test_the_cooldown_counts_from_when_the_card_left_not_when_it_was_confirmed(clock: Clock) -> None:
    frames = [[A]] * 50 + [[]] * 10 + [[A]] * 5  # held 5 s, away 1 s: still the same presentation
    assert feed(Confirmer(cooldown=2.0, clock=clock), clock, frames) == [A]


def test_the_cooldown_is_configurable(clock: Clock) -> None:
    frames = [[A]] * 5 + [[]] * 6 + [[A]] * 5  # 0.6 s away
    assert feed(Confirmer(cooldown=0.5, clock=clock), clock, frames) == [A, A]
    clock.now = 0.0
    assert feed(Confirmer(cooldown=5.0, clock=clock), clock, frames) == [A]


def test_two_different_cards_are_two_scans(clock: Clock) -> None:
    assert feed(Confirmer(clock=clock), clock, [[A]] * 5 + [[B]] * 5) == [A, B]


def test_a_card_scanned_again_after_another_counts_without_waiting(clock: Clock) -> None:
    frames = [[A]] * 3 + [[B]] * 3 + [[A]] * 3  # A, B, A within a second: the cashier means it
    assert feed(Confirmer(cooldown=2.0, clock=clock), clock, frames) == [A, B, A]


def test_two_texts_in_view_together_do_not_take_turns(clock: Clock) -> None:
    """A card whose QR and barcode differ (a URL and the bare code) is in view: each counts once."""
    assert feed(Confirmer(clock=clock), clock, [[A, B]] * 50) == [A, B]


def test_a_second_card_joining_the_first_does_not_release_it(clock: Clock) -> None:
    frames = [[A]] * 5 + [[A, B]] * 5 + [[A]] * 5
    assert feed(Confirmer(clock=clock), clock, frames) == [A, B]


def test_the_same_text_twice_in_one_frame_is_one_read(clock: Clock) -> None:
    assert feed(Confirmer(clock=clock), clock, [[A, A], [A, A, A]]) == [A]


def test_a_zero_cooldown_holds_only_while_in_view(clock: Clock) -> None:
    frames = [[A]] * 5 + [[]] + [[A]] * 5
    assert feed(Confirmer(cooldown=0.0, clock=clock), clock, frames) == [A, A]


def test_reset_forgets_the_held_card(clock: Clock) -> None:
    confirmer = Confirmer(clock=clock)
    assert feed(confirmer, clock, [[A]] * 3) == [A]
    assert confirmer.held == {A}
    confirmer.reset()
    assert confirmer.held == frozenset()
    assert feed(confirmer, clock, [[A]] * 3) == [A]


def test_a_negative_cooldown_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        Confirmer(cooldown=-1)
