"""What a ZooKeeper stack proves, proven on the KRaft stack too (the migrated stack, on Kafka 4 by now): the prod
tests of durability and of a no-change preview, and the dev tests of data flow and of who gets in, imported here so
that they run unchanged against this package's stack. Tests of parts that do not touch the quorum (the registry's
restart, the TLS versions) are not repeated."""

from __future__ import annotations

from tests.e2e.dev.test_1_data_flows import (
    test_producer_writes_avro_to_every_topic_and_consumer_reads_every_record_back,
)
from tests.e2e.dev.test_2_security import (
    test_a_plaintext_connection_is_refused,
    test_a_wrong_password_or_unknown_user_is_refused,
    test_an_authenticated_user_without_acls_can_do_nothing,
    test_the_consumer_cannot_produce,
    test_the_producer_cannot_create_or_delete_topics,
    test_tls_without_sasl_is_refused,
)
from tests.e2e.prod.test_prod_resilience import (
    restore,
    test_prod_preview_right_after_up_expects_no_changes,
    test_with_one_broker_stopped_acks_all_writes_go_on_and_none_is_lost,
    test_with_two_brokers_stopped_acks_all_writes_fail_with_not_enough_replicas,
)

__all__ = [
    "restore",
    "test_a_plaintext_connection_is_refused",
    "test_a_wrong_password_or_unknown_user_is_refused",
    "test_an_authenticated_user_without_acls_can_do_nothing",
    "test_prod_preview_right_after_up_expects_no_changes",
    "test_producer_writes_avro_to_every_topic_and_consumer_reads_every_record_back",
    "test_the_consumer_cannot_produce",
    "test_the_producer_cannot_create_or_delete_topics",
    "test_tls_without_sasl_is_refused",
    "test_with_one_broker_stopped_acks_all_writes_go_on_and_none_is_lost",
    "test_with_two_brokers_stopped_acks_all_writes_fail_with_not_enough_replicas",
]
