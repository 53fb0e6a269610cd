"""Consumer lag as Prometheus series, for the lag alert: `kafka_consumergroup_lag{consumergroup, topic, partition}`
(the name kafka_exporter gives it, so dashboards written for that fit), the records between a group's committed
offset and the partition's end.

Runs in caracal/monitoring with Debian's python3-confluent-kafka and the standard library only, as its own SCRAM
user, whose ACLs allow describing topics, groups and the cluster and nothing else. Serves HTTPS with basic auth
(the same salted SHA-512 check as the JMX exporter agents). Each scrape asks Kafka afresh: the groups (ListGroups),
the topics (Metadata), each group's committed offsets (OffsetFetch) and the end offset of each partition a group
has committed on (ListOffsets).

    python3 consumer_lag_exporter.py CONFIG.json
CONFIG.json: {"kafka": {librdkafka properties}, "port": 9308, "certificate": PEM file (key and certificate),
"username": ..., "salt": ..., "password_hash": ...}
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.server
import json
import ssl
import sys
import threading

from confluent_kafka import Consumer, TopicPartition
from confluent_kafka.admin import AdminClient

TIMEOUT_S = 10


def _escaped(value: object) -> str:
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def series(name: str, labels: dict, value: float) -> str:
    """One sample in Prometheus's text format."""
    text = ",".join(f'{key}="{_escaped(item)}"' for key, item in labels.items())
    return f"{name}{{{text}}} {value}"


class LagReader:
    """One admin client; per group, for the scrape only, a consumer that reads offsets (it never subscribes, so it
    never joins the group). Scrapes take turns: two clients at most at a time."""

    def __init__(self, kafka: dict) -> None:
        self.kafka = kafka
        self.admin = AdminClient(kafka)
        self.lock = threading.Lock()

    def _group_lines(self, group: str, partitions: list[TopicPartition]) -> list[str]:
        reader = Consumer({**self.kafka, "group.id": group, "enable.auto.commit": False})
        try:
            found = []
            for committed in reader.committed(partitions, timeout=TIMEOUT_S):
                if committed.offset < 0:
                    continue  # nothing committed on this partition
                _, end = reader.get_watermark_offsets(
                    TopicPartition(committed.topic, committed.partition), timeout=TIMEOUT_S, cached=False
                )
                labels = {"consumergroup": group, "topic": committed.topic, "partition": committed.partition}
                found.append(series("kafka_consumergroup_lag", labels, max(end - committed.offset, 0)))
            return found
        finally:
            reader.close()

    def lines(self) -> list[str]:
        with self.lock:
            groups = sorted(group.id for group in self.admin.list_groups(timeout=TIMEOUT_S))
            topics = self.admin.list_topics(timeout=TIMEOUT_S).topics
            partitions = [
                TopicPartition(topic, partition)
                for topic, metadata in sorted(topics.items())
                if not topic.startswith("__")
                for partition in sorted(metadata.partitions)
            ]
            found = ["# TYPE kafka_consumergroup_lag gauge"]
            for group in groups if partitions else []:
                found += self._group_lines(group, partitions)
            return found


def handler(reader: LagReader, username: str, salt: str, password_hash: str) -> type:
    class Metrics(http.server.BaseHTTPRequestHandler):
        def _allowed(self) -> bool:
            header = self.headers.get("Authorization", "")
            if not header.startswith("Basic "):
                return False
            try:
                user, _, password = base64.b64decode(header[6:]).decode().partition(":")
            except ValueError:
                return False
            digest = format(int.from_bytes(hashlib.sha512(f"{salt}:{password}".encode()).digest(), "big"), "x")
            return hmac.compare_digest(user, username) & hmac.compare_digest(digest, password_hash)

        def log_request(self, code: object = "-", size: object = "-") -> None:
            """No line per successful scrape in the container's log; refusals and failures are still logged."""
            if str(code) != "200":
                super().log_request(code, size)

        def do_GET(self) -> None:
            if not self._allowed():
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="metrics"')
                self.end_headers()
                return
            if self.path.split("?")[0] != "/metrics":
                self.send_error(404)
                return
            try:
                body = ("\n".join(reader.lines()) + "\n").encode()
            except Exception as error:  # a scrape that fails is an `up == 0` in Prometheus, with the reason here
                self.log_error("reading lag failed: %s", error)
                self.send_error(503)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Metrics


def main(path: str) -> None:
    with open(path) as file:
        config = json.load(file)
    reader = LagReader(config["kafka"])
    server = http.server.ThreadingHTTPServer(
        ("", config["port"]), handler(reader, config["username"], config["salt"], config["password_hash"])
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(config["certificate"])
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1])
