"""What a stack manages, as declared in its catalog: topics, schema subjects, client users and ACL bindings, as
plain frozen values."""

from __future__ import annotations

from dataclasses import dataclass, field

from components.rules.acl import IDENTITY, binding_id


@dataclass(frozen=True)
class TopicSpec:
    name: str
    """Kafka topic name."""
    partitions: int
    """Partition count; may grow in place, never shrink."""
    replication_factor: int | None = None
    """Replicas per partition; None takes the stack's replicationFactor."""
    config: dict[str, str] = field(default_factory=dict)
    """Topic config overrides in Kafka's string form (catalog defaults merged in)."""
    allow_data_loss: bool = False
    """Lets a replacement or deletion of a topic that still holds data go ahead."""
    description: str = ""
    """What the topic carries."""
    adopt: bool = False
    """Take over a topic that already exists instead of refusing to touch it."""
    renamed_from: str | None = None
    """The topic's former name: keeps it the same resource, so a rename is a guarded replacement."""

    @property
    def key(self) -> str:
        """The topic's resource name: stable across a rename."""
        return self.renamed_from or self.name


@dataclass(frozen=True)
class SubjectSpec:
    subject: str
    """Registry subject, `<topic>-value` for a topic's value schema."""
    schema_file: str
    """Path of the .avsc file, relative to the schemas folder."""
    schema: str
    """The schema in Avro's canonical form."""
    compatibility: str = "BACKWARD"
    """Compatibility level enforced by the registry for this subject."""
    references: tuple[str, ...] = ()
    """Subjects whose latest schema this one refers to by name; they are registered first."""
    hard_delete: bool = False
    """Deleting the resource deletes the subject permanently instead of soft-deleting it."""
    adopt: bool = False
    """Take over a subject that already exists instead of refusing to touch it."""
    rollback: str = "refuse"
    """When the schema equals an older version of the subject: refuse, reregister or delete_newer."""


@dataclass(frozen=True)
class UserSpec:
    name: str
    """SCRAM user name (Kafka principal User:<name>)."""
    rotation: int = 0
    """Bump to generate a new password; the old one stops working on the next `up`."""
    producer_byte_rate: int | None = None
    """Produce quota in bytes/s per broker, None for unlimited."""
    consumer_byte_rate: int | None = None
    """Fetch quota in bytes/s per broker, None for unlimited."""
    registry: str = "none"
    """What the user may do on the schema registry: none, or read."""
    registry_write: tuple[str, ...] = ()
    """Subjects whose versions, compatibility and existence the user may change (implies read)."""
    existing: bool = False
    """The user exists on the cluster already (made elsewhere): its principal may be named in ACLs and quotas, but
    the stack neither creates it nor manages its password (external platforms only)."""


@dataclass(frozen=True)
class AclSpec:
    principal: str
    """Kafka principal, e.g. User:producer."""
    resource_type: str
    """TOPIC, GROUP, CLUSTER or TRANSACTIONAL_ID."""
    resource_name: str
    """Resource name, or the prefix when pattern_type is PREFIXED."""
    pattern_type: str
    """LITERAL or PREFIXED."""
    operation: str
    """One Kafka ACL operation, e.g. WRITE."""
    permission: str = "ALLOW"
    """ALLOW or DENY."""
    host: str = "*"
    """Client host the binding applies to."""

    def fields(self) -> dict[str, str]:
        """The binding's identity fields by name (asdict without its deep copy: a catalog makes thousands)."""
        return {name: getattr(self, name) for name in IDENTITY}

    @property
    def key(self) -> str:
        """The binding's identity: two bindings are the same binding exactly when their keys match."""
        return binding_id(self.fields())


@dataclass(frozen=True)
class Catalog:
    topics: tuple[TopicSpec, ...]
    """Topics, in declaration order."""
    subjects: tuple[SubjectSpec, ...]
    """Subjects, ordered so that every subject comes after those it references."""
    users: tuple[UserSpec, ...]
    """Client users (the platform users are added by the platform)."""
    acls: tuple[AclSpec, ...]
    """One entry per ACL binding."""
