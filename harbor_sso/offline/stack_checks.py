"""Checks about a stack file itself, beside what the component validates.

- credentials written in plain text into a file that is committed to git;
- two stacks of the project that would create the same application on one authentik
  (application slugs are unique there, so the second `pulumi up` fails mid-deploy).
"""

from __future__ import annotations

from typing import Final

from .. import urls
from ..stack.config import NAMESPACE, SECRET_KEYS
from ..validation import Problem
from .stackfile import ProjectError, StackFiles, read_stack

_DEFAULT_SLUG: Final = "harbor"


def plain_credentials(files: StackFiles) -> list[Problem]:
    """A warning per credential the stack file holds unencrypted (never its value)."""
    found = []
    for key in sorted(SECRET_KEYS):
        full = f"{NAMESPACE}:{key}"
        if full in files.config and full not in files.encrypted:
            found.append(
                (
                    full,
                    f"is in plain text in Pulumi.{files.stack}.yaml, which is committed: remove it "
                    f"there and run `pulumi config set --secret {full} <value> "
                    f"--stack {files.stack}`",
                )
            )
    return found


def _identity(files: StackFiles) -> tuple[str, str] | None:
    """(authentik URL, slug) of a stack, or None when unknown offline (encrypted, bad)."""
    url_key, slug_key = f"{NAMESPACE}:authentikUrl", f"{NAMESPACE}:slug"
    if {url_key, slug_key} & files.encrypted or url_key not in files.config:
        return None
    try:
        url = urls.normalise(files.config[url_key], "authentik")
    except ValueError:
        return None
    return url, files.config.get(slug_key, _DEFAULT_SLUG)


def stack_names(files: StackFiles) -> list[str]:
    """The stacks that have a stack file in the project's stack config folder."""
    folder = files.project_dir / files.config_dir
    return sorted(
        path.name.removeprefix("Pulumi.").removesuffix(".yaml")
        for path in folder.glob("Pulumi.*.yaml")
    )


def sibling_conflicts(files: StackFiles) -> list[Problem]:
    """An error per other stack of the project with the same authentik URL and slug."""
    mine = _identity(files)
    if mine is None:
        return []
    found = []
    for other in stack_names(files):
        if other == files.stack:
            continue
        try:
            theirs = _identity(read_stack(files.project_dir, other))
        except ProjectError:
            continue  # a broken sibling is that stack's own error, not this one's
        if theirs == mine:
            found.append(
                (
                    f"{NAMESPACE}:slug",
                    f"stack {other!r} already uses slug {mine[1]!r} on {mine[0]}: authentik "
                    "application slugs are unique, so the second `pulumi up` fails; give "
                    "each stack its own slug",
                )
            )
    return found
