"""Every link and pointer a reader follows resolves: the README, docs/, Pulumi.yaml and the
stack files. A Markdown link names a file of the repository and, with `#`, a heading in it
(GitHub's anchors); a comment or description pointing at `<file>.md, <Section>` names a
heading of that file; a section is linked, not quoted; nothing points outside the
repository (the held-out runs' notes live beside it, not in it)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support import ROOT

READ = sorted([ROOT / "README.md", ROOT / "Pulumi.yaml", *(ROOT / "docs").glob("*.md")]) + sorted(
    (ROOT / "stacks").glob("*.yaml")
)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
POINTER = re.compile(r"((?:docs/)?[\w-]+\.md), ([A-Z][\w ]*[\w])(?=[.)\n'])")
QUOTED_SECTION = re.compile(r"""\b[Ss]ee (?:the README's )?"([A-Z][^"]+)\"""")
README_SECTION = re.compile(r"README's ([A-Z][\w ]*) section")
OUTSIDE = ("real-systems.md", "domain-facts.md", "engine-build.md", "style-anchors.md",
           "../shared", "shared/reference")  # fmt: skip


def anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case; letters, digits, spaces, `-` and `_`
    kept; each space a `-`."""
    kept = "".join(ch for ch in heading.strip().lower() if ch.isalnum() or ch in " -_")
    return kept.replace(" ", "-")


def headings(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.S)  # no headings inside code
    return [line.lstrip("#").strip() for line in text.splitlines() if re.match(r"#{1,6} ", line)]


def problems(path: Path, text: str) -> list[str]:
    """What in ``text`` (the content of ``path``) does not resolve."""
    found = []
    for target in LINK.findall(text) if path.suffix == ".md" else []:
        if re.match(r"[a-z]+:", target):
            continue  # https:, mailto:
        name, _, fragment = target.partition("#")
        linked = (path.parent / name).resolve() if name else path
        if not linked.exists() or ROOT.resolve() not in linked.parents:
            found.append(f"{target}: no such file in the repository")
        elif fragment and fragment not in {anchor(h) for h in headings(linked)}:
            found.append(f"{target}: no heading #{fragment} in {name or path.name}")
    for name, section in POINTER.findall(text):
        pointed = ROOT / name if "/" in name or name == "README.md" else path.parent / name
        if not pointed.exists():
            found.append(f"{name}: no such file")
        elif section.lower() not in {h.lower() for h in headings(pointed)}:
            found.append(f"{name}, {section}: no such section")
    found += [f'"{q}": a section to link, not to quote' for q in QUOTED_SECTION.findall(text)]
    for section in README_SECTION.findall(text):
        if section.lower() not in {h.lower() for h in headings(ROOT / "README.md")}:
            found.append(f"README's {section} section: no such section")
    found += [f"{o}: outside the repository" for o in OUTSIDE if o in text]
    return found


@pytest.mark.parametrize("path", READ, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_and_pointer_resolves(path: Path) -> None:
    assert problems(path, path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[x](operation.md)", "operation.md: no such file in the repository"),
        ("[x](../docs/missing.md)", "../docs/missing.md: no such file in the repository"),
        ("[x](troubleshooting.md#no-such-heading)",
         "troubleshooting.md#no-such-heading: no heading #no-such-heading in troubleshooting.md"),
        ("[x](#nowhere)", "#nowhere: no heading #nowhere in operations.md"),
        ("see docs/operations.md, Things That Moved.",
         "docs/operations.md, Things That Moved: no such section"),
        ('See "Coming from a hand-made setup".',
         '"Coming from a hand-made setup": a section to link, not to quote'),
        ("see the README's Operations section", "README's Operations section: no such section"),
        ("as real-systems.md says", "real-systems.md: outside the repository"),
    ],
)  # fmt: skip
def test_a_broken_pointer_is_found(text: str, problem: str) -> None:
    assert problems(ROOT / "docs" / "operations.md", text) == [problem]


def test_the_anchors_are_github_s() -> None:
    assert anchor("Signing a user in: `verify --sign-in`") == "signing-a-user-in-verify---sign-in"
    assert anchor("Private CAs") == "private-cas"
    assert anchor("A first deployment") == "a-first-deployment"
