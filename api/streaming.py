"""Turning a worker's output channel into an HTTP response: a whole response when the result
is small, a streamed one when it is not, an error status when the worker failed first, and a
cut connection when it fails part-way."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

from fastapi.responses import JSONResponse
from starlette.responses import Response, StreamingResponse

from api.middleware import StreamAbortedError
from api.runner import (
    Abort,
    Channel,
    ChunkWriter,
    Data,
    Deadline,
    End,
    Failure,
    QueryTimeoutError,
    Start,
    WorkerPool,
)

GRACE = 0.1
"""Seconds past the deadline to wait for the worker to report it itself."""


async def stream_job(
    pool: WorkerPool,
    job: Callable[[ChunkWriter], None],
    deadline: Deadline,
    media_type: str = "application/octet-stream",
    headers: dict[str, str] | None = None,
) -> Response:
    """Run ``job`` on ``pool`` writing into a :class:`ChunkWriter`, and answer with what it
    writes."""
    channel = Channel(asyncio.get_running_loop())
    out = ChunkWriter(channel, deadline, media_type, headers)
    await pool.submit(lambda: job(out), deadline)
    return await respond(channel, deadline)


async def respond(channel: Channel, deadline: Deadline) -> Response:
    try:
        first = await channel.get(deadline.remaining() + GRACE)
    except QueryTimeoutError:
        channel.close()
        raise QueryTimeoutError(deadline.limit, still_running=True) from None
    if isinstance(first, Failure):
        channel.close()
        return JSONResponse(
            {"detail": first.message}, status_code=first.status, headers=first.headers
        )
    if not isinstance(first, Start):
        channel.close()
        return JSONResponse({"detail": "internal server error"}, status_code=500)
    if first.complete:
        channel.close()
        return Response(
            first.body, status_code=first.status, media_type=first.media_type, headers=first.headers
        )

    async def body() -> AsyncIterator[bytes]:
        try:
            yield first.body
            while True:
                try:
                    message = await channel.get(deadline.remaining() + GRACE)
                except QueryTimeoutError:
                    raise StreamAbortedError(
                        f"no output within the time limit of {deadline.limit:g} s"
                    ) from None
                if isinstance(message, Data):
                    yield message.body
                elif isinstance(message, End):
                    return
                elif isinstance(message, Abort):
                    raise StreamAbortedError(message.reason)
                else:
                    raise StreamAbortedError("unexpected message from the worker")
        finally:
            channel.close()

    return StreamingResponse(
        body(), status_code=first.status, media_type=first.media_type, headers=first.headers
    )
