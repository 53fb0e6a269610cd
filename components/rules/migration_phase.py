"""The ZooKeeper-to-KRaft migration of a running stack (Kafka 3.9, KIP-866) as a sequence of `up`s, one step each,
driven by the stack key `metadataMigration`. Pure: components/clients/migration_facts.py reads what runs,
infra/migration_check.py hands it in before any resource is registered.

The steps, named after Kafka's phases, in this order:
- `controllers`: KRaft controllers start in migration mode with the cluster's own id; the brokers do not restart.
- `hybrid`: the brokers roll into migration mode; when the last one is back, the active controller copies the
  metadata from ZooKeeper (Kafka's /migration znode records the copy) and becomes the brokers' controller.
- `dual-write`: the brokers roll into KRaft mode; the controllers still write every change to ZooKeeper.
- `finalize`: the controllers roll out of ZooKeeper and the ensemble goes. There is no way back after it.

Where a stack is is read from what runs (each node's own server.properties), not from a record the program keeps:
a step an `up` left half done shows as a step under way, and the next `up` finishes it or takes it back."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

KEY = "metadataMigration"
NONE = ""
CONTROLLERS = "controllers"
HYBRID = "hybrid"
DUAL_WRITE = "dual-write"
FINALIZE = "finalize"
STEPS = (CONTROLLERS, HYBRID, DUAL_WRITE, FINALIZE)
# Index 0 is the ZooKeeper cluster no step has touched.
ORDER = (NONE, *STEPS)
ALLOWED = f"empty, or one of {', '.join(STEPS)} (in this order, one step per `up`)"

# What each node runs as, read from its server.properties.
BROKER_ZOOKEEPER = "zookeeper"
BROKER_MIGRATING = "migrating"
BROKER_KRAFT = "kraft"
CONTROLLER_MIGRATING = "migrating"
CONTROLLER_KRAFT = "kraft"

RESTARTS = {
    CONTROLLERS: "starts the controllers (no broker restarts)",
    HYBRID: "rolls the brokers one at a time into migration mode; Kafka then copies the metadata to the controllers",
    DUAL_WRITE: "rolls the brokers one at a time into KRaft mode",
    FINALIZE: "rolls the controllers one at a time out of ZooKeeper, then removes the ZooKeeper ensemble",
}
# Going back from a completed step (Kafka's rollback for the phase), and what that does. From `hybrid` the way back
# skips `controllers`: Kafka's rollback deprovisions the controllers, whose copy of the metadata would be stale by
# the time a later retry starts them again, and removes the /controller and /migration znodes, so the retry copies
# everything anew (a /migration record left behind made a retry skip the copy and overwrite ZooKeeper:
# strimzi#11262).
BACK = {CONTROLLERS: NONE, HYBRID: NONE, DUAL_WRITE: HYBRID}
GOING_BACK = {
    CONTROLLERS: "removes the controllers, Kafka's /controller (if a controller holds it) and /migration znodes",
    HYBRID: (
        "stops the controllers, removes Kafka's /controller and /migration znodes (a broker becomes ZooKeeper's "
        "controller again), rolls the brokers back to ZooKeeper mode, then removes the controllers and their data"
    ),
    DUAL_WRITE: "rolls the brokers back into migration mode (the controllers keep writing ZooKeeper)",
}


@dataclass(frozen=True)
class MigrationRun:
    """What the running cluster tells this `up` about the migration."""

    cluster_id: str | None = None
    """The running cluster's id, which the controllers serve (a migrated cluster keeps ZooKeeper's)."""
    stop_controllers: int = 0
    """Controllers to stop, with Kafka's migration znodes removed, before any broker rolls back (Kafka's
    rollback from `controllers` or `hybrid`); 0: none."""


@dataclass(frozen=True)
class Observed:
    """Where a running stack stands: the last step every node completed and the step some nodes are in."""

    done: str
    """The last step completed by every node (NONE: a ZooKeeper cluster no step touched)."""
    reached: str
    """The furthest step any node is in: `done`, or the next step while it is under way."""

    @property
    def under_way(self) -> bool:
        return self.reached != self.done


def step_index(step: str) -> int:
    return ORDER.index(step)


def observe(brokers: Sequence[str], controllers: Sequence[str], zookeeper_nodes: int, copied: bool) -> Observed:
    """The phase of a stack whose brokers run as `brokers` (BROKER_*) and controllers as `controllers`
    (CONTROLLER_*), beside `zookeeper_nodes` running ZooKeeper nodes. `copied`: Kafka's migration record says the
    metadata was copied from ZooKeeper (hybrid is complete only then)."""
    broker_steps = [
        step_index({BROKER_ZOOKEEPER: NONE, BROKER_MIGRATING: HYBRID, BROKER_KRAFT: DUAL_WRITE}[mode])
        for mode in brokers
    ] or [0]
    if not controllers:
        # No controller runs: a ZooKeeper cluster (brokers ahead of the controllers cannot serve; shown under way).
        return Observed(NONE, ORDER[max(broker_steps)])
    if any(mode == CONTROLLER_KRAFT for mode in controllers):
        finished = all(mode == CONTROLLER_KRAFT for mode in controllers) and not zookeeper_nodes
        return Observed(FINALIZE if finished else ORDER[min(min(broker_steps), step_index(DUAL_WRITE))], FINALIZE)
    done = max(step_index(CONTROLLERS), min(broker_steps))
    if done == step_index(HYBRID) and not copied:
        done = step_index(CONTROLLERS)
    return Observed(ORDER[done], ORDER[max(done, max(broker_steps))])


def step_refusal(observed: Observed, wanted: str) -> str | None:
    """Why an `up` with metadataMigration = `wanted` may not run on a stack that stands at `observed`; None when
    it may. Allowed: staying, finishing or taking back the step under way, the next step, and the previous step
    before finalize."""
    key = f"{KEY} = {wanted!r}: not allowed now"
    if observed.reached == FINALIZE:
        if wanted == FINALIZE:
            return None
        return (
            f"{key}: the migration was finalized (the controllers left ZooKeeper and no longer write to it, so "
            f"ZooKeeper's copy of the metadata is stale and Kafka cannot go back). Allowed: {FINALIZE!r}, or "
            "metadataQuorum = kraft without metadataMigration"
        )
    done, reached, want = step_index(observed.done), step_index(observed.reached), step_index(wanted)
    # Under way: finish the step or take it back. Otherwise: stay, the next step, or Kafka's way back.
    back = {step_index(BACK[observed.done])} if observed.done in BACK else set()
    allowed = {done, reached} if observed.under_way else {done, done + 1} | back
    if want in allowed:
        return None
    state = _state(observed)
    if want > max(allowed):
        first = ORDER[max(allowed)]
        return f"{key}: {state}; run the step {first!r} first. Allowed: {_listed(allowed)}"
    first = ORDER[min(allowed)]
    shown = repr(first) if first else "empty (metadataMigration unset, controllers 0)"
    return f"{key}: {state}; the way back from here is {shown}. Allowed: {_listed(allowed)}"


def _state(observed: Observed) -> str:
    done = repr(observed.done) if observed.done else "no step"
    if observed.under_way:
        return f"the cluster completed {done} and is part way through {observed.reached!r}"
    return f"the cluster completed {done}"


def _listed(indexes: set[int]) -> str:
    return ", ".join(repr(ORDER[index]) if ORDER[index] else "empty" for index in sorted(indexes))


def status_line(observed: Observed) -> str:
    """Where the migration stands and what the operator runs next, as the `health` command says it."""
    if observed.done == FINALIZE:
        return f"{_state(observed)}; next: set metadataQuorum = kraft and drop {KEY} (no restart)"
    step = observed.reached if observed.under_way else ORDER[step_index(observed.done) + 1]
    return f"{_state(observed)}; next step: {step!r} ({RESTARTS[step]})"


def preview_line(observed: Observed, wanted: str) -> str:
    """What this `up` does, as preview says it."""
    state = _state(observed)
    if wanted == observed.done and not observed.under_way:
        return f"ZooKeeper-to-KRaft migration: {state}; this step makes no change"
    if step_index(wanted) >= step_index(observed.reached):
        return f"ZooKeeper-to-KRaft migration: {state}; this `up` runs {wanted!r}: {RESTARTS[wanted]}"
    back = observed.reached
    return f"ZooKeeper-to-KRaft migration: {state}; this `up` goes back from {back!r}: {GOING_BACK[back]}"


def rolls_back_controllers(observed: Observed, wanted: str) -> bool:
    """This `up` takes the controllers away (Kafka's rollback from `controllers` or `hybrid`): they must stop and
    Kafka's /controller and /migration znodes go before any broker rolls back to ZooKeeper mode."""
    return wanted == NONE and observed.reached in (CONTROLLERS, HYBRID)


def controller_to_restart(waiting: Iterable[int], restarted: Iterable[int], healthy: Mapping[int, bool]) -> int | None:
    """Which controller the migration restarts now so that it registers (Kafka 3.9 leaves a controller whose first
    registration timed out unregistered for good): the lowest id still waiting and not restarted yet, and only
    while every other controller is healthy, so a restart never takes a second controller of the quorum down."""
    left = sorted(set(waiting) - set(restarted))
    if not left:
        return None
    node = left[0]
    return node if all(up for other, up in healthy.items() if other != node) else None


def settings_problems(values: Mapping[str, object], kraft: str) -> list[tuple[str, str]]:
    """(field, allowed) for each setting that contradicts metadataMigration, with a KRaft stack's kind of quorum
    spelled `kraft`."""
    step = values["metadata_migration"]
    if not step:
        return []
    if values["metadata_quorum"] == kraft:
        if step != FINALIZE:
            return [("metadata_migration", f"empty or {FINALIZE!r} with metadataQuorum = {kraft}")]
        return []
    controllers = values["controllers"]
    if not isinstance(controllers, int) or controllers < 1 or controllers % 2 == 0:
        return [
            (
                "controllers",
                f"an odd count from 1 to 7 while {KEY} is set (the controllers the cluster migrates to: 3 for "
                "production)",
            )
        ]
    return []
