"""Connection limits for ``kg serve``: uvicorn's HTTP protocol (httptools) with time limits on
each phase of a connection and caps on how many are open.

uvicorn closes an idle connection between requests (``timeout_keep_alive``), but not one that
never sends a request, sends its headers a byte at a time, or stops reading a response, and it
accepts connections until the process runs out of file descriptors. Here:

- a request's line and headers must arrive within ``KG_HEADER_TIMEOUT`` of its first byte (or of
  the connection opening), its body within ``KG_BODY_TIMEOUT`` of the headers;
- a response that the client stops reading for ``KG_SEND_TIMEOUT`` is dropped: the connection is
  aborted, and the work behind it stops (its worker or thread is freed);
- at most ``KG_MAX_CONNECTIONS`` connections are open (kept below the open-file limit), at most
  ``KG_MAX_CLIENT_CONNECTIONS`` (and never more than half of them) from one address; others are
  closed as soon as they open.

Every limit ends in ``transport.abort()``, which closes the socket without waiting to flush
what a client that does not read would never take.
"""

from __future__ import annotations

import asyncio
import logging
import resource
from pathlib import Path
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from kg.config import Settings

log = logging.getLogger("api.connections")
RESERVED_FILES = 32
"""Descriptors kept free, besides those open at start-up, for what the server opens later
(checkpoints, a replaced worker's pipes, files it serves)."""


def connection_cap(wanted: int) -> int:
    """``wanted``, lowered to leave room below this process's open-file limit."""
    try:
        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
        in_use = len(list(Path("/proc/self/fd").iterdir()))
    except (OSError, ValueError):
        return wanted
    room = soft - in_use - RESERVED_FILES
    if soft != resource.RLIM_INFINITY and room < wanted:
        log.warning(
            "KG_MAX_CONNECTIONS lowered from %d to %d: the open-file limit is %d",
            wanted,
            max(room, 8),
            soft,
        )
        return max(room, 8)
    return wanted


def _host(protocol: object) -> str | None:
    client = getattr(protocol, "client", None)
    return client[0] if client else None


def guarded_protocol(settings: Settings) -> type[HttpToolsProtocol]:
    """The HTTP protocol class for uvicorn, with the limits of ``settings``."""
    limits = {
        "header": settings.header_timeout,
        "body": settings.body_timeout,
        "send": settings.send_timeout,
    }
    most = connection_cap(settings.max_connections)
    # One client never holds more than half of them, so another always gets in.
    per_client = min(settings.max_client_connections, max(1, most // 2))

    class GuardedProtocol(HttpToolsProtocol):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._timers: dict[str, asyncio.TimerHandle] = {}

        def _arm(self, name: str) -> None:
            self._disarm(name)
            self._timers[name] = self.loop.call_later(limits[name], self._expire, name)

        def _disarm(self, name: str) -> None:
            timer = self._timers.pop(name, None)
            if timer is not None:
                timer.cancel()

        def _expire(self, name: str) -> None:
            self._timers.pop(name, None)
            log.info("dropping the connection of %s: %s time-out", self._who(), name)
            self.transport.abort()

        def _who(self) -> str:
            return f"{self.client[0]}:{self.client[1]}" if self.client else "-"

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            host = self.client[0] if self.client else None
            same = sum(1 for c in self.connections if _host(c) == host)
            if len(self.connections) > most or (host is not None and same > per_client):
                log.warning("refusing a connection from %s: too many open", self._who())
                transport.abort()
                return
            self._arm("header")  # a connection that sends nothing is closed at this limit

        def connection_lost(self, exc: Exception | None) -> None:
            for name in list(self._timers):
                self._disarm(name)
            super().connection_lost(exc)

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._arm("header")

        def on_headers_complete(self) -> None:
            self._disarm("header")
            self._arm("body")
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            self._disarm("body")
            super().on_message_complete()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing() and not self.pipeline:
                self._arm("header")  # idle: the keep-alive time-out ends it sooner

        def pause_writing(self) -> None:
            super().pause_writing()
            self._arm("send")

        def resume_writing(self) -> None:
            self._disarm("send")
            super().resume_writing()

    return GuardedProtocol
