"""ASGI middleware: one access-log line per request, request size limits (413/414) and the
headers every answer carries (no MIME sniffing; a Content-Security-Policy that keeps the page
to this server's own origin)."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

access_log = logging.getLogger("api.access")
SHOWN_QUERY = 200
# The page loads scripts, styles and data only from here (the editor sets inline styles), may
# not be framed, and can send queries to no other origin.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class StreamAbortedError(Exception):
    """A streamed response had to stop part-way (time limit, or the worker failed); the
    connection is cut so the client cannot mistake the part for the whole."""


class BodyTooLargeError(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than the limit of {limit} bytes")


async def _send_json(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"x-content-type-options", b"nosniff"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class AccessLogMiddleware:
    """Logs ``client "METHOD path?query" status bytes duration`` once per request, with the
    query string cut short so a long SPARQL query does not flood the log."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        state: dict[str, Any] = {"status": 0, "bytes": 0, "note": ""}

        async def logged_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
            elif message["type"] == "http.response.body":
                state["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, logged_send)
        except StreamAbortedError as exc:
            state["note"] = f" aborted: {exc}"
        except Exception:
            state["status"] = state["status"] or 500
            state["note"] = " failed"
            raise
        finally:
            client = scope.get("client")
            who = f"{client[0]}:{client[1]}" if client else "-"
            query = scope.get("query_string", b"").decode("latin-1")
            target = scope.get("path", "") + (f"?{query}" if query else "")
            if len(target) > SHOWN_QUERY:
                target = target[:SHOWN_QUERY] + "..."
            access_log.info(
                '%s "%s %s HTTP/%s" %s %dB %.1fms%s',
                who,
                scope.get("method", "-"),
                target,
                scope.get("http_version", "1.1"),
                state["status"],
                state["bytes"],
                (time.perf_counter() - started) * 1000,
                state["note"],
            )


class LimitsMiddleware:
    """Refuses a query string longer than ``max_query_string`` characters (414) and a body
    larger than ``max_body`` bytes (413), whether it announces its length or not; adds
    ``X-Content-Type-Options: nosniff`` and the Content-Security-Policy to every response
    (unless a route set its own)."""

    def __init__(self, app: ASGIApp, max_body: int, max_query_string: int) -> None:
        self.app = app
        self.max_body = max_body
        self.max_query_string = max_query_string

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if len(scope.get("query_string", b"")) > self.max_query_string:
            await _send_json(
                send, 414, f"the query string is longer than {self.max_query_string} characters"
            )
            return
        length: int | None = None
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    await _send_json(send, 400, "invalid Content-Length header")
                    return
        if length is not None and length > self.max_body:
            await _send_json(
                send, 413, f"the request body is larger than the limit of {self.max_body} bytes"
            )
            return
        received = 0
        limit = self.max_body

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLargeError(limit)
            return message

        async def headed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                if b"x-content-type-options" not in names:
                    headers.append((b"x-content-type-options", b"nosniff"))
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", CONTENT_SECURITY_POLICY.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, limited_receive, headed_send)
