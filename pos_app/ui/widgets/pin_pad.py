"""A PIN pad for touch and keyboard: big keys 0–9, ⌫, C and OK, and the PIN shown only as dots.

Used by the login screen and by the manager's PIN prompt. The pad knows nothing of people or the store: it
collects digits and emits :attr:`PinPad.submitted`; whoever listens checks the PIN (on a worker thread) and
calls :meth:`PinPad.set_busy` meanwhile, so a second Enter or tap cannot submit twice, and
:meth:`PinPad.set_error` with the refusal's sentence afterwards.

The keys never take the keyboard focus: the pad itself keeps it, so digits typed on the top row or the numeric
keypad, Backspace, Escape (clear) and Enter/Return (OK) work whichever key was tapped last. A PIN that cannot
be one (fewer than 4 digits) is turned away here, without a PIN check that would count as a wrong attempt.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from pos_app.ui.icons import icon
from pos_app.ui.messages import tr
from pos_app.ui.theme import restyle

MIN_DIGITS, MAX_DIGITS = 4, 8  # as pos_app.domain.people.validate_pin
DOT = "●"
KEY_MAX_HEIGHT = 104  # on a big screen the keys stop growing and the pad stays compact
_DIGIT_KEYS = {int(Qt.Key.Key_0) + d: str(d) for d in range(10)}  # the numeric keypad sends these too
_BLOCKING_MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                       | Qt.KeyboardModifier.MetaModifier)


class PinPad(QFrame):
    """Digits in, ``submitted(pin)`` out. ``escape_clears=False``: Escape is left to the parent (a dialog's
    Cancel) instead of clearing the digits."""

    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, escape_clears: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("PinPad")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.escape_clears = escape_clears
        self._digits = ""
        self._busy = False

        self.dots = QLabel("")
        self.dots.setObjectName("PinDots")
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots.setProperty("role", "title")  # big, bold dots
        self.message = QLabel("")
        self.message.setObjectName("PinMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self._message_floor = self.message.fontMetrics().lineSpacing() * 2  # room kept: the keys do not jump
        self.message.setMinimumHeight(self._message_floor)
        restyle(self.message, level="")
        for label in (self.dots, self.message):  # the keys take any height there is, the words only their own
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        self.keys: dict[str, QPushButton] = {}
        grid = QGridLayout()
        grid.setSpacing(8)
        for position, digit in enumerate("123456789"):
            grid.addWidget(self._key(digit, digit, lambda _=False, d=digit: self.press(d)), position // 3,
                           position % 3)
        clear = self._key("clear", tr("C"), self.clear)
        clear.setToolTip(tr("Clear (Esc)"))
        back = self._key("backspace", "⌫", self.backspace)
        back.setToolTip(tr("Delete the last digit (Backspace)"))
        back.setAccessibleName(tr("Delete the last digit"))
        grid.addWidget(clear, 3, 0)
        grid.addWidget(self._key("0", "0", lambda: self.press("0")), 3, 1)
        grid.addWidget(back, 3, 2)
        ok = self._key("ok", tr("OK (Enter)"), self.submit)
        ok.setIcon(icon("ok"))
        restyle(ok, role="primary")
        grid.addWidget(ok, 4, 0, 1, 3)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.dots)
        layout.addWidget(self.message)
        layout.addLayout(grid, 1)
        self._show_dots()

    def _key(self, name: str, text: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName("PinKey")
        button.setProperty("key", name)
        button.setProperty("role", "pad")  # the sheet's keypad key, at least a fingertip (OK: "primary")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the pad keeps the keyboard focus
        button.setAutoDefault(False)
        button.setMaximumHeight(KEY_MAX_HEIGHT)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        button.clicked.connect(slot)
        self.keys[name] = button
        return button

    # ---- what the pad holds ----------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def length(self) -> int:
        """How many digits are entered (the digits themselves stay inside the pad)."""
        return len(self._digits)

    def press(self, digit: str) -> None:
        if self._busy or len(self._digits) >= MAX_DIGITS:
            return
        self._digits += digit
        self._typing()

    def backspace(self) -> None:
        if self._busy:
            return
        self._digits = self._digits[:-1]
        self._typing()

    def clear(self) -> None:
        """No digits and no message (a new person at the till)."""
        self._digits = ""
        self.set_error("")
        self._show_dots()

    def submit(self) -> None:
        """OK: emit the PIN, unless a check is under way or it cannot be a PIN."""
        if self._busy:
            return
        if not self._digits:
            self.set_error(tr("Enter your PIN first."))
            return
        if len(self._digits) < MIN_DIGITS:
            self._digits = ""
            self._show_dots()
            self.set_error(tr("A PIN has {low} to {high} digits. Try again.").format(low=MIN_DIGITS,
                                                                                      high=MAX_DIGITS))
            return
        self.submitted.emit(self._digits)

    def set_busy(self, busy: bool) -> None:
        """While the PIN is checked: keys off, keyboard ignored, and a word that something is happening."""
        self._busy = busy
        for button in self.keys.values():
            button.setEnabled(not busy)
        if busy:
            self.message.setText(tr("Checking the PIN…"))
            restyle(self.message, level="info")
            self._fit_message()
        elif self.message.property("level") == "info":
            self.set_error("")

    def set_error(self, text: str) -> None:
        """A red sentence under the dots ("" removes it); it goes as soon as typing starts again."""
        self.message.setText(text)
        restyle(self.message, level="refused" if text else "")
        self._fit_message()

    def error(self) -> str:
        return self.message.text() if self.message.property("level") == "refused" else ""

    # ---- internals -------------------------------------------------------------------------------------------

    def _fit_message(self) -> None:
        """A wrapped sentence's height, made the label's minimum: layouts do not ask a nested label how tall it
        gets at its width, and a two-line refusal would otherwise squeeze the keys below their size."""
        width = self.message.width() if self.message.width() > 0 else self.width()
        needed = self.message.heightForWidth(width) if self.message.text() else 0
        self.message.setMinimumHeight(max(self._message_floor, needed))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_message()

    def _typing(self) -> None:
        if self.message.text():
            self.set_error("")
        self._show_dots()

    def _show_dots(self) -> None:
        count = len(self._digits)
        self.dots.setText(" ".join(DOT * count))
        self.dots.setAccessibleName(tr("PIN: {count} digits entered").format(count=count))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if event.modifiers() & _BLOCKING_MODIFIERS:
            super().keyPressEvent(event)
        elif key in _DIGIT_KEYS:  # the top row and the numeric keypad alike
            self.press(_DIGIT_KEYS[int(key)])
        elif key == Qt.Key.Key_Backspace:
            self.backspace()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
        elif key == Qt.Key.Key_Escape and self.escape_clears:
            if not self._busy:
                self.clear()
        else:
            super().keyPressEvent(event)  # Escape in a dialog, Tab, function keys: for the parents
