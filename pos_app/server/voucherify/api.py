"""The ``/v1`` router: every resource module's routes, under Voucherify's prefix."""

from __future__ import annotations

from fastapi import APIRouter

from pos_app.server.errors import RESPONSES
from pos_app.server.voucherify import (
    assets,
    async_actions,
    campaigns,
    customers,
    exports,
    imports,
    publications,
    redemptions,
    transactions,
    validation_rules,
    validations,
    voucher_changes,
    vouchers,
)

router = APIRouter(prefix="/v1", responses=RESPONSES)
router.include_router(imports.router)  # before vouchers: /vouchers/import is no code of POST /vouchers/{code}
router.include_router(vouchers.router)
router.include_router(validations.router)
router.include_router(redemptions.router)
router.include_router(validation_rules.router)
router.include_router(assets.router)
router.include_router(campaigns.router)
router.include_router(async_actions.router)
router.include_router(exports.router)
router.include_router(voucher_changes.router)
router.include_router(transactions.router)
router.include_router(publications.router)
router.include_router(customers.router)
