#!/usr/bin/env bash
# How to connect to a stack: prints the endpoints and writes each user's client files (owner-only) to
# .state/clients/STACK/: ca.pem, USER.properties (Java clients, Kafka CLI tools, Confluent's serializers),
# USER.json (confluent-kafka) and USER.registry.json (confluent-kafka's SchemaRegistryClient). With metrics, it
# also prints Prometheus's URL and login, and what to open there.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
stack="${1:-dev}"
# shellcheck source=env.sh
. "$ROOT/scripts/env.sh"
cd "$ROOT"
dir="$ROOT/.state/clients/$stack"
(umask 077 && mkdir -p "$dir")
pulumi stack output --stack "$stack" --json --show-secrets | "$ROOT/.venv/bin/python" -c '
import json, os, sys
outputs = json.load(sys.stdin)
folder = sys.argv[1]
def write(name, text):
    path = os.path.join(folder, name)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    return path
# An external stack has no CA of its own: its clients trust the CA it was given, or the system CAs.
ca_pem = outputs.get("caCertificate")
ca = write("ca.pem", ca_pem) if ca_pem else None
for user, config in outputs["clientConfigs"].items():
    write(f"{user}.properties", config["properties"])
    write(f"{user}.json", json.dumps(config["kafka"], indent=2) + "\n")
    if "registry" not in config:
        continue
    registry = {key: value for key, value in config["registry"].items() if key != "ssl.ca.pem"}
    registry_ca = config["registry"].get("ssl.ca.pem")
    if registry_ca:
        registry["ssl.ca.location"] = ca if registry_ca == ca_pem else write("registry-ca.pem", registry_ca)
    write(f"{user}.registry.json", json.dumps(registry, indent=2) + "\n")
expires = outputs.get("caExpiresAt")
trust = f"{folder}/ca.pem (expires {expires})" if expires else "as configured for the external cluster"
prometheus = ""
if "prometheusUrl" in outputs:
    url = outputs["prometheusUrl"]
    prometheus = f"""  prometheus        : {url}  (login {outputs["prometheusLogin"]}, CA {folder}/ca.pem)
                      {url}/alerts   the alert rules and what fires now
                      {url}/targets  every node scraped, and whether it answers
                      {url}/graph    any series, e.g. kafka_server_replicamanager_underreplicatedpartitions
"""
print(f"""
Caracal Kafka ({sys.argv[2]}) is up.
  bootstrap servers : {outputs["bootstrapServers"]}
  schema registry   : {outputs["registryUrl"]}
  CA certificate    : {trust}
  client files      : {folder}/<user>.properties, <user>.json, <user>.registry.json for {", ".join(sorted(outputs["clientConfigs"]))}
{prometheus}
  .venv/bin/caracal-kafka list-topics --config-file {folder}/admin.properties --filter caracal.
  .venv/bin/caracal-kafka describe-topic caracal.metering.events --stack {sys.argv[2]}
""")
' "$dir" "$stack"
