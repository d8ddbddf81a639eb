"""``/v1/async-actions/{id}``: an import's or a code generation's progress and result (``jobs``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy.engine import RowMapping

from pos_app.server.voucherify import jobs
from pos_app.server.voucherify.deps import Api
from pos_app.server.voucherify.shapes import iso

router = APIRouter(tags=["async actions"])


def action(row: RowMapping) -> dict[str, Any]:
    status = row["status"]
    requested, made = int(row["requested"]), int(row["made"])
    progress = 100 if status != jobs.IN_PROGRESS else (min(99, made * 100 // requested) if requested else 0)
    took = row["updated_at"] - row["created_at"]
    return {
        "id": row["id"], "object": "async_action", "type": row["type"], "status": status,
        "operation_status": {jobs.DONE: "SUCCESS", jobs.FAILED: "FAILED"}.get(status, "UNKNOWN"),
        "created_at": iso(row["created_at"]), "updated_at": iso(row["updated_at"]), "request_id": None,
        "processing_time": int(took.total_seconds() * 1000), "progress": progress,
        "result": row["result"],
    }


@router.get("/async-actions/{action_id}")
def get_async_action(action_id: str, call: Api) -> dict[str, Any]:
    return action(jobs.read_fresh(call.engine, action_id[:64]))
