"""What the dynamic providers keep between the calls of one engine operation, in one explicit object.

Lifetime: the engine starts the dynamic-provider host for one `up`, `preview`, `refresh` or `destroy` and ends it
with that operation, so SESSION lives exactly as long as one operation, and nothing in it outlives a run.
Why one module-level object rather than attributes of a provider: in one operation the engine hands calls to
providers unpickled from different versions of the program (a delete gets the provider stored with the old
state, a check the one of the new program), and each unpickled provider is an object of its own; a decision made
in one call (a deletion approved by `check`) must be seen by another (`delete`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from components.clients.acl_snapshot import AclSnapshots
from components.clients.kafka_admin import AdminClients
from components.clients.kafka_batches import KafkaBatches
from components.clients.topic_snapshot import TopicSnapshots
from components.providers.host import widen_if_host


class DeletionApprovals:
    """Topics whose deletion a `check` of this operation cleared (empty, or allowed to lose data), so the delete
    that a replacement then runs may go ahead."""

    def __init__(self) -> None:
        self._names: set[str] = set()
        self._lock = threading.Lock()

    def approve(self, name: str) -> None:
        with self._lock:
            self._names.add(name)

    def approved(self, name: str) -> bool:
        with self._lock:
            return name in self._names


@dataclass(frozen=True)
class ProviderSession:
    admins: AdminClients = field(default_factory=AdminClients)
    """One admin connection per cluster and login."""
    topics: TopicSnapshots = field(default_factory=TopicSnapshots)
    """The batched read of every topic, shared by the refresh of many topics."""
    acls: AclSnapshots = field(default_factory=AclSnapshots)
    """The batched read of every ACL binding, shared by the refresh of many bindings."""
    batches: KafkaBatches = field(default_factory=KafkaBatches)
    """Creates and deletes of topics and ACLs gathered across concurrent calls into one request each."""
    deletions: DeletionApprovals = field(default_factory=DeletionApprovals)
    """Deletions this operation's checks approved."""


SESSION = ProviderSession()

# In the dynamic-provider host, concurrent calls are what the batches gather: let more than four run at once.
widen_if_host()
