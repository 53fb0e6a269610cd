"""The dynamic-provider host this process may be: its thread pool, its watch on the engine, and its exit.

Pulumi's Python dynamic-provider host (`python -m pulumi.dynamic`) serves gRPC calls from a
`ThreadPoolExecutor(max_workers=4)` that no option changes, shared by every dynamic resource of a stack: however
many creates the engine starts at once, four run and the rest queue, so a batch of concurrent creates could never
hold more than four topics. Inside that host the pool is widened to the engine's parallelism; anywhere else
(the program, the tests) nothing is touched.
"""

from __future__ import annotations

import atexit
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
    """The engine's address the host was started with: its last argument (`python -m pulumi.dynamic [--tracing
    tcp://HOST:PORT] HOST:PORT`). With `--tracing` or `--otel-traces` the engine passes its trace collector's
    address first, an address that must never be taken for the engine's: the host would find it closed and stop."""
    arg = argv[-1] if len(argv) > 1 else ""
    host, _, port = arg.rpartition(":")
    if host and "/" not in host and not arg.startswith("-") and port.isdigit():
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


# When the engine is done with its plugins it closes them one after another: a Cancel call, then SIGINT, then it
# waits for the process to exit before the next. The Cancel calls of all of them share one 5 s deadline
# (pkg/host/host.go, ReleaseContext, Pulumi 3.259): once the exits before have used it up, each plugin after gets a
# failed Cancel and is reported as "exited prematurely. This is *always* a bug in the provider", although it exited
# as asked. This host is the slow one: on SIGINT its interpreter tears down every module and the Kafka clients
# (librdkafka waits for its threads), 0.3-0.9 s each time on a busy machine, and a docker stack's preview has two
# of them (the refresh's and the preview's) among eight plugins.


def exit_without_teardown(exit_process=os._exit) -> None:
    """End the host as soon as it has stopped serving, skipping the interpreter's teardown. The host's main returns
    only after SIGINT, the engine's "done with you" (its `Event().wait()` never ends otherwise), and exits 0 then;
    the engine waits for nothing the teardown would do: every call has answered, and no state is left to save."""

    def finish() -> None:
        with contextlib.suppress(OSError, ValueError):
            sys.stdout.flush()
            sys.stderr.flush()
        exit_process(0)

    # atexit handlers run once the threads are joined (the gRPC pool's workers, idle by now) and before the teardown.
    atexit.register(finish)


ENGINE = engine_address(sys.argv) if in_provider_host() else None


def widen_if_host() -> None:
    if in_provider_host():
        widen(wanted_workers())
        exit_without_teardown()
        if ENGINE is not None:
            watch_engine(ENGINE)
