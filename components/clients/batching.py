"""Concurrent calls gathered into one request.

The engine runs a resource's create, read or delete as one call each, several at a time; sent one by one, a
thousand topics are a thousand CreateTopics requests (and a thousand waits for each answer). A `Batcher` lets the
first caller wait a short window, takes whatever the other calls added meanwhile, sends it as one request and
hands each caller its own result or error. The window costs a few milliseconds per batch; a batch of one works
exactly as a direct call would.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Sequence
from typing import Any, Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

WINDOW_S = 0.02


class _Entry(Generic[Item]):
    def __init__(self, item: Item) -> None:
        self.item = item
        self.done = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None


class Batcher(Generic[Item, Result]):
    """`submit(key, item)` blocks until `send(key, items)` has run on a batch holding `item`; items of one batch
    share their key (e.g. the admin connection). `send` returns one result per item, in order: a value, or an
    exception that is raised to that item's caller alone."""

    def __init__(
        self,
        send: Callable[[Any, Sequence[Item]], Sequence[Result | BaseException]],
        window_s: float = WINDOW_S,
        max_items: int = 1000,
    ) -> None:
        self._send = send
        self.window_s = window_s
        self.max_items = max_items
        self._lock = threading.Lock()
        self._pending: dict[Hashable, list[_Entry[Item]]] = {}

    def submit(self, key: Any, item: Item, key_id: Hashable | None = None) -> Result:
        """The result of `item`, sent together with whatever other callers submit under the same key meanwhile."""
        entry = _Entry(item)
        bucket = id(key) if key_id is None else key_id
        with self._lock:
            waiting = self._pending.setdefault(bucket, [])
            waiting.append(entry)
            leads = len(waiting) == 1
        if leads:
            time.sleep(self.window_s)
            with self._lock:
                batch = self._pending.pop(bucket, [])
            for start in range(0, len(batch), self.max_items):
                self._run(key, batch[start : start + self.max_items])
        entry.done.wait()
        if entry.error is not None:
            raise entry.error
        return entry.result

    def _run(self, key: Any, batch: list[_Entry[Item]]) -> None:
        try:
            results: Sequence[Any] = self._send(key, [entry.item for entry in batch])
            if len(results) != len(batch):
                raise RuntimeError(f"a batch of {len(batch)} items got {len(results)} results")
        except BaseException as error:  # every caller of the batch learns why it failed
            results = [error] * len(batch)
        for entry, result in zip(batch, results, strict=True):
            if isinstance(result, BaseException):
                entry.error = result
            else:
                entry.result = result
            entry.done.set()


class SharedReads(Generic[Result]):
    """One read of everything of a kind (every topic, every ACL binding), shared by the calls that come within
    `ttl_s` of it: the refresh of a thousand resources reads the cluster once, not a thousand times. A caller
    that changes the cluster through the same process invalidates it, so its own change is never missed."""

    def __init__(self, read: Callable[[Any], Result], ttl_s: float = 30.0) -> None:
        self._read = read
        self.ttl_s = ttl_s
        self._lock = threading.Lock()
        self._taken: dict[int, tuple[float, Result]] = {}

    def invalidate(self) -> None:
        with self._lock:
            self._taken.clear()

    def get(self, key: Any) -> Result:
        # Readers arriving while one read runs wait for it instead of sending their own.
        with self._lock:
            taken = self._taken.get(id(key))
            if taken and time.monotonic() - taken[0] < self.ttl_s:
                return taken[1]
            result = self._read(key)
            self._taken[id(key)] = (time.monotonic(), result)
            return result
