"""What a QWERTY-programmed USB scanner types on a till whose keyboard layout is not US QWERTY.

A USB scanner is a keyboard: it does not send characters but key positions (HID usages) plus Shift, chosen from
the US layout. The operating system turns each position into a character through *its* layout, so a till set to
AZERTY or QWERTZ receives garbled text (``GC-2345`` arrives as ``GC)é"'(`` on French AZERTY). Each layout here is
written as the characters its keys give, in the order of the US keys, unshifted and shifted, so the garbling map
and its inverse are built, not typed by hand character by character.

Dead keys (``^``, ``¨``, ``´``, `````) are written as the accent itself: what a dead key followed by a
non-combining character gives on most systems. Keys with no character (``~`` shifted on French AZERTY) are
``\\0``: nothing a scanner types through them can be recovered. Only printable ASCII matters: that is all a
scanner's US table can send.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

# The US keys row by row (number row, top, home, bottom), then the space bar: unshifted and shifted.
_US_PLAIN = "`1234567890-=" "qwertyuiop[]\\" "asdfghjkl;'" "zxcvbnm,./" " "
_US_SHIFT = "~!@#$%^&*()_+" "QWERTYUIOP{}|" 'ASDFGHJKL:"' "ZXCVBNM<>?" " "


@dataclass(frozen=True)
class KeyboardLayout:
    """A till's keyboard layout: ``name`` is what the till tells the cashier (``"AZERTY (French)"``)."""

    name: str
    plain: str
    shift: str
    garble_map: MappingProxyType[str, str] = field(init=False, repr=False, compare=False)
    ungarble_map: MappingProxyType[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.plain) != len(_US_PLAIN) or len(self.shift) != len(_US_SHIFT):
            raise ValueError(f"{self.name}: one character per US key is needed")
        garble = {us: out for us, out in zip(_US_PLAIN + _US_SHIFT, self.plain + self.shift, strict=True)
                  if out != "\0"}
        ungarble: dict[str, str] = {}
        for us, out in garble.items():
            if out in ungarble:
                raise ValueError(f"{self.name}: {out!r} is typed by two keys")
            ungarble[out] = us
        object.__setattr__(self, "garble_map", MappingProxyType(garble))
        object.__setattr__(self, "ungarble_map", MappingProxyType(ungarble))

    @property
    def family(self) -> str:
        """``"AZERTY"`` for ``"AZERTY (French)"``: what the cashier sees written on the keys."""
        return self.name.split(" (", 1)[0]

    @property
    def variant(self) -> str:
        return self.name.partition(" (")[2].rstrip(")")

    def garble(self, text: str) -> str | None:
        """What arrives when a QWERTY scanner types ``text`` on this layout; None if a key gives nothing."""
        out = [self.garble_map.get(ch) for ch in text]
        return None if None in out else "".join(ch for ch in out if ch is not None)

    def ungarble(self, text: str) -> str | None:
        """What the scanner meant to type, or None when ``text`` holds a character no US key gives here."""
        out = [self.ungarble_map.get(ch) for ch in text]
        return None if None in out else "".join(ch for ch in out if ch is not None)


FRENCH = KeyboardLayout(
    "AZERTY (French)",
    plain="²&é\"'(-è_çà)=" "azertyuiop^$*" "qsdfghjklmù" "wxcvbn,;:!" " ",
    shift="\0" "1234567890°+" "AZERTYUIOP¨£µ" "QSDFGHJKLM%" "WXCVBN?./§" " ",
)
BELGIAN = KeyboardLayout(
    "AZERTY (Belgian)",
    plain="²&é\"'(§è!çà)-" "azertyuiop^$µ" "qsdfghjklmù" "wxcvbn,;:=" " ",
    shift="³1234567890°_" "AZERTYUIOP¨*£" "QSDFGHJKLM%" "WXCVBN?./+" " ",
)
GERMAN = KeyboardLayout(
    "QWERTZ (German)",
    plain="^1234567890ß´" "qwertzuiopü+#" "asdfghjklöä" "yxcvbnm,.-" " ",
    shift="°!\"§$%&/()=?`" "QWERTZUIOPÜ*'" "ASDFGHJKLÖÄ" "YXCVBNM;:_" " ",
)
SWISS = KeyboardLayout(
    "QWERTZ (Swiss)",
    plain="§1234567890'^" "qwertzuiopü¨$" "asdfghjklöä" "yxcvbnm,.-" " ",
    shift="°+\"*ç%&/()=?`" "QWERTZUIOPè!£" "ASDFGHJKLéà" "YXCVBNM;:_" " ",
)

LAYOUTS: tuple[KeyboardLayout, ...] = (FRENCH, BELGIAN, GERMAN, SWISS)
