import threading
import time

import pytest

from components.clients.batching import Batcher, SharedReads
from components.clients.kafka_batches import _rounds


def run_concurrently(calls):
    results = [None] * len(calls)

    def run(index, call):
        try:
            results[index] = call()
        except Exception as error:  # the test looks at what each caller got
            results[index] = error

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_submissions_under_one_key_are_sent_as_one_batch_each_caller_getting_its_own_result():
    batches = []

    def send(key, items):
        batches.append((key, list(items)))
        return [item * 10 for item in items]

    batcher = Batcher(send, window_s=0.2)
    key = object()
    results = run_concurrently([lambda item=item: batcher.submit(key, item) for item in range(5)])
    assert results == [0, 10, 20, 30, 40]
    assert len(batches) == 1 and sorted(batches[0][1]) == [0, 1, 2, 3, 4]


def test_submissions_under_different_keys_are_never_mixed_in_one_request():
    seen = []

    def send(key, items):
        seen.append((key, sorted(items)))
        return list(items)

    batcher = Batcher(send, window_s=0.1)
    first, second = object(), object()
    run_concurrently([lambda: batcher.submit(first, 1), lambda: batcher.submit(second, 2)])
    assert sorted(items for _, items in seen) == [[1], [2]]


def test_an_error_for_one_item_is_raised_to_that_caller_alone():
    def send(_key, items):
        return [ValueError(f"bad {item}") if item == 2 else item for item in items]

    batcher = Batcher(send, window_s=0.1)
    key = object()
    results = run_concurrently([lambda item=item: batcher.submit(key, item) for item in (1, 2, 3)])
    assert results[0] == 1 and results[2] == 3
    assert isinstance(results[1], ValueError) and str(results[1]) == "bad 2"


def test_a_failed_request_fails_every_caller_of_its_batch():
    def send(_key, _items):
        raise ConnectionError("cluster unreachable")

    batcher = Batcher(send, window_s=0.1)
    key = object()
    results = run_concurrently([lambda item=item: batcher.submit(key, item) for item in (1, 2)])
    assert all(isinstance(result, ConnectionError) for result in results)


def test_a_batch_larger_than_the_limit_is_split_into_requests_of_at_most_that_size():
    sizes = []

    def send(_key, items):
        sizes.append(len(items))
        return list(items)

    batcher = Batcher(send, window_s=0.2, max_items=2)
    key = object()
    run_concurrently([lambda item=item: batcher.submit(key, item) for item in range(5)])
    assert sorted(sizes) == [1, 2, 2]


def test_a_lone_call_is_sent_after_the_window_alone():
    batcher = Batcher(lambda _key, items: [len(items)], window_s=0.01)
    started = time.monotonic()
    assert batcher.submit(object(), "only") == 1
    assert time.monotonic() - started < 1


def test_names_repeated_in_a_batch_go_to_separate_rounds_keeping_each_round_unique():
    names = ["a", "b", "a", "c", "a"]
    rounds = _rounds(names, lambda name: name)
    assert rounds == [[[0, 1, 3]], [[2]], [[4]]]
    assert sorted(index for requests in rounds for indexes in requests for index in indexes) == list(range(len(names)))


def test_shared_reads_read_once_for_concurrent_callers_and_again_after_invalidation():
    reads = []

    def read(key):
        reads.append(key)
        time.sleep(0.05)
        return len(reads)

    shared = SharedReads(read, ttl_s=60)
    key = object()
    assert run_concurrently([lambda: shared.get(key)] * 4) == [1, 1, 1, 1]
    shared.invalidate()
    assert shared.get(key) == 2


@pytest.mark.parametrize("ttl_s, expected", [(60, 1), (0, 2)])
def test_shared_reads_are_taken_again_once_older_than_their_ttl(ttl_s, expected):
    calls = []
    shared = SharedReads(lambda key: calls.append(key) or len(calls), ttl_s=ttl_s)
    key = object()
    shared.get(key)
    assert shared.get(key) == expected
