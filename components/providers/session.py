"""What the dynamic providers keep between the calls of one engine operation, in one explicit object.

Lifetime: the engine starts the dynamic-provider host for one `up`, `preview`, `refresh` or `destroy` and ends it
with that operation, so SESSION lives exactly as long as one operation, and nothing in it outlives a run.
Why one module-level object rather than attributes of a provider: in one operation the engine hands calls to
providers unpickled from different versions of the program (a delete gets the provider stored with the old
state, a check the one of the new program), and each unpickled provider is an object of its own; a read made
in one call (the refresh of a set) serves the next (its update) only through an object they share.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from components.clients.acl_snapshot import AclSnapshots
from components.clients.kafka_admin import AdminClients
from components.clients.topic_snapshot import TopicSnapshots
from components.providers.host import widen_if_host


@dataclass(frozen=True)
class ProviderSession:
    admins: AdminClients = field(default_factory=AdminClients)
    """One admin connection per cluster and login."""
    topics: TopicSnapshots = field(default_factory=TopicSnapshots)
    """The batched read of every topic, shared by the reads of one operation."""
    acls: AclSnapshots = field(default_factory=AclSnapshots)
    """The batched read of every ACL binding, shared by the reads of one operation."""


SESSION = ProviderSession()

# In the dynamic-provider host, the calls of many resources run at once: let more than four run together.
widen_if_host()
