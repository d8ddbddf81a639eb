"""Who is calling the API: every route takes an :data:`Api` parameter, which checks the ``X-App-Id`` and
``X-App-Token`` headers (401 ``unauthorized`` otherwise) and gives the key's id, the database and the server's own
address (for the URLs in answers)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader
from sqlalchemy import Engine

from pos_app.domain import errors
from pos_app.domain.people import Actor, Role
from pos_app.server.db.engine import read
from pos_app.server.ledger import store_info, store_zone
from pos_app.server.voucherify import keys
from pos_app.services.context import Caller


@dataclass(frozen=True, slots=True)
class ApiCall:
    key_id: str
    engine: Engine
    base_url: str  # "http://host:port", without a trailing slash

    def caller(self) -> Caller:
        """The key as the caller of a use case: a manager who is nobody in particular (its entries name no
        operator), whose entries name the key as their device, in the shop's time zone."""
        zone = read(self.engine, lambda conn: store_zone(store_info(conn)))
        return Caller(actor=Actor(user_id="", name=f"API {self.key_id}", role=Role.MANAGER), device_id=self.key_id,
                      zone=zone)


#: The two headers of a key, as the OpenAPI document's security schemes (both are needed: ``openapi`` says so).
#: Read as they come (a missing one is None): :func:`keys.check` refuses what does not name a key.
APP_ID = APIKeyHeader(name="X-App-Id", scheme_name="AppId", auto_error=False,
                      description="The API key's application id (`pos-server api-key create`).")
APP_TOKEN = APIKeyHeader(name="X-App-Token", scheme_name="AppToken", auto_error=False,
                         description="The API key's secret token, sent with its X-App-Id.")
MAX_HEADER = 200


def api_call(request: Request,
             x_app_id: Annotated[str | None, Security(APP_ID)] = None,
             x_app_token: Annotated[str | None, Security(APP_TOKEN)] = None) -> ApiCall:
    for name, value in (("X-App-Id", x_app_id), ("X-App-Token", x_app_token)):
        if value is not None and len(value) > MAX_HEADER:
            raise errors.InvalidPayload(f"{name}: at most {MAX_HEADER} characters")
    engine: Engine = request.app.state.engine
    key_id = read(engine, lambda conn: keys.check(conn, x_app_id, x_app_token))
    return ApiCall(key_id=key_id, engine=engine, base_url=str(request.base_url).rstrip("/"))


Api = Annotated[ApiCall, Depends(api_call)]
