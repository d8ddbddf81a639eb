"""Joining a central server and syncing with it: enroll, sync, status."""

from __future__ import annotations

import platform
import signal
import threading
from typing import TYPE_CHECKING, Any

import click

from pos_app.cli.common import caller, json_option, pin_option, refusals, state
from pos_app.cli_options import emit_json
from pos_app.domain import errors
from pos_app.formatting import format_datetime

if TYPE_CHECKING:
    from pos_app.sync.state import Mode, SyncState


def state_json(sync: SyncState, **extra: Any) -> dict[str, Any]:
    return {"mode": sync.mode, "unsynced": sync.unsynced, "set_aside": sync.set_aside, "last_sync": sync.last_sync,
            "last_error": sync.last_error, "online_last": sync.online_last, **extra}


def state_line(sync: SyncState, locale: str) -> str:
    parts = ["online, but this till CANNOT SYNC (call support)" if sync.mode == "stuck" else sync.mode,
             f"{sync.unsynced} unsynced"]
    if sync.set_aside:
        parts.append(f"{sync.set_aside} refused by the server, kept for review")
    parts.append(f"last sync {format_datetime(sync.last_sync, locale=locale)}")
    if sync.last_error:
        parts.append(f"last error: {sync.last_error}")
    return " · ".join(parts)


@click.command("enroll")
@click.option("--server", "server_url", required=True, metavar="URL", help="The central server, e.g. http://hq:8000")
@click.option("--code", required=True, help="The one-time enrolment code from `pos-server device enrol-code`.")
@click.option("--name", "device_name", default=platform.node() or "till", show_default="this computer's name",
              help="How the server lists this till.")
@pin_option
@json_option
@refusals
def enroll(server_url: str, code: str, device_name: str, pin: str | None, as_json: bool) -> None:
    """Join a central server: a new till, or a standalone one that has no sales yet (its manager's PIN: its
    people are switched off, head office's log in from then on)."""
    till = state().till
    who = caller(pin) if till.enrolment_needs_manager() else None
    profile = till.enrol(who, server_url=server_url, code=code, device_name=device_name[:80])
    with till.sync_worker() as worker:
        first = worker.run_once()  # people and cards, so that someone can log in
    if as_json:
        emit_json({"device_id": profile.device_id, "store_name": profile.store_name, "currency": profile.currency,
                   "server": server_url, "data_dir": str(state().data_dir), "sync": state_json(first)})
        return
    click.echo(f"Enrolled as {profile.device_id} of {profile.store_name!r} ({profile.currency}) at {server_url}")
    click.echo(f"First sync: {state_line(first, profile.locale)}")


@click.command("sync")
@click.option("--once", is_flag=True, help="Push and pull once, then exit (status 1 if the server did not answer).")
@click.option("--interval", default=15.0, show_default=True, metavar="SECONDS",
              help="Seconds between syncs while the server answers.")
@json_option
@refusals
def sync(once: bool, interval: float, as_json: bool) -> None:
    """Sync with the central server: once, or until Ctrl-C, printing each change of state."""
    till = state().till
    if till.enrolment() is None:
        raise errors.NotEnrolled()
    locale = till.profile().locale
    with till.sync_worker(interval=max(0.1, interval)) as worker:
        if once:
            result = worker.run_once()
            if as_json:
                emit_json(state_json(result))
            else:
                click.echo(state_line(result, locale))
            if result.mode != "online" or result.last_error:
                raise SystemExit(1)
            return

        def show(new: SyncState) -> None:
            if as_json:
                emit_json(state_json(new))
            else:
                click.echo(state_line(new, locale))

        worker.observe(show)
        done = threading.Event()
        previous = signal.signal(signal.SIGTERM, lambda *_: done.set())
        worker.start()
        try:
            while not done.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            worker.stop()
    click.echo("Sync stopped.", err=True)


@click.command("status")
@json_option
@refusals
def status(as_json: bool) -> None:
    """Standalone or enrolled; online or offline (the server is asked), unsynced entries, last sync and error."""
    till = state().till
    profile = till.profile()
    enrolled = till.enrolment()
    from pos_app.sync.state import read_state, standalone_state

    if enrolled is None:
        snapshot = standalone_state(till.units())
        server = None
    else:
        from pos_app.services.online import ServerUnavailable

        mode: Mode = "online"
        try:
            with till.sync_client() as client:
                client.health()
        except ServerUnavailable:
            mode = "offline"
        except errors.DeviceRevoked:
            mode = "revoked"
        snapshot = read_state(till.units(), mode)
        server = enrolled.server_url
    if as_json:
        emit_json(state_json(snapshot, device_id=profile.device_id, server=server))
        return
    click.echo(f"Till {profile.device_id} of {profile.store_name!r}" + (f" · server {server}" if server else ""))
    click.echo(state_line(snapshot, profile.locale))


COMMANDS = [enroll, sync, status]
