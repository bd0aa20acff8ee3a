"""What every ``kg`` command shares: the app, one-line failures, checked options, the settings
and the store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import typer

from kg import arguments

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

    from kg.config import Settings
    from kg.store import GraphStore

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Build and query a knowledge graph of leaders, states, pledges and meetings.",
)

T = TypeVar("T")


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one line and exit."""
    typer.echo(f"kg: {message}", err=True)
    raise typer.Exit(code)


def checked(check: Callable[[T], T]) -> Callable[[typer.CallbackParam, T | None], T | None]:
    """An option's callback that refuses a bad value in one line naming the option and the
    value, with the exit status of a usage error (2)."""

    def callback(param: typer.CallbackParam, value: T | None) -> T | None:
        if value is None:
            return None
        try:
            return check(value)
        except arguments.ArgumentError as exc:
            name = param.opts[0] if param.param_type_name == "option" else str(param.name).upper()
            fail(f"{name} {str(value)!r}: {exc}", code=2)

    return callback


StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="Store directory or http(s) URL of a SPARQL server. Default: $KG_STORE or data/store.",
        callback=checked(arguments.check_store_location),
    ),
]


SourceArgument = Annotated[
    str,
    typer.Argument(
        help="A source's IRI, id or URL, or the file or folder it was read from.",
        callback=checked(arguments.check_source),
    ),
]


def settings_for(store: str | None) -> Settings:
    """Settings from the environment, with ``--store`` taking precedence; a bad one is one
    line naming it."""
    from pydantic import ValidationError

    from kg.config import Settings

    try:
        return Settings(store=store) if store else Settings()
    except ValidationError as exc:
        reasons = [_setting_error(error) for error in exc.errors()]
        fail(" ".join("; ".join(reasons).split())[:500])


def _setting_error(error: ErrorDetails) -> str:
    """One reason a setting was refused: the validator's own words (which name the variable),
    or the variable named before pydantic's."""
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "value_error":
        return message
    where = "_".join(str(part) for part in error["loc"]).upper()
    return f"KG_{where}: {message}" if where else message


def connect(settings: Settings, *, read_only: bool = False) -> GraphStore:
    """The store to read (or, unless ``read_only``, to write), or one line saying why not."""
    from kg.store import StoreError, open_store

    try:
        store = open_store(settings, read_only=read_only)
    except StoreError as exc:
        fail(str(exc))
    if not read_only:
        try:
            store.check_writable()
        except StoreError as exc:
            store.close()
            fail(str(exc))
    return store


def store_to_plan(settings: Settings) -> GraphStore:
    """The store a dry run compares with: read-only, or an empty one when there is none yet."""
    from kg.store import EmbeddedStore

    if not settings.is_remote and not (Path(settings.store) / "CURRENT").is_file():
        return EmbeddedStore(None)
    return connect(settings, read_only=not settings.is_remote)
