"""Bounded, fair admission to a pool of workers: a lane has a fixed number of slots, a request
waits for one only until its own time limit, and one client (one address) can never take the
last free slot of a lane while holding others, so another client always finds one. When a slot
frees up, it goes to the waiting request whose client holds the fewest slots, oldest first.

Health checks, REST lookups, exports and SPARQL each have a lane of their own, so a client
that fills one (with slow queries, or downloads it does not read) leaves the others alone.

>>> import asyncio
>>> async def demo() -> list[int]:
...     lane = Lane("demo", 2)
...     await lane.acquire("a", 1.0)
...     try:
...         await lane.acquire("a", 0.05)  # "a" may not take the last slot
...     except WorkersBusyError:
...         pass
...     await lane.acquire("b", 1.0)
...     return [lane.busy, lane.held("a")]
>>> asyncio.run(demo())
[2, 1]
"""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from dataclasses import dataclass, field


class WorkersBusyError(Exception):
    """No slot of the lane came free for this request within its time limit."""

    def __init__(self, name: str, size: int) -> None:
        super().__init__(f"all {size} {name} workers are busy; try again later")


@dataclass(order=True)
class _Waiter:
    order: int
    client: str = field(compare=False)
    granted: asyncio.Future[None] = field(compare=False)


class Lane:
    """``size`` slots, handed out fairly between clients."""

    def __init__(self, name: str, size: int) -> None:
        self.name = name
        self.size = size
        # One client may hold every slot but one, so that a slot is left for someone else.
        self.share = max(1, size - 1)
        self._held: Counter[str] = Counter()
        self._waiting: list[_Waiter] = []
        self._order = itertools.count()

    @property
    def busy(self) -> int:
        """How many slots are taken now."""
        return sum(self._held.values())

    def held(self, client: str) -> int:
        return self._held[client]

    def _may_take(self, client: str) -> bool:
        return self.busy < self.size and self._held[client] < self.share

    async def acquire(self, client: str, timeout: float) -> None:
        """Take a slot for ``client``, waiting at most ``timeout`` seconds
        (:class:`WorkersBusyError` then)."""
        if not self._waiting and self._may_take(client):
            self._held[client] += 1
            return
        waiter = _Waiter(next(self._order), client, asyncio.get_running_loop().create_future())
        self._waiting.append(waiter)
        self._grant()  # those who wait may not take the free slot; this client may
        try:
            await asyncio.wait_for(waiter.granted, timeout=max(0.0, timeout))
        except TimeoutError:
            self._forget(waiter)
            raise WorkersBusyError(self.name, self.size) from None
        except asyncio.CancelledError:  # the request went away while it waited
            self._forget(waiter)
            raise

    def _forget(self, waiter: _Waiter) -> None:
        if waiter in self._waiting:
            self._waiting.remove(waiter)
        if waiter.granted.done() and not waiter.granted.cancelled():
            self.release(waiter.client)  # granted just as the wait ended: hand it on

    def release(self, client: str) -> None:
        """Give back a slot ``client`` held."""
        if self._held[client] <= 1:
            del self._held[client]
        else:
            self._held[client] -= 1
        self._grant()

    def _grant(self) -> None:
        self._waiting = [w for w in self._waiting if not w.granted.done()]
        while self._waiting:
            eligible = [w for w in self._waiting if self._may_take(w.client)]
            if not eligible:
                return
            chosen = min(eligible, key=lambda w: (self._held[w.client], w.order))
            self._waiting.remove(chosen)
            self._held[chosen.client] += 1
            chosen.granted.set_result(None)
