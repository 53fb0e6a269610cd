"""ZooKeeper's last copy of the metadata, saved by the migration's `finalize` once the controllers left the ensemble
and before its containers go: an archive of one node's data directory (its snapshots and transaction logs; every
node of a quorum holds the same), in a folder of the project the stack is run from."""

from __future__ import annotations

from datetime import datetime

FOLDER = "zookeeper-snapshots"
"""The folder, in the project folder, the archives go to (mode 0700; the archive 0600: it holds the users' salted
SCRAM credentials and the ACLs)."""


def file_name(prefix: str, at: datetime) -> str:
    """`caracal-prod-zookeeper-20261206T221530Z.tar.gz`: the stack's container prefix and the UTC time taken."""
    return f"{prefix}-zookeeper-{at:%Y%m%dT%H%M%SZ}.tar.gz"
