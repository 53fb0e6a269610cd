"""The dynamic-provider host this process may be: its thread pool, and its watch on the engine.

Pulumi's Python dynamic-provider host (`python -m pulumi.dynamic`) serves gRPC calls from a
`ThreadPoolExecutor(max_workers=4)` that no option changes, shared by every dynamic resource of a stack: however
many creates the engine starts at once, four run and the rest queue, so a batch of concurrent creates could never
hold more than four topics. Inside that host the pool is widened to the engine's parallelism; anywhere else
(the program, the tests) nothing is touched.
"""

from __future__ import annotations

import contextlib
import gc
import os
import socket
import sys
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

HOST_MODULE = "pulumi.dynamic.__main__"
HOST_WORKERS = 4
# The engine's default parallelism is 4 per core; PULUMI_PARALLEL (or --parallel, which the host cannot see)
# may ask for more. Calls beyond the engine's parallelism never come, so more threads would only sit idle.
DEFAULT_WORKERS = 4 * (os.cpu_count() or 1)


def in_provider_host() -> bool:
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    return getattr(spec, "name", None) == HOST_MODULE


def wanted_workers() -> int:
    try:
        return max(int(os.environ.get("PULUMI_PARALLEL", "")), HOST_WORKERS)
    except ValueError:
        return max(DEFAULT_WORKERS, HOST_WORKERS)


def widen(workers: int, executors: Iterable[object] | None = None) -> int:
    """Let the host's pool (the executors with its fixed four workers) start up to `workers` threads; the
    number of pools widened. ThreadPoolExecutor reads its limit each time it considers starting a thread."""
    found = executors if executors is not None else gc.get_objects()
    widened = 0
    for executor in found:
        if isinstance(executor, ThreadPoolExecutor) and getattr(executor, "_max_workers", None) == HOST_WORKERS:
            executor._max_workers = max(workers, HOST_WORKERS)  # no public way to grow a pool
            widened += 1
    return widened


# The engine starts the host with its own address. When the engine is killed (`up` interrupted), nothing stops the
# host: it would go on applying a change no state will record, and could undo (roll back) what the next `up` makes.
ENGINE_CHECK_S = 0.5
ENGINE_MISSES = 2


def engine_address(argv: list[str]) -> tuple[str, int] | None:
    """The engine's address the host was started with (`python -m pulumi.dynamic HOST:PORT`)."""
    for arg in argv[1:]:
        host, _, port = arg.rpartition(":")
        if host and port.isdigit():
            return host, int(port)
    return None


def engine_alive(address: tuple[str, int] | None) -> bool:
    if address is None:
        return True
    try:
        socket.create_connection(address, timeout=1.0).close()
    except OSError:
        return False
    return True


def watch_engine(address: tuple[str, int], exit_process=os._exit) -> threading.Thread:
    """Stop this process as soon as the engine that started it is gone, whatever it was doing."""

    def watch() -> None:
        missed = 0
        while True:
            time.sleep(ENGINE_CHECK_S)
            missed = 0 if engine_alive(address) else missed + 1
            if missed >= ENGINE_MISSES:
                # Its stderr was a pipe to the engine: telling may fail (broken pipe), stopping may not.
                with contextlib.suppress(OSError, ValueError):
                    print("the Pulumi engine is gone: the dynamic-provider host stops", file=sys.stderr, flush=True)
                exit_process(1)
                return

    thread = threading.Thread(target=watch, name="engine-watch", daemon=True)
    thread.start()
    return thread


ENGINE = engine_address(sys.argv) if in_provider_host() else None


def widen_if_host() -> None:
    if in_provider_host():
        widen(wanted_workers())
        if ENGINE is not None:
            watch_engine(ENGINE)
