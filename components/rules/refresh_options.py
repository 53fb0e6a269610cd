"""How `up` and `preview` read the real state before they change anything, per platform. Pure: no I/O.

Both always refresh first: drift shows in a preview, and `up` puts the declared state back. On an external stack
the refresh is driven by the program (`--run-program`): the engine reads each resource when the program declares
it, so the reads run while the program is still starting and one dynamic-provider host serves reads and diffs.
A separate refresh phase instead waits for every read before it starts the program, then starts a second host.
External stacks are where catalogs grow to thousands of topics, and this is most of what a no-op preview costs
there beyond Kafka's own answer.

A stack that runs its own platform keeps the separate phase. It holds the one resource recorded under another
provider by an earlier release (the network, taken over through an alias): that phase reads the former record
with the provider that wrote it, a program-driven refresh would hand it to the new one. Nor would it gain: its
resources are declared in chains, each waiting for the outputs of the one before.
"""

from __future__ import annotations

from components.rules.platform_target import EXTERNAL

REFRESH = ("--refresh",)
PROGRAM_DRIVEN_REFRESH = ("--refresh", "--run-program")


def refresh_options(platform: str) -> tuple[str, ...]:
    """The `pulumi up` / `pulumi preview` options that read the real state first on a stack of `platform`."""
    return PROGRAM_DRIVEN_REFRESH if platform == EXTERNAL else REFRESH
