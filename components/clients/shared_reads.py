"""One read of everything of a kind, shared by the calls of one operation: the refresh of a thousand resources
reads the cluster once, not a thousand times."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from components.clients.collector_pause import collector_paused

Result = TypeVar("Result")


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
            # A read of everything builds an object per topic, binding or config key: thousands at once.
            with collector_paused():
                result = self._read(key)
            self._taken[id(key)] = (time.monotonic(), result)
            return result
