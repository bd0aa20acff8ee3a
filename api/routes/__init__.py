"""One module per resource of the HTTP API, and what their routes share."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import HTTPException, Request

from api.results import Format, NotAcceptableError, UnknownFormatError, pick


def negotiate(offered: Sequence[Format], request: Request, requested: str | None) -> Format:
    """The format a route answers in (see :func:`api.results.pick`): an unknown ``format``
    value is a 400 naming the choices, nothing acceptable a 406."""
    try:
        return pick(offered, request.headers.get("accept"), requested)
    except UnknownFormatError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from None
    except NotAcceptableError as exc:
        raise HTTPException(status_code=406, detail=str(exc)) from None
