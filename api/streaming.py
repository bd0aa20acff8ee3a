"""Turning a worker's output channel into an HTTP response: a whole response when the result
is small, a streamed one when it is not, an error status when the worker failed first, and a
cut connection when it fails part-way."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import IO

from fastapi.responses import JSONResponse
from starlette.responses import Response, StreamingResponse

from api.middleware import StreamAbortedError
from api.results import unrepresentable
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


async def stream_download(
    pool: WorkerPool,
    write: Callable[[IO[bytes]], None],
    client: str,
    deadline: Deadline,
    media_type: str,
    headers: dict[str, str] | None = None,
) -> Response:
    """Run ``write`` on ``pool`` (a thread) writing a file into a :class:`ChunkWriter`, and
    answer with what it writes: a 406 when the format cannot carry the data, a 503 when the
    time limit passed or the client left, a cut connection when it fails part-way."""
    channel = Channel(asyncio.get_running_loop())
    out = ChunkWriter(channel, deadline, media_type, headers)

    def job() -> None:
        try:
            write(out.as_file())
            out.finish()
        except Exception as exc:  # noqa: BLE001 - reported to the client, logged by the pool
            if out.stopped is not None:
                out.fail(503, "stopped: it ran past its time limit or the client left")
                return
            message = unrepresentable(exc)
            if message is not None:
                out.fail(406, message)
                return
            out.fail(500, "the download failed")
            raise

    await pool.submit(job, client, deadline)
    return await respond(channel, deadline)


async def respond(channel: Channel, deadline: Deadline) -> Response:
    try:
        first = await channel.get(deadline.remaining() + GRACE)
    except QueryTimeoutError:
        channel.close()
        raise QueryTimeoutError(deadline.limit) from None
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
