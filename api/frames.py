"""The messages between the server and its query worker processes, over a pipe each way: a
kind byte, a four-byte length and a payload.

From the server: ``JOB`` (a JSON job). From a worker: ``READY`` once it can take jobs, then
for each job either ``FAILURE`` (JSON status, message and headers) or ``START`` (JSON media
type and headers) followed by ``DATA`` frames and one ``END``.

>>> import io
>>> pipe = io.BytesIO()
>>> write_frame(pipe, DATA, b"abc"); _ = pipe.seek(0)
>>> read_frame(pipe)
(b'D', b'abc')
"""

from __future__ import annotations

import asyncio
import json
import struct
from typing import IO, Any

JOB, READY, START, DATA, END, FAILURE = b"J", b"R", b"S", b"D", b"E", b"F"
_HEADER = struct.Struct(">cI")


class PipeClosedError(Exception):
    """The other side of the pipe is gone (the worker died, or the server did)."""


def encode_frame(kind: bytes, payload: bytes = b"") -> bytes:
    return _HEADER.pack(kind, len(payload)) + payload


def write_frame(out: IO[bytes], kind: bytes, payload: bytes = b"") -> None:
    out.write(encode_frame(kind, payload))
    out.flush()


def write_json(out: IO[bytes], kind: bytes, value: dict[str, Any]) -> None:
    write_frame(out, kind, json.dumps(value).encode())


def _read_exactly(source: IO[bytes], size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = source.read(size - len(data))
        if not chunk:
            raise PipeClosedError
        data += chunk
    return data


def read_frame(source: IO[bytes]) -> tuple[bytes, bytes]:
    """The next frame from a blocking pipe."""
    kind, size = _HEADER.unpack(_read_exactly(source, _HEADER.size))
    return kind, _read_exactly(source, size)


async def read_frame_async(reader: asyncio.StreamReader) -> tuple[bytes, bytes]:
    """The next frame from an asyncio stream."""
    try:
        kind, size = _HEADER.unpack(await reader.readexactly(_HEADER.size))
        return kind, await reader.readexactly(size)
    except (asyncio.IncompleteReadError, ConnectionError):
        raise PipeClosedError from None
