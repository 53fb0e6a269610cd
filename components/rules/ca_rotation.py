"""Which certificate authorities a stack trusts and which one signs, during and outside a CA rotation, and which
steps between two of those states keep every connection working. Pure."""

from __future__ import annotations

from dataclasses import dataclass

NONE, TRUST, SIGN = "none", "trust", "sign"
PHASES = (NONE, TRUST, SIGN)
PHASES_ALLOWED = "one of none, trust, sign"


@dataclass(frozen=True)
class Trust:
    trusted: tuple[int, ...]
    """CA generations every server and client trusts."""
    signing: int
    """The generation that signs the server and client certificates."""


def trust(generation: int, phase: str) -> Trust:
    """A rotation to generation N takes three `up`s: `trust` (N-1 signs, both trusted), `sign` (N signs, both
    trusted), `none` (N alone). Each step rolls the cluster; no server ever presents a certificate a peer or a
    client (given the bundle) does not trust."""
    if phase == NONE:
        return Trust((generation,), generation)
    previous = generation - 1
    return Trust((previous, generation), previous if phase == TRUST else generation)


def transition_refusal(old: Trust, new: Trust) -> str | None:
    """Why going from `old` (the last completed `up`) to `new` would break TLS connections, or None."""
    if new.signing != old.signing and new.signing not in old.trusted:
        return (
            f"CA generation {new.signing} would sign the servers' certificates before every server and client "
            f"trusts it (trusted now: {list(old.trusted)}); first run `up` with caGeneration={new.signing} and "
            "caRotation=trust"
        )
    if old.signing not in new.trusted:
        return (
            f"CA generation {old.signing} signed the certificates the servers present now and would no longer be "
            f"trusted; first run `up` with caGeneration={new.signing} and caRotation=sign"
        )
    return None
