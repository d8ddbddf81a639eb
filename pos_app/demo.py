"""A ready demo shop: cards in several states and one person of each role, built through the real use cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from pos_app.bootstrap import Till
from pos_app.domain.ledger import PaymentMethod
from pos_app.domain.money import Money
from pos_app.domain.people import Role
from pos_app.printing.printer_settings import PrinterSettings
from pos_app.services import auth, campaigns, cards, setup
from pos_app.services.context import Caller, utc_now

CASHIER_PIN = "1234"
MANAGER_PIN = "9876"
STORE_NAME = "Demo Gift Shop"
DEMO_PRINTER_FILE = "demo-printer.bin"  # the demo's receipt printer: the ESC/POS bytes it was last sent
DEMO_CODES = "demo_codes"  # settings key: state → code of the demo's cards


@dataclass(frozen=True)
class DemoShop:
    codes: dict[str, str]  # state → code


def build_demo(till: Till) -> DemoShop:
    """Create the demo shop in ``till`` (an empty store) and return a code for each state of card."""
    setup.init_store(till.uow, store_name=STORE_NAME, currency="EUR", manager_pin=MANAGER_PIN,
                     manager_name="Maria (manager)", locale="en_IE")
    manager = till.login(MANAGER_PIN)
    auth.add_user(till.uow, manager, "Chris (cashier)", Role.CASHIER, CASHIER_PIN)

    def eur(minor: int) -> Money:
        return Money(minor, "EUR")

    camp = campaigns.create_campaign(till.uow, manager, campaigns.CreateCampaign(
        name="Demo cards €50", amount=eur(5000), count=12))
    codes = _codes(till, camp.id)
    states: dict[str, str] = {}
    fresh, partly, spent, lost, *_rest = codes
    for number, code in enumerate(codes[:8]):
        cards.sell(till.uow, manager, code, payment=PaymentMethod.CARD if number % 3 == 2 else PaymentMethod.CASH)
    cards.redeem(till.uow, manager, partly, eur(1250), order_ref="DEMO-1")
    cards.redeem(till.uow, manager, spent, eur(5000), order_ref="DEMO-2")
    cards.set_enabled(till.uow, manager, lost, enabled=False)
    states |= {"active": fresh, "partly_used": partly, "spent": spent, "disabled": lost,
               "not_sold": codes[-1]}

    past = utc_now() - timedelta(days=400)
    old = Caller(manager.actor, manager.device_id, clock=lambda: past, zone=manager.zone)
    old_camp = campaigns.create_campaign(till.uow, old, campaigns.CreateCampaign(
        name="Last year's promotion", amount=eur(2000), count=2, expiration_date=past + timedelta(days=365)))
    expired = _codes(till, old_camp.id)[0]
    cards.sell(till.uow, old, expired, payment=PaymentMethod.CASH)
    states["expired"] = expired
    till.save_printer_settings(PrinterSettings(
        destination=f"file:{till.data_dir / DEMO_PRINTER_FILE}", paper="80mm",
        shop_lines=("1 Demo Street, Dublin",), footer=("Thank you!",)))
    with till.uow as uow:
        uow.settings.set(DEMO_CODES, states)
        uow.commit()
    return DemoShop(codes=states)


def demo_codes(till: Till) -> dict[str, str]:
    with till.uow as uow:
        codes = uow.settings.get(DEMO_CODES)
    return dict(codes) if isinstance(codes, dict) else {}


def _codes(till: Till, campaign_id: str) -> list[str]:
    with till.uow as uow:
        return [c.code for c in uow.cards.iter_all(campaign_id)]
