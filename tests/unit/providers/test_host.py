import threading
from concurrent.futures import ThreadPoolExecutor

from components.providers import host


def test_the_host_pool_of_four_workers_is_widened_and_then_runs_more_calls_at_once():
    pool = ThreadPoolExecutor(max_workers=4)
    assert host.widen(8, [pool]) == 1
    started = threading.Barrier(8, timeout=5)
    # Eight calls that each wait for all eight to have started: only possible with eight threads.
    futures = [pool.submit(started.wait) for _ in range(8)]
    assert all(future.result(timeout=10) is not None for future in futures)
    pool.shutdown()


def test_other_pools_are_left_as_they_are():
    other = ThreadPoolExecutor(max_workers=2)
    assert host.widen(16, [other, object()]) == 0
    assert other._max_workers == 2
    other.shutdown()


def test_outside_the_provider_host_nothing_is_widened():
    assert not host.in_provider_host()


def test_the_width_follows_pulumi_parallel_and_never_goes_below_the_hosts_own(monkeypatch):
    monkeypatch.setenv("PULUMI_PARALLEL", "24")
    assert host.wanted_workers() == 24
    monkeypatch.setenv("PULUMI_PARALLEL", "2")
    assert host.wanted_workers() == 4
    monkeypatch.delenv("PULUMI_PARALLEL")
    assert host.wanted_workers() == max(host.DEFAULT_WORKERS, 4)


def test_the_engine_address_is_the_hosts_argument():
    assert host.engine_address(["__main__.py", "127.0.0.1:34253"]) == ("127.0.0.1", 34253)
    assert host.engine_address(["__main__.py"]) is None
    # `pulumi up --tracing ...` or `--otel-traces ...`: the trace collector's address comes first.
    traced = ["__main__.py", "--tracing", "tcp://127.0.0.1:41375", "127.0.0.1:35299"]
    assert host.engine_address(traced) == ("127.0.0.1", 35299)
    assert host.engine_address(["__main__.py", "--tracing", "tcp://127.0.0.1:41375"]) is None


def test_the_host_stops_once_the_engine_no_longer_answers(monkeypatch):
    import socket
    import threading

    listener = socket.create_server(("127.0.0.1", 0))
    address = listener.getsockname()
    assert host.engine_alive(address)
    listener.close()
    assert not host.engine_alive(address)
    monkeypatch.setattr(host, "ENGINE_CHECK_S", 0.01)
    stopped = threading.Event()
    host.watch_engine(address, exit_process=lambda _code: stopped.set()).join(timeout=5)
    assert stopped.is_set()


# A process that ends as the dynamic-provider host does: serving until SIGINT, then returning from main. Its slow
# teardown is an exit hook registered before the project's code is loaded (as grpc's and the interpreter's are).
HOST_LIKE = r"""
import atexit, signal, sys, threading, time
# As the engine starts its plugins: SIGINT raises KeyboardInterrupt, also where the tests were started in the
# background of a shell, which leaves SIGINT ignored for everything started from there.
signal.signal(signal.SIGINT, signal.default_int_handler)
atexit.register(time.sleep, 3)
from components.providers import host
host.exit_without_teardown()
print("last words", end="")  # still in stdout's buffer when SIGINT comes
sys.stderr.write("serving\n")
sys.stderr.flush()
try:
    threading.Event().wait()
except KeyboardInterrupt:
    pass
"""


def test_the_host_exits_at_once_on_the_engines_sigint_with_its_output_flushed():
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    process = subprocess.Popen(
        [sys.executable, "-c", HOST_LIKE], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr.readline() == "serving\n"
    time.sleep(0.2)  # into its wait
    started = time.monotonic()
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == 0
    # The engine closes the next plugin only when this one has exited, and their Cancel calls share one 5 s budget.
    assert time.monotonic() - started < 1.5
    assert process.stdout.read() == "last words"
