"""Paths cited in prose exist: a moved file must take its citations with it."""

from __future__ import annotations

import re

import pytest

from tests.support import ROOT

# A repository path: starts at a top-level folder of ours, no placeholders.
CITED = re.compile(
    r"(?<![\w./-])((?:harbor_sso|tests|plugin|stacks|benchmarks|scripts|\.github)/[\w./-]*\w)"
)


NOT_FILES = {
    "plugin/venv": "the virtualenv the language host creates",
    "plugin/v0.1.0": "a tag name the README warns against",
}


SKIPPED_DIRS = {".git", "__pycache__", "build", "mutants", "venv"}


def text_files() -> list[str]:
    """Our prose and code: no virtualenvs, caches or build output."""
    return sorted(
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*")
        if path.suffix in (".py", ".md", ".yaml", ".yml", ".toml")
        and not any(
            part in SKIPPED_DIRS
            or part.startswith(".venv")
            or part.endswith((".egg-info", "_cache"))
            for part in path.relative_to(ROOT).parts
        )
    )


def citations() -> list[tuple[str, str]]:
    found = []
    for name in text_files():
        text = (ROOT / name).read_text(encoding="utf-8")
        for match in CITED.finditer(text):
            if text[match.end() : match.end() + 2] in (".<", "<") or match.group(1) in NOT_FILES:
                continue  # a pattern such as stacks/Pulumi.<stack>.yaml
            found.append((name, match.group(1)))
    return sorted(set(found))


@pytest.mark.parametrize(("source", "path"), citations())
def test_every_cited_path_exists(source: str, path: str) -> None:
    assert (ROOT / path).exists(), f"{source} cites {path}, which does not exist"


def test_the_scan_finds_citations() -> None:
    assert ("README.md", "tests/engine/test_replay.py") in citations()
