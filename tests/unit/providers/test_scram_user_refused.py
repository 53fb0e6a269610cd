"""A cluster that refuses the Admin API for SCRAM credentials (users made elsewhere) gets an error that says what
to do in the catalog."""

from __future__ import annotations

from concurrent.futures import Future

import pytest
from confluent_kafka import KafkaError, KafkaException

from components.clients.kafka_admin import AdminError
from components.providers import scram_user
from components.providers.scram_user import ScramUserArgs


class RefusingAdmin:
    def alter_user_scram_credentials(self, upsertions):
        refused: Future = Future()
        refused.set_exception(KafkaException(KafkaError(KafkaError.UNSUPPORTED_VERSION, "not supported here")))
        return {upsertion.user: refused for upsertion in upsertions}


def test_a_refused_credential_names_the_user_and_the_existing_switch(monkeypatch):
    monkeypatch.setattr(scram_user.SESSION.admins, "get", lambda connection: RefusingAdmin())
    args = ScramUserArgs(username="app", password="a-long-enough-password", iterations=8192, connection={})
    with pytest.raises(AdminError, match=r"set SCRAM credential of user app: not supported here\. .*existing: true"):
        scram_user._upsert(args)
