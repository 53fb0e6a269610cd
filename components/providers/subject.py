"""A schema subject as a Pulumi resource (dynamic provider): its schema is checked against the registry's
compatibility rules during preview, so an incompatible change fails before anything is applied."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from components.clients.registry import RegistryClient, RegistryError
from components.providers.props import check_result
from components.providers.resource import PlatformProvider, PlatformResource, ResourceArgs
from components.rules.avro_schema import canonical_schema
from components.rules.names import SUBJECT
from components.rules.subject import (
    check_subject,
    diff_subject,
    older_version_matching,
    rollback_refusal,
    versions_after,
)
from components.rules.values import Failure, is_unknown

SECRET_OUTPUTS = ("registry",)
_OUTPUT_KEYS = (
    "subject",
    "schema",
    "compatibility",
    "references",
    "hard_delete",
    "adopt",
    "rollback",
    "registry",
    "version",
    "schema_id",
)


@dataclass(frozen=True)
class SubjectArgs(ResourceArgs):
    subject: str
    """Registry subject, `<topic>-value` for a topic's value schema."""
    schema: str
    """The Avro schema; compared in canonical form."""
    compatibility: str
    """Compatibility level the registry enforces for the subject."""
    registry: pulumi.Input[Mapping[str, str]]
    """Where the registry is and the program's login there: url, ca_pem, username, password (secret)."""
    references: Sequence[Mapping[str, Any]] = field(default_factory=tuple)
    """Confluent schema references: name, subject, version."""
    reference_schemas: Mapping[str, str] = field(default_factory=dict)
    """The referenced subjects' schemas, so check can parse this one with their named types."""
    hard_delete: bool = False
    """Deleting the resource deletes the subject permanently instead of soft-deleting it."""
    adopt: bool = False
    """Take over a subject that already exists instead of refusing to touch it."""
    rollback: str = "refuse"
    """When the schema equals an older version: refuse, reregister (as the newest) or delete_newer (soft-delete)."""


def _known(connection: Any) -> bool:
    """False during a preview of a registry that does not exist yet (its address or login is still unknown)."""
    return (
        isinstance(connection, Mapping)
        and all(isinstance(connection.get(key), str) for key in ("url", "ca_pem"))
        and not any(is_unknown(value) for value in connection.values())
    )


def _client(registry: Mapping[str, str]) -> RegistryClient:
    return RegistryClient.from_connection(registry)


class SubjectProvider(PlatformProvider):
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs, failures = check_subject(news)
        if not failures and olds and _known(news.get("registry")) and inputs.get("schema") != olds.get("schema"):
            rollback = _rollback(_client(inputs["registry"]), inputs)
            if rollback and inputs["rollback"] == "refuse":
                failures.append(Failure("schema", rollback_refusal(inputs["subject"], *rollback)))
                return check_result(inputs, failures)
            # Soft-deleting newer versions registers nothing: there is nothing for the registry to judge.
            reasons = None if rollback and inputs["rollback"] == "delete_newer" else _incompatibilities(inputs)
            if reasons:
                failures.append(
                    Failure(
                        "schema",
                        f"subject {inputs['subject']}: the new schema is refused by the registry's "
                        f"{inputs['compatibility']} rule: {'; '.join(reasons)}",
                    )
                )
        return check_result(inputs, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        result = diff_subject(olds, news)
        return DiffResult(changes=result.changes, replaces=result.replaces, delete_before_replace=True)

    def create(self, props: dict[str, Any]) -> CreateResult:
        client = _client(props["registry"])
        subject = props["subject"]
        existing = client.latest(subject)
        if existing is not None and not props.get("adopt"):
            raise RegistryError(
                409,
                f"subject {subject} already exists and is not managed by this stack: it is left untouched; "
                "to manage it from now on, declare it with `adopt: true`",
            )
        previous_level = client.compatibility(subject) if existing else None
        client.set_compatibility(subject, props["compatibility"])
        if existing is None or canonical_schema(existing["schema"]) != props["schema"]:
            try:
                _make_latest(client, props)
            except RegistryError:
                # Leave things as they were: no level on a subject never created, the old level on an adopted one.
                if previous_level:
                    client.set_compatibility(subject, previous_level)
                else:
                    client.delete_compatibility(subject)
                raise
        return CreateResult(subject, _outputs(props, client))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        client = _client(props["registry"])
        latest = client.latest(id_)
        if latest is None:
            return ReadResult(None, {})
        outputs = {
            **props,
            "subject": id_,
            "schema": canonical_schema(latest["schema"]),
            "version": latest["version"],
            "schema_id": latest["id"],
            "compatibility": client.compatibility(id_) or props.get("compatibility"),
        }
        inputs = {key: outputs.get(key) for key in ("subject", "schema", "compatibility", "references", "registry")}
        inputs["hard_delete"] = bool(props.get("hard_delete", False))
        inputs["adopt"] = bool(props.get("adopt", False))
        inputs["rollback"] = props.get("rollback") or "refuse"
        inputs["reference_schemas"] = props.get("reference_schemas") or {}
        return ReadResult(id_, outputs, inputs)

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        result = diff_subject(olds, news)
        client = _client(news["registry"])
        subject = news["subject"]
        if result.new_compatibility:
            client.set_compatibility(subject, news["compatibility"])
        if result.new_version:
            try:
                _make_latest(client, news)
            except RegistryError:
                # A refused version leaves the subject as it was, level included, and the state unchanged.
                if result.new_compatibility:
                    client.set_compatibility(subject, olds["compatibility"])
                raise
        return UpdateResult(_outputs(news, client))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        client = _client(props["registry"])
        client.delete_subject(id_, permanent=bool(props.get("hard_delete")))


def _history(client: RegistryClient, subject: str) -> list[tuple[int, str]]:
    """The versions the registry serves for the subject, oldest first, each with its canonical schema."""
    try:
        return [(version, canonical_schema(text)) for version, text in client.history(subject)]
    except RegistryError as error:
        if error.status == 404:
            return []
        raise


def _rollback(client: RegistryClient, props: Mapping[str, Any]) -> tuple[int, int] | None:
    """(older version equal to the declared schema, latest version) when the declaration reverts the subject."""
    history = _history(client, props["subject"])
    version = older_version_matching(props["schema"], history)
    return (version, history[-1][0]) if version is not None else None


def _make_latest(client: RegistryClient, props: Mapping[str, Any]) -> None:
    """Make the declared schema the subject's latest version: a new version, or an older one made latest again as
    `rollback` says; then check that it is, so a registration that changed nothing never passes for an update."""
    subject, schema = props["subject"], props["schema"]
    history = _history(client, subject)
    version = older_version_matching(schema, history)
    if version is None:
        client.register(subject, schema, _references(props))
    elif props.get("rollback") == "reregister":
        if props.get("references"):
            raise RegistryError(
                409,
                f"subject {subject}: a schema with references cannot be registered again; use rollback: delete_newer",
            )
        client.register_again(subject, schema)
    elif props.get("rollback") == "delete_newer":
        for newer in versions_after(version, history):
            client.delete_version(subject, newer)
    else:
        raise RegistryError(409, rollback_refusal(subject, version, history[-1][0]))
    latest = client.latest(subject)
    if latest is None or canonical_schema(latest["schema"]) != schema:
        raise RegistryError(
            409, f"subject {subject}: the registry kept version {latest and latest['version']} as the latest"
        )


def _incompatibilities(inputs: dict[str, Any]) -> list[str] | None:
    client = _client(inputs["registry"])
    references = _references(inputs)
    if any(is_unknown(ref.get("version")) for ref in references):
        return None
    return client.incompatibilities(inputs["subject"], inputs["schema"], references)


def _references(props: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [dict(reference) for reference in props.get("references") or []]


def _outputs(props: Mapping[str, Any], client: RegistryClient) -> dict[str, Any]:
    latest = client.latest(props["subject"]) or {}
    outputs = {key: props.get(key) for key in _OUTPUT_KEYS}
    outputs.update(version=latest.get("version"), schema_id=latest.get("id"))
    outputs["reference_schemas"] = props.get("reference_schemas") or {}
    return outputs


class Subject(PlatformResource, kind=SUBJECT):
    """One schema subject managed by this stack."""

    subject: pulumi.Output[str]
    version: pulumi.Output[int]
    schema_id: pulumi.Output[int]

    provider_class = SubjectProvider
    secret_outputs = SECRET_OUTPUTS
    extra_outputs = ("version", "schema_id")
