"""The peer: Jikkou from Maven Central, applying and diffing the same topics and ACL bindings through its API.

Its jars (and their dependencies) are resolved by Maven from bench/jikkou/pom.xml and the small harness
bench/jikkou/JikkouBench.java is compiled, both under ~/.cache/caracal-kafka/jikkou-VERSION, once per version.
Jikkou 0.34 is built for Java 21, so a JDK of 21 or later is looked for (JAVA_HOME, then /usr/lib/jvm).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import yaml

VERSION = "0.34.0"
SOURCE = Path(__file__).resolve().parent / "jikkou"
CACHE = Path(os.environ.get("CARACAL_CACHE", Path.home() / ".cache" / "caracal-kafka")) / f"jikkou-{VERSION}"
MINIMUM_JAVA = 21


class Unavailable(RuntimeError):
    """Jikkou cannot run here (no JDK 21+, no Maven); the message says what is missing."""


def _java_version(java_home: Path) -> int:
    release = java_home / "release"
    if not release.exists():
        return 0
    found = re.search(r'JAVA_VERSION="(\d+)', release.read_text())
    return int(found.group(1)) if found else 0


def find_jdk() -> Path:
    candidates = [Path(os.environ["JAVA_HOME"])] if os.environ.get("JAVA_HOME") else []
    candidates += sorted(Path("/usr/lib/jvm").glob("*"), key=_java_version, reverse=True)
    for home in candidates:
        if _java_version(home) >= MINIMUM_JAVA and (home / "bin" / "javac").exists():
            return home
    raise Unavailable(f"Jikkou {VERSION} needs a JDK {MINIMUM_JAVA}+ (set JAVA_HOME); none found")


def harness() -> tuple[Path, Path]:
    """(java binary, classpath folder) of the compiled harness, built on first use."""
    jdk = find_jdk()
    classes = CACHE / "classes"
    sources = b"".join((SOURCE / name).read_bytes() for name in ("pom.xml", "JikkouBench.java", "logback.xml"))
    stamp = hashlib.sha256(sources).hexdigest()
    # Built once per version and per content of the harness: an edited harness is built again.
    built = CACHE / "built"
    if not (classes / "JikkouBench.class").exists() or not built.exists() or built.read_text() != stamp:
        if not shutil.which("mvn"):
            raise Unavailable("Maven (mvn) is needed to resolve Jikkou's jars from Maven Central")
        CACHE.mkdir(parents=True, exist_ok=True)
        for name in ("pom.xml", "JikkouBench.java", "logback.xml"):
            shutil.copy(SOURCE / name, CACHE / name)
        repository = CACHE.parent / "m2"
        env = {**os.environ, "JAVA_HOME": str(jdk)}
        subprocess.run(
            ["mvn", "-B", "-q", f"-Dmaven.repo.local={repository}", "dependency:copy-dependencies",
             "-DoutputDirectory=lib"],
            cwd=CACHE, env=env, check=True,
        )  # fmt: skip
        subprocess.run(
            [str(jdk / "bin" / "javac"), "-cp", "lib/*", "-d", "classes", "JikkouBench.java"], cwd=CACHE, check=True
        )
        shutil.copy(CACHE / "logback.xml", classes / "logback.xml")
        built.write_text(stamp)
    return jdk / "bin" / "java", CACHE


def resources(names: list[str], principal: str, config: dict[str, str], replication: int = 1) -> str:
    """Jikkou's resources for these topics (1 partition, `config`) and one READ binding per topic."""
    topics = [
        {
            "apiVersion": "kafka.jikkou.io/v1beta2",
            "kind": "KafkaTopic",
            "metadata": {"name": name},
            "spec": {"partitions": 1, "replicas": replication, "configs": config},
        }
        for name in names
    ]
    authorization = {
        "apiVersion": "kafka.jikkou.io/v1beta2",
        "kind": "KafkaPrincipalAuthorization",
        "metadata": {"name": principal},
        "spec": {
            "acls": [
                {
                    "resource": {"type": "TOPIC", "pattern": name, "patternType": "LITERAL"},
                    "operations": ["READ"],
                    "host": "*",
                    "type": "ALLOW",
                }
                for name in names
            ]
        },
    }
    return yaml.safe_dump_all([*topics, authorization])


def run(mode: str, client_properties: str, document: str) -> dict:
    """`_run`, except that an apply sends the topics and the ACL bindings as two applies, their figures summed:
    Jikkou 0.34 fails an apply holding both kinds with a NullPointerException in its CreateTopicChangeHandler
    (no `partitions` state), while each kind alone applies."""
    if mode != "apply":
        return _run(mode, client_properties, document)
    resources = list(yaml.safe_load_all(document))
    parts = [
        [item for item in resources if item["kind"] == "KafkaTopic"],
        [item for item in resources if item["kind"] != "KafkaTopic"],
    ]
    results = [_run(mode, client_properties, yaml.safe_dump_all(part)) for part in parts if part]
    return {key: sum(result[key] for result in results) for key in ("seconds", "process_seconds", "changes", "failed")}


def _run(mode: str, client_properties: str, document: str) -> dict:
    """Jikkou's `apply` (mode "apply"), `create` or `diff` of `document`: {"seconds", "process_seconds",
    "changes", "failed"}; seconds is the API call alone, the JVM's start and the loading of the resources excluded;
    process_seconds is the whole process, what a user of a command waits for (as every Pulumi figure is)."""
    java, folder = harness()
    with tempfile.TemporaryDirectory(prefix="caracal-jikkou-") as work:
        properties = Path(work) / "admin.properties"
        properties.write_text(client_properties)
        properties.chmod(0o600)
        resources_file = Path(work) / "resources.yaml"
        resources_file.write_text(document)
        started = time.monotonic()
        done = subprocess.run(
            [str(java), "-cp", f"{folder / 'lib'}/*:{folder / 'classes'}", "JikkouBench", mode, str(properties),
             str(resources_file)],
            capture_output=True, text=True, timeout=3600,
        )  # fmt: skip
        process_seconds = time.monotonic() - started
    if done.returncode != 0:
        raise RuntimeError(f"Jikkou {mode} failed:\n{done.stderr[-3000:]}")
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "process_seconds": process_seconds}
