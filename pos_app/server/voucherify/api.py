"""The ``/v1`` router: every resource module's routes, under Voucherify's prefix."""

from __future__ import annotations

from fastapi import APIRouter

from pos_app.server.voucherify import async_actions, campaigns, exports, imports, vouchers

router = APIRouter(prefix="/v1")
router.include_router(imports.router)  # before vouchers: /vouchers/import is no code of POST /vouchers/{code}
router.include_router(vouchers.router)
router.include_router(campaigns.router)
router.include_router(async_actions.router)
router.include_router(exports.router)
