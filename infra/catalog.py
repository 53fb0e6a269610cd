"""Reading and validating the catalog file: every problem is named by its place in the file and what is allowed."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

from components.clients.collector_pause import collector_paused

# The catalog allows exactly what the providers accept: one definition of each rule.
from components.rules.acl import OPERATIONS, PATTERN_TYPES, PERMISSIONS, RESOURCE_TYPES
from components.rules.avro_schema import SchemaError, full_name, parse_avro
from components.rules.catalog import AclSpec, Catalog, SubjectSpec, TopicSpec, UserSpec
from components.rules.names import (
    CLUSTER_RESOURCE_NAME,
    INTERNAL_TOPIC_PREFIX,
    MAX_PARTITIONS,
    MAX_REPLICATION_FACTOR,
    PLATFORM_USERS,
    SUBJECT_NAME,
    SUBJECT_NAME_ALLOWED,
    TOPIC_NAME,
    TOPIC_NAME_ALLOWED,
    USER_NAME,
    USER_NAME_ALLOWED,
    is_internal_topic,
    is_topic_name,
)
from components.rules.registry_access import ACCESS_LEVELS
from components.rules.subject import COMPATIBILITY_LEVELS, ROLLBACK_MODES
from infra import catalog_cache
from infra.catalog_reader import CatalogError, Reader

_SECTIONS = {"defaults", "topics", "subjects", "users", "acls"}
_TOPIC_KEYS = {
    "name",
    "partitions",
    "replication_factor",
    "config",
    "schema",
    "compatibility",
    "allow_data_loss",
    "description",
    "renamed_from",
    "adopt",
    "rollback",
}
_SUBJECT_KEYS = {"subject", "schema", "compatibility", "references", "hard_delete", "adopt", "rollback"}
_USER_KEYS = {"name", "rotation", "producer_byte_rate", "consumer_byte_rate", "registry", "registry_write", "existing"}
_ACL_KEYS = {"principal", "resource_type", "resource_name", "pattern_type", "operations", "permission", "host"}


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PARSER_ID = f"PyYAML {yaml.__version__} {_FAST_LOADER.__name__}"


def _load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_FAST_LOADER)


def load_catalog(path: Path, schemas_dir: Path) -> Catalog:
    """Read `path` (YAML) and return the validated catalog, or raise CatalogError listing every problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CatalogError([f"{path}: cannot be read: {error.strerror}"]) from None
    try:
        # libyaml parses a catalog of thousands of topics in a tenth of the time, and every preview reads it: a
        # large one read before comes from the cache (infra/catalog_cache.py).
        with collector_paused():
            document = catalog_cache.parsed(text, _load_yaml, _PARSER_ID) or {}
    except yaml.YAMLError:
        try:
            # The pure-Python parser's message quotes the offending line; libyaml's gives only its position.
            yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise CatalogError([f"{path}: not valid YAML: {error}"]) from None
        raise
    with collector_paused():
        return parse_catalog(document, schemas_dir)


def parse_catalog(document: Any, schemas_dir: Path) -> Catalog:
    """Validate a catalog document already read from YAML."""
    reader = Reader(schemas_dir)
    root = reader.mapping("catalog", document, _SECTIONS)
    defaults = reader.topic_config("defaults", root.get("defaults"))
    topics, topic_subjects = _topics(reader, root.get("topics") or [], defaults)
    subjects = _order_subjects(reader, topic_subjects + _subjects(reader, root.get("subjects") or []))
    users = _users(reader, root.get("users") or [])
    acls = _acls(reader, root.get("acls") or [], {user.name for user in users} | set(PLATFORM_USERS))
    if reader.problems:
        raise CatalogError(reader.problems)
    return Catalog(topics=tuple(topics), subjects=tuple(subjects), users=tuple(users), acls=tuple(acls))


def _each(reader: Reader, section: str, items: Any) -> list[tuple[str, Any]]:
    if not isinstance(items, list):
        reader.fail(section, "must be a list")
        return []
    return [(f"{section}[{index}]", item) for index, item in enumerate(items)]


def _unique(reader: Reader, where: str, seen: set[str], key: str, what: str) -> None:
    if key in seen:
        reader.fail(where, f"{what} {key!r} is declared twice")
    seen.add(key)


def _topics(reader: Reader, items: Any, defaults: dict[str, str]) -> tuple[list[TopicSpec], list[SubjectSpec]]:
    topics: list[TopicSpec] = []
    subjects: list[SubjectSpec] = []
    # Kafka treats '.' and '_' as the same character in metric names and refuses topics that collide so.
    seen: set[str] = set()
    for where, item in _each(reader, "topics", items):
        entry = reader.mapping(where, item, _TOPIC_KEYS)
        name = reader.name(f"{where}.name", entry.get("name"), TOPIC_NAME, f"{TOPIC_NAME_ALLOWED}, not '.' or '..'")
        if is_internal_topic(name):
            reader.fail(
                f"{where}.name",
                f"{name!r} is not allowed: names starting with {INTERNAL_TOPIC_PREFIX!r} are Kafka's and its tools' "
                "internal topics; allowed: any other name",
            )
        where = f"topics[{name}]"
        _unique(reader, where, seen, name.replace(".", "_"), "topic (with '.' and '_' treated alike)")
        partitions = reader.integer(f"{where}.partitions", entry.get("partitions"), 1, MAX_PARTITIONS)
        replication = entry.get("replication_factor")
        if replication is not None:
            replication = reader.integer(f"{where}.replication_factor", replication, 1, MAX_REPLICATION_FACTOR)
        topics.append(
            TopicSpec(
                name=name,
                partitions=partitions or 1,
                replication_factor=replication,
                config={**defaults, **reader.topic_config(f"{where}.config", entry.get("config"))},
                allow_data_loss=reader.boolean(f"{where}.allow_data_loss", entry.get("allow_data_loss", False)),
                description=str(entry.get("description", "")),
                renamed_from=_former_name(reader, where, entry.get("renamed_from")),
                adopt=reader.boolean(f"{where}.adopt", entry.get("adopt", False)),
            )
        )
        if "schema" in entry:
            subject = {"subject": f"{name}-value", "schema": entry["schema"], "adopt": entry.get("adopt", False)}
            for key in ("compatibility", "rollback"):
                if key in entry:
                    subject[key] = entry[key]
            subjects.extend(_subjects(reader, [subject], section=where))
        for key in ("compatibility", "rollback"):
            if key in entry and "schema" not in entry:
                reader.fail(f"{where}.{key}", "needs a schema")
    return topics, subjects


def _former_name(reader: Reader, where: str, value: Any) -> str | None:
    if value is None:
        return None
    return reader.name(f"{where}.renamed_from", value, TOPIC_NAME, "the topic's former name")


def _subjects(reader: Reader, items: Any, section: str = "subjects") -> list[SubjectSpec]:
    subjects = []
    for where, item in _each(reader, section, items):
        if section != "subjects":
            where = section
        entry = reader.mapping(where, item, _SUBJECT_KEYS)
        name = reader.name(f"{where}.subject", entry.get("subject"), SUBJECT_NAME, SUBJECT_NAME_ALLOWED)
        references = entry.get("references") or []
        if not isinstance(references, list) or not all(isinstance(ref, str) for ref in references):
            reader.fail(f"{where}.references", "must be a list of subject names")
            references = []
        subjects.append(
            SubjectSpec(
                subject=name,
                schema_file=str(entry.get("schema")),
                schema=reader.schema_text(f"{where}.schema", entry.get("schema")) or "",
                compatibility=reader.choice(
                    f"{where}.compatibility", entry.get("compatibility", "BACKWARD"), COMPATIBILITY_LEVELS
                ),
                references=tuple(references),
                hard_delete=reader.boolean(f"{where}.hard_delete", entry.get("hard_delete", False)),
                adopt=reader.boolean(f"{where}.adopt", entry.get("adopt", False)),
                rollback=reader.choice(
                    f"{where}.rollback", entry.get("rollback", "refuse"), ROLLBACK_MODES, lower=True
                ),
            )
        )
    return subjects


def _order_subjects(reader: Reader, subjects: list[SubjectSpec]) -> list[SubjectSpec]:
    """Referenced subjects first, each schema parsed with the named types it references."""
    by_name: dict[str, SubjectSpec] = {}
    for subject in subjects:
        _unique(reader, f"subjects[{subject.subject}]", set(by_name), subject.subject, "subject")
        by_name[subject.subject] = subject
    ordered: dict[str, SubjectSpec] = {}
    visiting: set[str] = set()

    def visit(subject: SubjectSpec) -> None:
        if subject.subject in ordered or subject.subject in visiting:
            if subject.subject in visiting:
                reader.fail(f"subjects[{subject.subject}].references", "references form a cycle")
            return
        visiting.add(subject.subject)
        named: dict[str, str] = {}
        for reference in subject.references:
            target = by_name.get(reference)
            if target is None:
                reader.fail(f"subjects[{subject.subject}].references", f"{reference!r} is not a declared subject")
                continue
            visit(target)
            named[reference] = ordered[reference].schema if reference in ordered else target.schema
        visiting.discard(subject.subject)
        ordered[subject.subject] = _parsed(reader, subject, named)

    for subject in subjects:
        visit(subject)
    return list(ordered.values())


def _parsed(reader: Reader, subject: SubjectSpec, named: dict[str, str]) -> SubjectSpec:
    if not subject.schema:
        return subject
    try:
        canonical = parse_avro(subject.schema, named)
        for text in named.values():
            full_name(text)
    except SchemaError as error:
        reader.fail(f"subjects[{subject.subject}].schema", f"{subject.schema_file}: {error}")
        return subject
    return SubjectSpec(**{**subject.__dict__, "schema": canonical})


def _users(reader: Reader, items: Any) -> list[UserSpec]:
    users: list[UserSpec] = []
    seen: set[str] = set()
    for where, item in _each(reader, "users", items):
        entry = reader.mapping(where, item, _USER_KEYS)
        name = reader.name(
            f"{where}.name",
            entry.get("name"),
            USER_NAME,
            USER_NAME_ALLOWED,
        )
        if name in PLATFORM_USERS:
            reader.fail(f"{where}.name", f"{name!r} is managed by the platform; allowed: any other name")
        _unique(reader, f"users[{name}]", seen, name, "user")
        rates = {
            key: _rate(reader, f"users[{name}].{key}", entry.get(key))
            for key in ("producer_byte_rate", "consumer_byte_rate")
        }
        rotation = reader.integer(f"users[{name}].rotation", entry.get("rotation", 0), 0, 1_000_000)
        access = str(entry.get("registry", "none")).lower()
        if access not in ACCESS_LEVELS:
            reader.fail(
                f"users[{name}].registry",
                f"{entry.get('registry')!r} is not allowed; allowed: {', '.join(ACCESS_LEVELS)}",
            )
        users.append(
            UserSpec(
                name=name,
                rotation=rotation or 0,
                **rates,
                registry=access,
                registry_write=_subject_names(reader, f"users[{name}].registry_write", entry.get("registry_write")),
                existing=reader.boolean(f"users[{name}].existing", entry.get("existing", False)),
            )
        )
    return users


def _subject_names(reader: Reader, where: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        reader.fail(where, f"must be a list of subject names ({SUBJECT_NAME_ALLOWED})")
        return ()
    return tuple(reader.name(where, item, SUBJECT_NAME, SUBJECT_NAME_ALLOWED) for item in value)


def _rate(reader: Reader, where: str, value: Any) -> int | None:
    return None if value is None else reader.integer(where, value, 1024, 10**12)


def _acls(reader: Reader, items: Any, principals: set[str]) -> list[AclSpec]:
    acls: list[AclSpec] = []
    seen: set[str] = set()
    for where, item in _each(reader, "acls", items):
        entry = reader.mapping(where, item, _ACL_KEYS)
        principal = str(entry.get("principal", ""))
        user = principal.removeprefix("User:")
        if user not in principals:
            reader.fail(
                f"{where}.principal",
                f"{principal!r} is not allowed; allowed: one of the users {', '.join(sorted(principals))}",
            )
        resource_type = reader.choice(f"{where}.resource_type", entry.get("resource_type"), RESOURCE_TYPES)
        pattern = reader.choice(f"{where}.pattern_type", entry.get("pattern_type", "LITERAL"), PATTERN_TYPES)
        resource_name = _resource_name(reader, where, resource_type, entry.get("resource_name"))
        operations = entry.get("operations")
        if not isinstance(operations, list) or not operations:
            reader.fail(f"{where}.operations", f"must be a non-empty list of {', '.join(OPERATIONS)}")
            operations = []
        for operation in operations:
            acl = AclSpec(
                principal=f"User:{user}",
                resource_type=resource_type,
                resource_name=resource_name,
                pattern_type=pattern,
                operation=reader.choice(f"{where}.operations", operation, OPERATIONS),
                permission=reader.choice(f"{where}.permission", entry.get("permission", "ALLOW"), PERMISSIONS),
                host=str(entry.get("host", "*")),
            )
            _unique(reader, where, seen, acl.key, "ACL binding")
            acls.append(acl)
    return acls


def _resource_name(reader: Reader, where: str, resource_type: str, value: Any) -> str:
    checks: Mapping[str, Callable[[str], bool]] = {
        "CLUSTER": lambda name: name == CLUSTER_RESOURCE_NAME,
        "TOPIC": is_topic_name,
    }
    name = str(value or "")
    if not name or name == "*" or not checks.get(resource_type, lambda _: True)(name):
        allowed = CLUSTER_RESOURCE_NAME if resource_type == "CLUSTER" else "a non-empty name or prefix, not '*'"
        reader.fail(f"{where}.resource_name", f"{value!r} is not allowed; allowed: {allowed}")
    return name
