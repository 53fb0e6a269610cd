"""What the consumer-lag exporter's own Kafka user may do: describe the topics and groups the catalog's ACLs name
(the same names and pattern types), nothing else. Describe on a group allows reading its committed offsets
(OffsetFetch) and lists it (ListGroups without Describe on the cluster lists only such groups); Describe on a
topic allows its metadata and end offsets (ListOffsets)."""

from __future__ import annotations

from collections.abc import Iterable

from components.rules.catalog import AclSpec
from components.rules.names import CONSUMER_LAG_USER


def lag_acls(catalog_acls: Iterable[AclSpec], topics: Iterable[str]) -> list[AclSpec]:
    """DESCRIBE on every topic and group pattern of the catalog's bindings, and on each catalog topic by name."""
    principal = f"User:{CONSUMER_LAG_USER}"
    patterns = {
        (acl.resource_type, acl.resource_name, acl.pattern_type)
        for acl in catalog_acls
        if acl.resource_type in ("TOPIC", "GROUP")
    }
    patterns |= {("TOPIC", topic, "LITERAL") for topic in topics}
    return [AclSpec(principal, kind, name, pattern, "DESCRIBE") for kind, name, pattern in sorted(patterns)]
