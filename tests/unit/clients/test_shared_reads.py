"""Reads shared by the calls of one operation; the rounds a batch of topic requests is sent in."""

import threading
import time

import pytest

from components.clients.kafka_batches import _rounds
from components.clients.shared_reads import SharedReads


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
