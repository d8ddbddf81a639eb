"""What the demo shop's window shows: the PINs on the login screen and card pictures standing in for a camera."""

from __future__ import annotations

from pos_app.bootstrap import Till
from pos_app.demo import CASHIER_PIN, MANAGER_PIN, demo_codes
from pos_app.ui.context import DemoInfo

DEMO_CARDS_DIR = "demo-cards"


def demo_info(till: Till) -> DemoInfo:
    """The demo's PINs and codes; the card pictures are drawn into ``<data-dir>/demo-cards`` the first time."""
    codes = demo_codes(till)
    folder = till.data_dir / DEMO_CARDS_DIR
    from pos_app.ui.scan.demo_cards import write_demo_cards

    images = write_demo_cards(codes, folder)
    return DemoInfo(pins=(("Chris (cashier)", CASHIER_PIN), ("Maria (manager)", MANAGER_PIN)), codes=codes,
                    images=images)
