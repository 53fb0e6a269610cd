"""Every relative link and every #anchor in README.md and docs/*.md resolves, the way GitHub renders them.

A link to a file or folder of the repository must name one that exists (inside the repository); a link with an
#anchor must name a heading of the page it points to (its own page for a bare `#anchor`), by GitHub's slug rules:
the heading's text lowercased, inline markup dropped, every character other than a letter, digit, `_`, `-` or
space removed, each space turned into `-`, and a repeated slug suffixed `-1`, `-2`, ... in order. Links with a
scheme (`https:`, `mailto:`) are not followed. Code blocks and code spans are not read.

    python scripts/check_docs.py [ROOT]    (exit status 1 and one line per problem: FILE:LINE: what is wrong)

Standard library only: `make lint` runs it before the virtualenv matters.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

PAGES = ("README.md", "docs")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
# [text](target) and ![alt](target); the target may be <in brackets> and followed by a "title".
_INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*(<[^>]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)")
_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)")
_HTML_ANCHOR = re.compile(r"<a\s+(?:name|id)=\"([^\"]+)\"")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_LINK_TEXT = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


@dataclass(frozen=True)
class Link:
    line: int
    target: str


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def _prose_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) outside fenced code blocks."""
    fence: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        opened = _FENCE.match(line)
        if fence is None and opened:
            fence = opened.group(1)
        elif fence is not None and opened and opened.group(1) == fence:
            fence = None
        elif fence is None:
            yield number, line


def slug(heading: str) -> str:
    """GitHub's anchor for a heading's text, before duplicates are numbered."""
    text = _LINK_TEXT.sub(r"\1", heading)
    text = _CODE_SPAN.sub(r"\2", text).replace("*", "")
    text = re.sub(r"[^\w\- ]", "", text.lower())
    return text.replace(" ", "-")


def anchors(text: str) -> set[str]:
    """Every anchor a page offers: its headings' slugs (repeats numbered) and explicit <a name|id> anchors."""
    seen: dict[str, int] = {}
    found: set[str] = set()
    for _, line in _prose_lines(text):
        found.update(_HTML_ANCHOR.findall(line))
        heading = _HEADING.match(line)
        if not heading:
            continue
        base = slug(heading.group(2))
        candidate, count = base, seen.get(base, 0)
        while candidate in found:
            count += 1
            candidate = f"{base}-{count}"
        seen[base] = count
        found.add(candidate)
    return found


def links(text: str) -> list[Link]:
    """Every link target of a page, with its line, code blocks and code spans left out."""
    found: list[Link] = []
    for number, line in _prose_lines(text):
        prose = _CODE_SPAN.sub("", line)
        targets = [match.group(1) for match in _INLINE_LINK.finditer(prose)]
        reference = _REFERENCE.match(prose)
        if reference:
            targets.append(reference.group(1))
        found.extend(Link(number, target.strip("<>")) for target in targets)
    return found


def _check_link(root: Path, page: Path, link: Link, pages: dict[Path, str]) -> str | None:
    target = link.target
    if not target or _SCHEME.match(target):
        return None
    path_part, _, anchor = target.partition("#")
    destination = (page.parent / path_part).resolve() if path_part else page
    if not destination.is_relative_to(root):
        return f"link {target!r} leaves the repository"
    if not destination.exists():
        return f"link {target!r}: no file or folder {destination.relative_to(root).as_posix()}"
    if not anchor:
        return None
    if destination.suffix != ".md" or not destination.is_file():
        return f"link {target!r}: an anchor needs a markdown page, not {destination.relative_to(root).as_posix()}"
    if destination not in pages:
        pages[destination] = destination.read_text(encoding="utf-8")
    if anchor not in anchors(pages[destination]):
        return f"link {target!r}: no heading with anchor #{anchor} in {destination.relative_to(root).as_posix()}"
    return None


def check(root: Path, files: Iterable[Path]) -> list[Problem]:
    """The problems of every link in `files` (paths inside `root`)."""
    root = root.resolve()
    pages: dict[Path, str] = {}
    problems: list[Problem] = []
    for file in files:
        page = file.resolve()
        pages.setdefault(page, page.read_text(encoding="utf-8"))
        for link in links(pages[page]):
            message = _check_link(root, page, link, pages)
            if message:
                problems.append(Problem(page.relative_to(root).as_posix(), link.line, message))
    return problems


def documentation(root: Path) -> list[Path]:
    """README.md and every markdown page under docs/."""
    found: list[Path] = []
    for name in PAGES:
        path = root / name
        found.extend(sorted(path.rglob("*.md")) if path.is_dir() else [path] if path.exists() else [])
    return found


def main(argv: list[str]) -> int:
    root = Path(argv[1] if len(argv) > 1 else Path(__file__).resolve().parents[1])
    files = documentation(root)
    problems = check(root, files)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(f"docs: every link and anchor of {len(files)} pages resolves")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
