"""The stack's nodes and certificate expiry, read back from the certificateExpiresAt output."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from components.rules.expected_platform import expected_platform, parse_time


def test_nodes_and_expiry_come_from_the_certificate_names():
    output = {
        "zookeeper-0": "2027-12-06T14:00:00Z",
        "zookeeper-1": "2027-12-06T14:00:00Z",
        "kafka-1": "2027-12-06T14:00:00.123456789Z",
        "kafka-0": "2027-12-06T14:00:00+01:00",
        "kafka-zookeeper-client": "2027-12-06T14:00:00Z",
        "schema-registry": "2027-12-06T14:00:00Z",
        "controller-3000": "2027-12-06T14:00:00Z",
    }
    platform = expected_platform("prod", output)
    assert platform.prefix == "caracal-prod"
    assert platform.brokers == (0, 1) and platform.zookeeper_nodes == 2 and platform.controllers == 1
    assert platform.certificate_expiry["kafka-0"] == datetime(2027, 12, 6, 13, 0, tzinfo=UTC)
    assert platform.certificate_expiry["kafka-1"] == datetime(2027, 12, 6, 14, 0, 0, 123456, tzinfo=UTC)


def test_an_unreadable_time_is_named():
    with pytest.raises(ValueError, match=r"certificateExpiresAt.kafka-0: 'soon' is not an RFC 3339 time"):
        parse_time("kafka-0", "soon")
