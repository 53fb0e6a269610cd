from components.clients import kafka_admin
from components.clients.kafka_admin import AdminClients

CONNECTION = {"bootstrap_servers": "b:1", "username": "admin", "password": "p", "ca_pem": ""}


class Made:
    """Stands for an AdminClient: records the settings it was made with."""

    def __init__(self, settings):
        self.settings = settings


def test_one_client_per_connection_and_a_pool_that_starts_with_it(monkeypatch):
    monkeypatch.setattr(kafka_admin, "AdminClient", Made)
    clients = AdminClients()
    first = clients.get(CONNECTION)
    assert clients.get(dict(CONNECTION)) is first
    pool = clients.pool(CONNECTION, 3)
    assert pool[0] is first and len({id(client) for client in pool}) == 3
    assert clients.pool(CONNECTION, 2) == pool[:2]
    assert all(client.settings["sasl.username"] == "admin" for client in pool)
    other = clients.get({**CONNECTION, "username": "other"})
    assert other not in pool
