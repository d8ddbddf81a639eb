"""The ``/v1`` router: every resource module's routes, under Voucherify's prefix."""

from __future__ import annotations

from fastapi import APIRouter

from pos_app.server.voucherify import assets, redemptions, validation_rules, validations, vouchers

router = APIRouter(prefix="/v1")
router.include_router(vouchers.router)
router.include_router(validations.router)
router.include_router(redemptions.router)
router.include_router(validation_rules.router)
router.include_router(assets.router)
