"""How the program scales with the number of topics, on a real cluster.

Brings up a bench stack (the dev topology on ports of its own) and, for N = 100 and 500 topics, prints:
  - `pulumi up` that creates the topics,
  - `pulumi preview --refresh` with nothing changed (every topic read back and diffed),
  - the floor: one batched admin request describing all N topics' configs,
and the ratio of the refresh preview to the floor. Then destroys the stack.

    python -m bench.topics [N ...]        (make bench, from the project folder)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import yaml
from confluent_kafka.admin import AdminClient, ConfigResource

# The same real-stack driver the end-to-end tests use.
from infra.scratch_stack import Stack


def write_catalog(path: Path, count: int) -> None:
    topics = [{"name": f"bench.topic-{index:04d}", "partitions": 1} for index in range(count)]
    path.write_text(yaml.safe_dump({"defaults": {"compression.type": "snappy"}, "topics": topics}))


def floor_seconds(outputs: dict, count: int) -> float:
    admin = AdminClient(outputs["clientConfigs"]["admin"]["kafka"])
    resources = [ConfigResource(ConfigResource.Type.TOPIC, f"bench.topic-{index:04d}") for index in range(count)]
    admin.list_topics(timeout=30)  # connect first: the floor is the request, not the handshake
    started = time.monotonic()
    admin.list_topics(timeout=30)
    for future in admin.describe_configs(resources).values():
        future.result(timeout=60)
    return time.monotonic() - started


def main(counts: list[int]) -> None:
    folder = Path(tempfile.mkdtemp(prefix="caracal-bench-"))
    catalog = folder / "catalog.yaml"
    write_catalog(catalog, 0)
    stack = Stack.create(
        "dev", "bench", folder / "project", bootstrapPort=19193, registryPort=18181, catalog=str(catalog)
    )
    stack.purge()
    rows = []
    try:
        run = stack.up()
        print(f"cluster up (no topics): {run.seconds:.1f} s", flush=True)
        for count in counts:
            write_catalog(catalog, count)
            up = stack.up()
            preview = stack.pulumi("preview", "--refresh", "--expect-no-changes")
            floor = floor_seconds(stack.outputs(), count)
            rows.append((count, up.seconds, preview.seconds, floor))
            print(
                f"N={count}: up {up.seconds:.1f} s, preview --refresh {preview.seconds:.1f} s, floor {floor:.3f} s",
                flush=True,
            )
    finally:
        stack.destroy()
    print()
    print(
        f"{'topics':>7} {'up (s)':>9} {'preview --refresh (s)':>22} {'floor (s)':>10} {'ratio':>8} "
        f"{'refresh per topic (ms)':>23}"
    )
    for count, up, preview, floor in rows:
        print(
            f"{count:>7} {up:>9.1f} {preview:>22.1f} {floor:>10.3f} {preview / floor:>8.0f} "
            f"{1000 * preview / count:>23.1f}"
        )


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [100, 500])
