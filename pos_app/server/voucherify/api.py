"""The ``/v1`` router: every resource module's routes, under Voucherify's prefix."""

from __future__ import annotations

from fastapi import APIRouter

from pos_app.server.voucherify import customers, publications, transactions, voucher_changes, vouchers

router = APIRouter(prefix="/v1")
router.include_router(vouchers.router)
router.include_router(voucher_changes.router)
router.include_router(transactions.router)
router.include_router(publications.router)
router.include_router(customers.router)
