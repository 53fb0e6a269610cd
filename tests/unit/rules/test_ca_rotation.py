"""A CA rotation in three steps, and the steps refused because they would break TLS connections."""

from __future__ import annotations

import pytest

from components.rules.ca_rotation import Trust, transition_refusal, trust


def test_the_three_steps_of_a_rotation_to_generation_one():
    assert trust(0, "none") == Trust((0,), 0)
    assert trust(1, "trust") == Trust((0, 1), 0)
    assert trust(1, "sign") == Trust((0, 1), 1)
    assert trust(1, "none") == Trust((1,), 1)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ((0, "none"), (1, "trust")),
        ((1, "trust"), (1, "sign")),
        ((1, "sign"), (1, "none")),
        ((1, "none"), (2, "trust")),
        # Back out of a rotation before the new CA signs anything.
        ((1, "trust"), (0, "none")),
        ((1, "none"), (1, "none")),
    ],
)
def test_each_step_in_order_keeps_every_connection_trusted(old, new):
    assert transition_refusal(trust(*old), trust(*new)) is None


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ((0, "none"), (1, "sign"), "caRotation=trust"),
        ((0, "none"), (1, "none"), "caRotation=trust"),
        ((1, "trust"), (1, "none"), "caRotation=sign"),
        ((1, "sign"), (0, "none"), "no longer be trusted"),
    ],
)
def test_a_skipped_step_is_refused_naming_the_step_to_run_first(old, new, says):
    refusal = transition_refusal(trust(*old), trust(*new))
    assert refusal is not None and says in refusal
