"""The archive of ZooKeeper's data `finalize` makes: named by the stack and the time, owner-only, never
overwriting one made before, made once per step and left in place when the resource goes."""

from __future__ import annotations

import stat
from datetime import UTC, datetime

import pytest

from components.providers import zookeeper_snapshot as provider
from components.rules.zookeeper_snapshot import file_name

AT = datetime(2026, 12, 6, 22, 15, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("caracal-prod", "caracal-prod-zookeeper-20261206T221530Z.tar.gz"),
        ("caracal-e2e-migrate", "caracal-e2e-migrate-zookeeper-20261206T221530Z.tar.gz"),
    ],
)
def test_the_archive_is_named_by_the_stacks_prefix_and_the_utc_time(prefix, expected):
    assert file_name(prefix, AT) == expected


@pytest.fixture
def archived(monkeypatch):
    calls = []

    def archive(volume, image):
        calls.append((volume, image))
        return b"tar-bytes"

    monkeypatch.setattr(provider, "archive", archive)
    return calls


def props(folder) -> dict:
    return {"prefix": "caracal-prod", "data_volume": "caracal-prod-zookeeper-0-data", "image": "img", "folder": folder}


def test_the_archive_is_written_owner_only_into_an_owner_only_folder(tmp_path, archived):
    folder = tmp_path / "zookeeper-snapshots"
    path = provider.save(props(str(folder)), AT)
    assert path == str(folder / "caracal-prod-zookeeper-20261206T221530Z.tar.gz")
    assert (folder / path).read_bytes() == b"tar-bytes"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / path).stat().st_mode) == 0o600
    assert archived == [("caracal-prod-zookeeper-0-data", "img")]


def test_an_archive_made_before_is_never_overwritten(tmp_path, archived):
    provider.save(props(str(tmp_path)), AT)
    with pytest.raises(FileExistsError):
        provider.save(props(str(tmp_path)), AT)


def test_it_is_made_once_and_stays_when_the_resource_goes(tmp_path, archived):
    made = provider.ZooKeeperSnapshotProvider()
    created = made.create(props(str(tmp_path)))
    assert created.outs["path"] == created.id and (tmp_path / created.id).exists()
    assert made.diff(created.id, created.outs, {**props(str(tmp_path)), "after": ["other"]}).changes is False
    made.delete(created.id, created.outs)
    assert (tmp_path / created.id).exists()
