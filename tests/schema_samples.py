"""One realistic, valid record per schema, for tests that produce to every topic.

Values are fixed (no clock, no random ids) so a failing test shows the same record every time. Decimals carry no
more places than their schema's scale and timestamps are whole milliseconds in UTC, so each record reads back
from Avro equal to what was written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from schemas import schema_path

_WHEN = datetime(2025, 3, 14, 9, 26, 53, 589000, tzinfo=UTC)
_AGENT = "agent-7f3c2a91"
_PARENT = "agent-0b1d44e2"
_POLICY = "policy-budget-research"
_CORRELATION = "req-5b0e8c1d-2f4a-4c6e-9d1b-3a7f0e2c9b84"


def _metering_event() -> dict[str, Any]:
    return {
        "event_id": "6f1c9a52-0c1e-4c86-9b53-2d7a1e4f8c30",
        "event_version": "1.0",
        "timestamp": _WHEN,
        "source": "gateway-proxy",
        "agent": {"agent_id": _AGENT, "agent_name": "research-assistant", "parent_agent_id": _PARENT},
        "resource": {
            "resource_type": "llm.tokens.output",
            "provider": "openai",
            "quantity": Decimal(1834),
            "unit": "tokens",
        },
        "cost": {"amount": Decimal("0.0183400000"), "currency": "USD"},
        "correlation_id": _CORRELATION,
        "metadata": {"model": "gpt-4o", "request_path": "/v1/chat/completions"},
    }


def _policy_decision() -> dict[str, Any]:
    return {
        "event_id": "0d6a3b7e-5f21-4e9a-8c44-71b2f0a9d513",
        "event_version": "1.0",
        "timestamp": _WHEN,
        "agent_id": _AGENT,
        "decision": "DENY",
        "policy_id": _POLICY,
        "policy_version": 3,
        "resource_type": "llm.tokens.output",
        "estimated_cost": Decimal("0.0250000000"),
        "budget": {
            "currency": "USD",
            "limit": Decimal("50.0000000000"),
            "spent": Decimal("49.9900000000"),
            "remaining": Decimal("0.0100000000"),
            "window": "daily",
            "within_budget": False,
        },
        "allowlist_checks": [
            {"allowlist": "models", "target": "gpt-4o", "allowed": True, "matched_entry": "gpt-4*"},
            {"allowlist": "tools", "target": "shell.exec", "allowed": False, "matched_entry": None},
        ],
        "evaluation_time_ms": 0.42,
        "reasons": [
            "estimated cost 0.025 USD exceeds remaining daily budget 0.01 USD",
            "tool shell.exec is not in the tools allowlist",
        ],
        "correlation_id": _CORRELATION,
        "metadata": {"evaluator": "caracal-policy/0.3.0"},
    }


def _agent_lifecycle() -> dict[str, Any]:
    return {
        "event_id": "b84e1f60-92d7-4a3c-a0f5-6e1c2d9b7a48",
        "event_version": "1.0",
        "timestamp": _WHEN,
        "event_type": "UPDATED",
        "agent_id": _AGENT,
        "agent_name": "research-assistant",
        "parent_agent_id": _PARENT,
        "changes": [
            {"field": "name", "old_value": '"research-bot"', "new_value": '"research-assistant"'},
            {"field": "metadata.team", "old_value": None, "new_value": '"platform"'},
        ],
        "reason": "renamed to match the team's naming convention",
        "actor": "alice@example.com",
        "correlation_id": _CORRELATION,
        "metadata": {},
    }


def _policy_change() -> dict[str, Any]:
    return {
        "event_id": "3c9d7e12-6a4b-4f08-b2e1-9f5a0c8d6e27",
        "event_version": "1.0",
        "timestamp": _WHEN,
        "policy_id": _POLICY,
        "agent_id": _AGENT,
        "change_type": "MODIFIED",
        "previous_version": 2,
        "new_version": 3,
        "before": {"daily_budget": '"25.00"', "currency": '"USD"', "allowed_models": '["gpt-4o-mini"]'},
        "after": {"daily_budget": '"50.00"', "currency": '"USD"', "allowed_models": '["gpt-4o-mini","gpt-4*"]'},
        "changed_fields": ["daily_budget", "allowed_models"],
        "changed_by": "alice@example.com",
        "change_reason": "quarterly research budget increase",
        "change_source": "cli",
        "approved_by": "bob@example.com",
        "correlation_id": None,
        "metadata": {"ticket": "FIN-1042"},
    }


_SAMPLES: dict[str, Callable[[], dict[str, Any]]] = {
    "metering-event": _metering_event,
    "policy-decision": _policy_decision,
    "agent-lifecycle": _agent_lifecycle,
    "policy-change": _policy_change,
}


def sample_record(schema_name: str) -> dict[str, Any]:
    """A fresh valid record of the schema called `schema_name` (stem or file name, e.g. `metering-event`)."""
    stem = schema_path(schema_name).stem
    if stem not in _SAMPLES:
        raise ValueError(f"no sample for schema {schema_name!r}; samples exist for: {', '.join(sorted(_SAMPLES))}")
    return _SAMPLES[stem]()
