"""Errors of the domain, each carrying the Voucherify error key that the API, the CLI and the till show.

Every refusal is a :class:`GiftCardError` subclass. ``key`` is Voucherify's error key (see VOUCHERIFY-API.md),
``code`` the HTTP status the server answers with, ``message`` a short English sentence and ``details`` what
exactly was wrong. The UI maps ``key`` to one sentence a cashier understands; the message here is for logs,
the CLI and the API.
"""

from __future__ import annotations


class GiftCardError(Exception):
    """Base class: a refusal with a Voucherify error key."""

    key: str = "error"
    code: int = 400
    message: str = "the request was refused"

    def __init__(self, details: str = "", **context: object) -> None:
        self.details = details
        self.context = context
        super().__init__(f"{self.key}: {details or self.message}")

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "key": self.key, "message": self.message, "details": self.details}


class NotFound(GiftCardError):
    key, code, message = "not_found", 404, "resource not found"


class InvalidAmount(GiftCardError):
    key, message = "invalid_amount", "invalid amount"


class MissingAmount(GiftCardError):
    key, message = "missing_amount", "missing amount"


class GiftAmountExceeded(GiftCardError):
    key, message = "gift_amount_exceeded", "gift amount exceeded"


class VoucherExpired(GiftCardError):
    key, message = "voucher_expired", "voucher expired"


class VoucherNotActive(GiftCardError):
    """The card has not been sold and activated yet, or its start date is in the future."""

    key, message = "voucher_not_active", "voucher not active"


class VoucherNotActiveNow(GiftCardError):
    """Outside the card's validity by day of week or hours."""

    key, message = "voucher_not_active_now", "voucher not active now"


class VoucherDisabled(GiftCardError):
    key, message = "voucher_disabled", "voucher is disabled"


class VoucherFrozen(GiftCardError):
    """Frozen after an overdraft found at sync; a manager must resolve the conflict first."""

    key, message = "voucher_frozen", "voucher is frozen pending a conflict review"


class QuantityExceeded(GiftCardError):
    key, message = "quantity_exceeded", "quantity exceeded"


class OrderRulesViolated(GiftCardError):
    key, message = "order_rules_violated", "order does not match validation rules"


class CustomerRulesViolated(GiftCardError):
    """A validation rule on the customer (their metadata, how often they may use the card) does not hold."""

    key, message = "customer_rules_violated", "customer does not match validation rules"


class CurrencyMismatch(GiftCardError):
    key, message = "currency_mismatch", "the amount is not in the card's currency"


class InvalidAddBalanceParams(GiftCardError):
    key, message = "invalid_add_balance_params", "invalid balance operation"


class InvalidCodeConfig(GiftCardError):
    key, message = "invalid_code_config", "invalid code config"


class InvalidCode(GiftCardError):
    """A typed or scanned text that cannot be a card code (checked before any lookup)."""

    key, message = "invalid_code", "this is not a gift card code"


class AlreadyRolledBack(GiftCardError):
    key, message = "already_rolled_back", "redemption already rolled back"


class RefundExceeded(GiftAmountExceeded):
    """A refund of more than is left of its redemption (what it took less what its refunds gave back): Voucherify's
    ``gift_amount_exceeded``, as a rollback of more than a redemption took is there."""

    message = "more than is left to refund of the redemption"


class InvalidPayload(GiftCardError):
    key, message = "invalid_payload", "invalid payload"


class InvalidQueryParams(GiftCardError):
    """A query parameter out of its range or of the wrong kind (``?size=0`` on an asset URL)."""

    key, message = "invalid_query_params", "invalid query parameters"


class DuplicateFound(GiftCardError):
    key, code, message = "duplicate_found", 409, "duplicate found"


class AlreadyActive(GiftCardError):
    key, message = "voucher_already_active", "the card is already sold and active"


class AlreadyPublished(GiftCardError):
    key, code, message = "voucher_already_published", 409, "the card belongs to another customer"


class Unauthorized(GiftCardError):
    """Wrong or missing PIN / credentials."""

    key, code, message = "unauthorized", 401, "unauthorized"


class LockedOut(GiftCardError):
    key, code, message = "locked_out", 401, "too many wrong PINs; try again later"


class Forbidden(GiftCardError):
    """The person is known but their role may not do this (manager-only operations)."""

    key, code, message = "forbidden", 403, "a manager must do this"


class StoreNotInitialised(GiftCardError):
    key, code, message = "store_not_initialised", 409, "this till has no store yet; run `pos-app init` first"


class ImportFailed(GiftCardError):
    key, message = "invalid_import", "the import file has errors; nothing was imported"




class OfflineLimitExceeded(GiftCardError):
    """Offline, the amount is above the per-redemption offline limit."""

    key, message = "offline_limit_exceeded", "too large to accept while the till is offline"


class OfflineCapExceeded(GiftCardError):
    """Offline, this till's unsynced offline spending would pass its cap."""

    key, message = "offline_cap_exceeded", "this till has taken as much as it may while offline"


class OfflineTooLong(GiftCardError):
    key, message = "offline_too_long", "the till has been offline too long to accept gift cards"


class CardStateStale(GiftCardError):
    """Offline, and what the till knows of the card is older than the staleness limit (or it knows nothing)."""

    key, message = "card_state_stale", "the till cannot check this card while offline"


class OperationLimitExceeded(GiftCardError):
    """More than head office lets one operation put on a card."""

    key, message = "operation_limit_exceeded", "more than one operation may put on a card"


class BalanceLimitExceeded(GiftCardError):
    """The card would hold more than head office's maximum balance."""

    key, message = "balance_limit_exceeded", "more than a card may hold"


class CorrectionLimitExceeded(GiftCardError):
    """A correction by more than head office lets this person correct a card by (a support user of the console)."""

    key, code, message = "correction_limit_exceeded", 403, "more than this person may correct a card by"


class DailyCapExceeded(GiftCardError):
    """This till has created as much value today (sales, top-ups, corrections up) as head office allows."""

    key, code, message = "till_daily_cap_exceeded", 403, "this till has reached its cap on value created today"


class UnknownOperator(GiftCardError):
    """The operation names nobody the server knows as an active person (or nobody at all)."""

    key, code, message = "unknown_operator", 403, "the operation names no active person"


class TooManyRequests(GiftCardError):
    """Too many codes that match no card, too fast (someone may be guessing codes): lookups wait a while. The
    till and the server refuse alike; ``retry_after`` is how many seconds to wait (HTTP ``Retry-After``)."""

    key, code, message = "too_many_requests", 429, "too many unknown codes; wait before looking up another"

    def __init__(self, details: str = "", *, retry_after: int = 60, **context: object) -> None:
        super().__init__(details, retry_after=retry_after, **context)
        self.retry_after = retry_after


class DeviceRevoked(GiftCardError):
    key, code, message = "device_revoked", 401, "this till has been removed from the server"


class NotEnrolled(GiftCardError):
    """A sync command on a standalone till (it has no server to talk to)."""

    key, code, message = "not_enrolled", 409, "this till is standalone; enrol it with `pos-app enroll` first"


class ManagedByServer(GiftCardError):
    """On a till enrolled to a central server, an operation that only the server may do."""

    key, code, message = "managed_by_server", 409, "this till belongs to a central server: do this there"


class ServerUnreachable(GiftCardError):
    """What only the central server may do (a publication on an enrolled till), asked while it does not answer:
    unlike a sale, nothing stands in for it offline."""

    key, code, message = "server_unavailable", 503, "the central server does not answer"


ERRORS_BY_KEY: dict[str, type[GiftCardError]] = {
    cls.key: cls for cls in GiftCardError.__subclasses__()
}
