"""Paths cited in prose exist: a moved file must take its citations with it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from harbor_sso.validation import PLAIN_FIELDS
from tests.support import ROOT

# A repository path: starts at a top-level folder of ours, no placeholders.
CITED = re.compile(
    r"(?<![\w./-])((?:harbor_sso|tests|plugin|stacks|benchmarks|scripts|\.github)/[\w./-]*\w)"
)


NOT_FILES = {
    "plugin/venv": "the virtualenv the language host creates",
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
    assert ("README.md", "tests/engine/test_wire.py") in citations()


def readme_section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def test_the_install_line_runs_as_written(tmp_path: Path) -> None:
    [line] = [ln for ln in readme_section("Install").splitlines() if ln.startswith("pip install")]
    assert "<" not in line and ">" not in line  # no placeholder left to fill in
    assert line == "pip install ./harbor-sso"
    (tmp_path / "harbor-sso").symlink_to(ROOT)
    # the line itself, resolved without installing (a dry run still builds the package)
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--no-deps", "-q",
         *line.split()[2:]],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_the_plain_only_arguments_the_readme_lists_are_the_components() -> None:
    usage = readme_section("Usage")
    match = re.search(r"exist \(([^)]*)\) must be plain values", usage.replace("\n", " "))
    assert match is not None
    listed = set(re.findall(r"`(\w+)`", match.group(1)))
    assert listed == set(PLAIN_FIELDS)


def test_the_first_usage_example_passes_explicit_providers() -> None:
    first = readme_section("Usage").split("```python", 1)[1].split("```", 1)[0]
    assert "insecure=False" in first
    assert 'providers={"authentik": ak, "harbor": hb}' in first


def test_the_readme_says_how_long_the_checks_take() -> None:
    top = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## ", 1)[0]
    # however the paragraph wraps
    assert re.search(r"fresh\s+machine\s+it\s+takes\s+about\s+\d+\s+minutes", top)
    assert re.search(r"engine\s+built,\s+a\s+fresh\s+clone\s+takes\s+about\s+\d+\s+minutes", top)


def doc(name: str) -> str:
    return (ROOT / "docs" / name).read_text(encoding="utf-8")


def test_the_typescript_snippet_imports_what_pulumi_package_add_generates() -> None:
    # a held-out TypeScript run: the bare names fail with TS2307 (real-systems.md)
    snippet = doc("other-languages.md").split("```ts", 1)[1].split("```", 1)[0]
    imports = re.findall(r'from "([^"]+)"', snippet)
    assert imports == ["@pulumi/pulumi", "@pulumi/authentik", "@pulumiverse/harbor",
                       "@<org>/harbor-sso"]  # fmt: skip
    # authentik through its default provider: an explicit one is stored as 0.12.0
    assert "pulumi config set --secret authentik:token" in doc("other-languages.md")
    assert "providers: { harbor: hb }" in snippet
    assert "Node.js 22" in doc("other-languages.md")


def test_plugin_consumers_are_told_to_run_pulumi_install_first() -> None:
    commands = doc("other-languages.md").split("```sh")[2].split("```", 1)[0].splitlines()
    assert commands.index("pulumi install") < commands.index("pulumi up")
    assert "`pulumi install` first" in doc("other-languages.md")


def test_operations_tell_the_measured_slug_change() -> None:
    # measured: an update in place, and returning users meet Harbor's 409
    text = doc("operations.md").replace("\n", " ")
    assert "**update in place**" in text
    assert "failed to create user record" in text
    assert "replaces the application" not in text and "onboarded again as new" not in text


def test_adoption_keeps_a_missing_offline_access() -> None:
    assert "`offline_access` is added" not in doc("adoption.md").replace("\n", " ")
    assert "A missing `offline_access` is KEEP" in doc("adoption.md")


def test_troubleshooting_lists_the_upstream_behaviours_users_will_see() -> None:
    text = doc("troubleshooting.md").replace("\n", " ")
    for seen in ("0.12.0 < 2025.8.1", "pulumi-terraform-bridge#3349", "import harbor_sso",
                 "exited prematurely"):  # fmt: skip
        assert seen in text, seen
