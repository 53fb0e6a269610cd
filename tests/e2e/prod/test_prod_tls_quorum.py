"""ZooKeeper's quorum and election listeners (ensembles of three and more only) refuse TLS 1.1 and TLS 1.2
without an AEAD suite, and let a peer in with TLS 1.2 ECDHE-GCM and TLS 1.3. The client runs inside a ZooKeeper
node with that node's certificate: peers check each other's host name, so only a node's own certificate passes."""

from __future__ import annotations

from components.rules import layout
from tests.e2e.tls_probe import EXPECTED, Client, refusals


def zookeeper_client(prod) -> Client:
    node = next(name for name in prod.containers() if name.endswith(f"-{layout.zookeeper_host(1)}"))
    client = Client(node)
    assert client.offers_tls11(layout.KEYSTORE, layout.KEYSTORE) == "TLSv1.1"
    return client


def leader(client: Client, nodes: int) -> str:
    """The node serving as leader: the only one listening on the quorum port."""
    for index in range(nodes):
        host = layout.zookeeper_host(index)
        mode = client.run(
            f"echo srvr | openssl s_client -quiet -connect {host}:{layout.ZK_SECURE_PORT} -CAfile {layout.TRUSTSTORE}"
            f" -cert {layout.KEYSTORE} -key {layout.KEYSTORE} 2>/dev/null"
        )
        if "Mode: leader" in mode:
            return host
    raise AssertionError("no ZooKeeper node says it leads")


def test_the_quorum_and_election_listeners_refuse_tls_1_1_and_non_aead_suites(prod):
    client = zookeeper_client(prod)
    nodes = int(prod.setting("zookeeperNodes"))
    targets = {
        f"election {layout.zookeeper_host(i)}": f"{layout.zookeeper_host(i)}:{layout.ZK_ELECTION_PORT}"
        for i in range(nodes)
    }
    targets["quorum (leader)"] = f"{leader(client, nodes)}:{layout.ZK_QUORUM_PORT}"
    found = refusals(client, targets)
    assert found == {name: EXPECTED for name in targets}
