"""The ``/v1`` router: every resource module's routes, under Voucherify's prefix."""

from __future__ import annotations

from fastapi import APIRouter

from pos_app.server.errors import RESPONSES
from pos_app.server.voucherify import vouchers

router = APIRouter(prefix="/v1", responses=RESPONSES)
router.include_router(vouchers.router)
