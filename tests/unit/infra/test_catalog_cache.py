"""A large catalog's parsed document cached by its exact content: the cache gives only what parsing gives."""

import datetime
import json
import os

import yaml

from infra import catalog_cache
from infra.catalog_cache import CACHED_FROM_BYTES, KEPT, parsed


def large_catalog(count=2500, retention="7d"):
    topics = [{"name": f"t-{index:05d}", "partitions": 1} for index in range(count)]
    topics[0]["config"] = {"retention.ms": retention}
    text = yaml.dump({"topics": topics}, Dumper=yaml.CSafeDumper)
    assert len(text) >= CACHED_FROM_BYTES
    return text


def load(text):
    return yaml.load(text, Loader=yaml.CSafeLoader)


class Parser:
    def __init__(self):
        self.calls = 0

    def __call__(self, text):
        self.calls += 1
        return load(text)


def test_the_second_read_of_the_same_text_comes_from_the_cache_and_equals_the_parse(tmp_path):
    text, parse = large_catalog(), Parser()
    first = parsed(text, parse, "parser 1", tmp_path)
    second = parsed(text, parse, "parser 1", tmp_path)
    assert parse.calls == 1
    assert second == first == load(text)


def test_a_changed_byte_or_another_parser_is_parsed_again(tmp_path):
    parse = Parser()
    parsed(large_catalog(retention="7d"), parse, "parser 1", tmp_path)
    changed = parsed(large_catalog(retention="8d"), parse, "parser 1", tmp_path)
    parsed(large_catalog(retention="7d"), parse, "parser 2", tmp_path)
    assert parse.calls == 3
    assert changed["topics"][0]["config"] == {"retention.ms": "8d"}


def test_a_small_catalog_is_parsed_every_time_and_leaves_no_file(tmp_path):
    parse = Parser()
    for _ in range(2):
        assert parsed("topics: []\n", parse, "parser 1", tmp_path) == {"topics": []}
    assert parse.calls == 2
    assert not tmp_path.exists() or not list(tmp_path.iterdir())


def test_a_document_json_cannot_hold_exactly_is_not_cached(tmp_path):
    # YAML reads an unquoted date as a date; JSON would give it back as a string.
    text = large_catalog() + "created: 2026-12-07\n"
    parse = Parser()
    for _ in range(2):
        assert parsed(text, parse, "parser 1", tmp_path)["created"] == datetime.date(2026, 12, 7)
    assert parse.calls == 2


def test_a_cache_that_cannot_be_written_still_gives_the_parse(tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    parse = Parser()
    assert parsed(large_catalog(), parse, "parser 1", blocked / "catalogs")["topics"][0]["name"] == "t-00000"


def test_a_damaged_cache_file_is_parsed_again(tmp_path):
    text, parse = large_catalog(), Parser()
    parsed(text, parse, "parser 1", tmp_path)
    (cached,) = tmp_path.glob("*.json")
    cached.write_text('{"topics": [')
    assert parsed(text, parse, "parser 1", tmp_path) == load(text)
    assert parse.calls == 2
    assert json.loads(cached.read_text()) == load(text)


def test_the_cache_keeps_the_newest_documents_only_and_is_the_users_alone(tmp_path):
    folder = tmp_path / "catalogs"
    parse = Parser()
    texts = [large_catalog(retention=f"{days}d") for days in range(KEPT + 3)]
    for index, text in enumerate(texts):
        parsed(text, parse, "parser 1", folder)
        for path in folder.glob("*.json"):
            # The document just written gets an age of its own, older than every later one, without sleeping.
            if path.stat().st_mtime > 1e9 + index:
                os.utime(path, (1e9 + index, 1e9 + index))
    files = list(folder.glob("*.json"))
    assert len(files) == KEPT
    assert folder.stat().st_mode & 0o777 == 0o700
    assert {path.stat().st_mode & 0o777 for path in files} == {0o600}
    parse.calls = 0
    parsed(texts[-1], parse, "parser 1", folder)
    assert parse.calls == 0


def test_the_cache_lives_under_the_projects_cache_root(monkeypatch, tmp_path):
    monkeypatch.setenv("CARACAL_CACHE", str(tmp_path))
    assert catalog_cache.cache_dir() == tmp_path / "catalogs"
