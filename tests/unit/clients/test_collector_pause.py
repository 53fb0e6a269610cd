"""The cyclic collector held off while a step builds many objects, resumed when the last overlapping step ends."""

import gc
import threading

import pytest

from components.clients.collector_pause import collector_paused


@pytest.fixture(autouse=True)
def collector_running():
    gc.enable()
    yield
    gc.enable()


def test_the_collector_is_off_inside_and_running_again_after():
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_nested_pause_leaves_the_collector_off_until_the_outer_one_ends():
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_that_was_off_before_stays_off():
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_an_error_inside_still_resumes_the_collector():
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("the read failed")
    assert gc.isenabled()


def test_overlapping_steps_on_two_threads_resume_the_collector_only_when_both_ended():
    first_inside, second_done, seen = threading.Event(), threading.Event(), []

    def first():
        with collector_paused():
            first_inside.set()
            second_done.wait(5)
            seen.append(("first, after the second ended", gc.isenabled()))

    thread = threading.Thread(target=first)
    thread.start()
    assert first_inside.wait(5)
    with collector_paused():
        pass
    seen.append(("second ended, first still inside", gc.isenabled()))
    second_done.set()
    thread.join(5)
    assert seen == [("second ended, first still inside", False), ("first, after the second ended", False)]
    assert gc.isenabled()
