"""``pos-server console-user``: the people of the head-office console (``console.users``).

``add EMAIL --role admin|finance|support`` makes one (the first administrator is made this way); the password
comes from ``--password-stdin`` (one line) or a prompt, never from the command line. ``list``, ``disable``,
``enable`` and ``passwd`` (a new password: the lock opens, the sessions end).
"""

from __future__ import annotations

import sys

import click
from sqlalchemy import Connection

from pos_app.cli_options import emit_json
from pos_app.server.cli_common import database, db_option, json_option, refusals
from pos_app.server.console import users
from pos_app.server.console.roles import ConsoleRole
from pos_app.server.db.engine import read, write
from pos_app.server.ledger import now

_password_stdin = click.option("--password-stdin", is_flag=True,
                               help="Read the password from standard input (one line) instead of a prompt.")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    text: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return text


def _json(user: users.ConsoleUser) -> dict[str, object]:
    return {"object": "console_user", "id": user.id, "email": user.email, "role": user.role,
            "active": user.active, "locked_until": user.locked_until, "created_at": user.created_at}


def _line(user: users.ConsoleUser) -> str:
    state = "active" if user.active else f"disabled {user.disabled_at:%Y-%m-%d %H:%M}"
    if user.active and user.locked_until and user.locked_until > now():
        state = f"locked until {user.locked_until:%Y-%m-%d %H:%M} UTC"
    return f"{user.id}  {user.role:<8} {user.email}  {state}"


def _show(user: users.ConsoleUser, as_json: bool, said: str) -> None:
    if as_json:
        emit_json(_json(user))
    else:
        click.echo(f"{said}: {_line(user)}")


@click.group("console-user")
def console_user_group() -> None:
    """People of the head-office console (/console): administrators, finance, support."""


@console_user_group.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in ConsoleRole]), required=True,
              help="admin: everything; finance: read-only plus exports; support: card look-up and corrections.")
@_password_stdin
@db_option
@json_option
@refusals
def console_user_add(email: str, role: str, password_stdin: bool, db: str | None, as_json: bool) -> None:
    """Add a console user who signs in with EMAIL and the password given."""
    email = users.normalise_email(email)
    password_hash = users.hash_password(_password(password_stdin))
    at = now()
    with database(db) as engine:
        user = write(engine, lambda conn: users.add_user(conn, email=email, role=role, password_hash=password_hash,
                                                        at=at))
    _show(user, as_json, "Added console user")


@console_user_group.command("list")
@db_option
@json_option
@refusals
def console_user_list(db: str | None, as_json: bool) -> None:
    """Every console user, disabled ones included."""
    with database(db) as engine:
        found = read(engine, users.list_users)
    if as_json:
        emit_json([_json(u) for u in found])
        return
    for user in found:
        click.echo(_line(user))


@console_user_group.command("disable")
@click.argument("user")
@db_option
@json_option
@refusals
def console_user_disable(user: str, db: str | None, as_json: bool) -> None:
    """No more sign-ins for USER (id or e-mail); their sessions end now."""
    at = now()

    def work(conn: Connection) -> users.ConsoleUser:
        users.keep_an_administrator(conn, users.get_user(conn, user).id, disabling=True)
        return users.disable(conn, user, at)

    with database(db) as engine:
        done = write(engine, work)
    _show(done, as_json, "Disabled")


@console_user_group.command("enable")
@click.argument("user")
@db_option
@json_option
@refusals
def console_user_enable(user: str, db: str | None, as_json: bool) -> None:
    """USER (id or e-mail) may sign in again."""
    with database(db) as engine:
        done = write(engine, lambda conn: users.enable(conn, user))
    _show(done, as_json, "Enabled")


@console_user_group.command("passwd")
@click.argument("user")
@_password_stdin
@db_option
@json_option
@refusals
def console_user_passwd(user: str, password_stdin: bool, db: str | None, as_json: bool) -> None:
    """A new password for USER (id or e-mail): a lock-out ends, and so do their sessions."""
    password_hash = users.hash_password(_password(password_stdin))
    with database(db) as engine:
        done = write(engine, lambda conn: users.set_password(conn, user, password_hash))
    _show(done, as_json, "New password for")

