"""A container's files become a root-owned, read-only archive of its config directory."""

from __future__ import annotations

import io
import tarfile

import pytest

from components.rules.config_archive import archive, relative_path


def test_files_and_their_folders_are_root_owned_and_read_only():
    data = archive(
        "/etc/kafka",
        [
            {"path": "/etc/kafka/secrets/keystore.pem", "content": "key", "executable": False},
            {"path": "/etc/kafka/start.sh", "content": "#!/bin/sh\n", "executable": True},
            {"path": "/etc/kafka/secrets/ca.pem", "content": "ca", "executable": False},
        ],
    )
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        members = {member.name: member for member in tar.getmembers()}
        assert list(members) == ["secrets", "secrets/ca.pem", "secrets/keystore.pem", "start.sh"]
        assert members["secrets"].isdir() and members["secrets"].mode == 0o755
        assert members["secrets/keystore.pem"].mode == 0o444
        assert members["start.sh"].mode == 0o555
        assert all(member.uid == 0 and member.gid == 0 for member in members.values())
        assert tar.extractfile("secrets/keystore.pem").read() == b"key"


@pytest.mark.parametrize("path", ["/etc/haproxy/haproxy.cfg", "/etc/kafka", "/etc/kafka/../passwd", "etc/kafka/x"])
def test_a_file_outside_the_config_directory_is_refused(path):
    with pytest.raises(ValueError, match="inside the config directory /etc/kafka"):
        relative_path("/etc/kafka", path)
