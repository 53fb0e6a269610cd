import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "check_docs.py"
_spec = importlib.util.spec_from_file_location("check_docs", SCRIPT)
check_docs = importlib.util.module_from_spec(_spec)
sys.modules["check_docs"] = check_docs
_spec.loader.exec_module(check_docs)


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Quick start", "quick-start"),
        ("Managing an existing cluster: `platform: external`", "managing-an-existing-cluster-platform-external"),
        ("Inspecting the platform: `caracal-kafka`", "inspecting-the-platform-caracal-kafka"),
        ("Certificate and CA rotation", "certificate-and-ca-rotation"),
        ("Where to put a new X", "where-to-put-a-new-x"),
        ("Strimzi (Kubernetes)", "strimzi-kubernetes"),
        ("Topics & ACLs, as sets", "topics--acls-as-sets"),
        ("`allow_data_loss` and __init__", "allow_data_loss-and-__init__"),
        ("A [linked](other.md#x) heading", "a-linked-heading"),
        ("**Bold** words", "bold-words"),
        ("Kafka 3.9.1 — today", "kafka-391--today"),
        ("Über Größe", "über-größe"),
    ],
)
def test_a_heading_slug_follows_githubs_rules(heading, expected):
    assert check_docs.slug(heading) == expected


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("# Intro\n## Setup\n## Setup\n### Setup\n", {"intro", "setup", "setup-1", "setup-2"}),
        ("## Roll\n## Roll 1\n## Roll\n", {"roll", "roll-1", "roll-2"}),
        ("# Title #\n", {"title"}),
        ("```\n# not a heading\n```\n## Real\n", {"real"}),
        ('<a id="kept"></a>\n## Next\n', {"kept", "next"}),
        ("#NoSpace\n", set()),
    ],
)
def test_a_pages_anchors_are_its_headings_with_repeats_numbered(page, expected):
    assert check_docs.anchors(page) == expected


@pytest.mark.parametrize(
    ("line", "targets"),
    [
        ("see [ops](docs/operations.md#rolls) and [here](#intro)", ["docs/operations.md#rolls", "#intro"]),
        ("![picture](img/a.png)", ["img/a.png"]),
        ('[titled](docs/a.md "A title")', ["docs/a.md"]),
        ("[angle](<docs/a b.md>)", ["docs/a b.md"]),
        ("[ref]: docs/a.md#x", ["docs/a.md#x"]),
        ("`[not](a link)` but [this](b.md)", ["b.md"]),
        ("[web](https://example.com/x#y)", ["https://example.com/x#y"]),
    ],
)
def test_links_are_found_outside_code(line, targets):
    assert [link.target for link in check_docs.links(line)] == targets


def _repo(tmp_path: Path, pages: dict[str, str]) -> list[Path]:
    (tmp_path / "components").mkdir()
    (tmp_path / "Makefile").write_text("up:\n")
    for name, text in pages.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return check_docs.documentation(tmp_path)


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        (
            {
                "README.md": "# A\n[ok](#a) [ok](docs/b.md#b-1) [dir](components/) [file](Makefile)\n",
                "docs/b.md": "# B\n## B\n[up](../README.md#a) [web](https://x.invalid/#nothing)\n",
            },
            [],
        ),
        (
            {"README.md": "# A\n\n[gone](docs/missing.md)\n"},
            ["README.md:3: link 'docs/missing.md': no file or folder docs/missing.md"],
        ),
        (
            {"README.md": "# A\n", "docs/b.md": "# B\ntext\n[x](../README.md#b)\n"},
            ["docs/b.md:3: link '../README.md#b': no heading with anchor #b in README.md"],
        ),
        (
            {"README.md": "# A\n[self](#nope)\n"},
            ["README.md:2: link '#nope': no heading with anchor #nope in README.md"],
        ),
        (
            {"README.md": "# A\n[out](../../etc/passwd)\n"},
            ["README.md:2: link '../../etc/passwd' leaves the repository"],
        ),
        (
            {"README.md": "# A\n[code](Makefile#up)\n"},
            ["README.md:2: link 'Makefile#up': an anchor needs a markdown page, not Makefile"],
        ),
        ({"README.md": "# A\n```\n[in code](nowhere.md)\n```\n"}, []),
    ],
)
def test_broken_links_and_anchors_are_reported_with_file_and_line(tmp_path, pages, expected):
    files = _repo(tmp_path, pages)
    assert [str(problem) for problem in check_docs.check(tmp_path, files)] == expected


def test_the_command_fails_on_a_broken_link_and_passes_without_it(tmp_path, capsys):
    _repo(tmp_path, {"README.md": "# A\n[gone](docs/nowhere.md)\n"})
    assert check_docs.main(["check_docs.py", str(tmp_path)]) == 1
    assert "README.md:2:" in capsys.readouterr().err
    (tmp_path / "README.md").write_text("# A\n[back](#a)\n")
    assert check_docs.main(["check_docs.py", str(tmp_path)]) == 0


def test_this_repositorys_documentation_resolves():
    root = SCRIPT.parents[1]
    assert [str(problem) for problem in check_docs.check(root, check_docs.documentation(root))] == []
