"""``dataclasses.replace`` made once for one class: the same copy, at about half the cost.

Why: online authorisation copies an entry or a card three or four times a request (the known card before it is
decided on, the entry with the request's id and times, the entry with its ``server_seq``), and CPython 3.11's
``replace`` walks the class's fields and checks each on every call: ~5-7 us for an :class:`~.ledger.Entry`, ~2-3
us here (measured). What it builds is what ``replace`` builds: the class's ``__init__`` called with every field,
the changed ones from ``changes``, the rest from ``obj``; a name that is not a field is a ``TypeError``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def replacer(cls: type[T]) -> Callable[..., T]:
    """``replace(obj, **changes)`` for instances of the dataclass ``cls`` (fields set by ``__init__`` only)."""
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if any(not f.init for f in fields):
        raise TypeError(f"{cls.__name__} has fields __init__ does not set; use dataclasses.replace")
    names = [f.name for f in fields]
    arguments = ", ".join(f"{name}=changes.pop({name!r}) if {name!r} in changes else obj.{name}" for name in names)
    source = (f"def replace(obj, /, **changes):\n"
              f"    made = cls({arguments})\n"
              f"    if changes:\n"
              f"        raise TypeError(f'{{cls.__name__}} has no field {{\", \".join(changes)}}')\n"
              f"    return made\n")
    namespace: dict[str, Any] = {"cls": cls}
    exec(source, namespace)  # the field names of a dataclass of ours, nothing from outside
    replace: Callable[..., T] = namespace["replace"]
    replace.__qualname__ = f"replacer({cls.__name__})"
    return replace
