"""Cost per Harbor under the mock engine, against a hand-written program; plan time.

Run: .venv/bin/python benchmarks/run.py   (writes BENCHMARKS.md; takes a few minutes)

Every figure is measured in this run, and ratios are against baselines of this run:
the hand-written program (raw SDK resources, look-ups written once) for the component,
and `python -c "import pulumi, pulumi_authentik, pulumiverse_harbor"` for the plan.
"""

from __future__ import annotations

import cProfile
import gc
import os
import platform
import pstats
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import pulumi
import pulumi_authentik as authentik
import pulumiverse_harbor as harbor

from harbor_sso import HarborAuthentikSSO
from harbor_sso.cli import quiet_stray_loops
from harbor_sso.harbor_side import MATCH_ALL_GROUPS, NO_ADMIN_GROUP
from harbor_sso.offline.mocks import AuthentikHarborMocks, Registered, mock_engine, run_program

ROOT = Path(__file__).resolve().parent.parent
REPEATS = 5
NOTES_MARKER = "<!-- run.py writes everything above this line; notes below are kept -->"
MANAGED = [
    f"goauthentik.io/providers/oauth2/scope-{s}"
    for s in ("email", "offline_access", "openid", "profile")
]


def component_program(n: int) -> Callable[[], None]:
    def program() -> None:
        for i in range(n):
            HarborAuthentikSSO(
                f"h{i}",
                {
                    "harbor_url": f"https://harbor-{i}.example",
                    "authentik_url": "https://authentik.example",
                    "slug": f"harbor-{i}",
                },
            )

    return program


def hand_written_program(n: int) -> Callable[[], None]:
    """What a careful engineer writes by hand: look-ups once, three resources per Harbor,
    with the same resource inputs the component registers (checked in `main`)."""

    def program() -> None:
        auth_flow = authentik.get_flow_output(
            slug="default-provider-authorization-implicit-consent"
        ).id
        inval_flow = authentik.get_flow_output(slug="default-provider-invalidation-flow").id
        key = authentik.get_certificate_key_pair_output(
            name="authentik Self-signed Certificate", fetch_certificate=False, fetch_key=False
        ).id
        mappings = authentik.get_property_mapping_provider_scope_output(managed_lists=MANAGED).ids
        for i in range(n):
            harbor_url = f"https://harbor-{i}.example"
            provider = authentik.ProviderOauth2(
                f"h{i}-provider",
                name="Harbor",
                client_id=f"client-{i}",
                client_type="confidential",
                authorization_flow=auth_flow,
                invalidation_flow=inval_flow,
                signing_key=key,
                property_mappings=mappings,
                allowed_redirect_uris=[
                    {"matching_mode": "strict", "url": f"{harbor_url}/c/oidc/callback"}
                ],
                issuer_mode="per_provider",
                include_claims_in_id_token=True,
            )
            authentik.Application(
                f"h{i}-application",
                name="Harbor",
                slug=f"harbor-{i}",
                protocol_provider=provider.id.apply(float),
                meta_launch_url=f"{harbor_url}/c/oidc/login",
                open_in_new_tab=False,
                policy_engine_mode="any",
            )
            harbor.ConfigAuth(
                f"h{i}-config-auth",
                auth_mode="oidc_auth",
                oidc_name="authentik",
                oidc_endpoint=f"https://authentik.example/application/o/harbor-{i}/",
                oidc_client_id=provider.client_id,
                oidc_client_secret=pulumi.Output.secret(provider.client_secret),
                oidc_scope="openid,profile,email,offline_access",
                oidc_user_claim="preferred_username",
                oidc_groups_claim="groups",
                oidc_auto_onboard=True,
                oidc_verify_cert=True,
                primary_auth_mode=False,
                # what the component sends so that a removed admin group or filter ends
                # (the Harbor provider never sends an empty string)
                oidc_admin_group=NO_ADMIN_GROUP,
                oidc_group_filter=MATCH_ALL_GROUPS,
            )

    return program


ROLE_PROJECTS = [f"project-{p}" for p in range(10)]
ROLE_GROUPS = {"admins": "projectadmin", "developers": "developer", "readers": "guest"}


def roles_component_program() -> None:
    """One Harbor whose 10 projects each give roles to 3 groups."""
    HarborAuthentikSSO(
        "h0",
        {
            "harbor_url": "https://harbor-0.example",
            "authentik_url": "https://authentik.example",
            "slug": "harbor-0",
            "project_roles": {p: dict(ROLE_GROUPS) for p in ROLE_PROJECTS},
        },
    )


def roles_hand_written_program() -> None:
    """The same by hand: one project look-up each, one membership per pair."""
    hand_written_program(1)()
    for project in ROLE_PROJECTS:
        project_id = harbor.get_project_output(name=project).id
        for group, role in ROLE_GROUPS.items():
            harbor.ProjectMemberGroup(
                f"h0-role-{project}.{group}",
                project_id=project_id,
                group_name=group,
                type="oidc",
                role=role,
            )


def hand_written_with_components(n: int) -> Callable[[], None]:
    """The hand-written program plus one empty ComponentResource per Harbor: isolates
    what registering a component costs, which any component library pays."""
    inner = hand_written_program(n)

    class Empty(pulumi.ComponentResource):
        def __init__(self, name: str) -> None:
            super().__init__("bench:index:Empty", name, {}, None)
            self.register_outputs({})

    def program() -> None:
        for i in range(n):
            Empty(f"c{i}")
        inner()

    return program


def _mocks() -> AuthentikHarborMocks:
    return AuthentikHarborMocks(permissive=True)  # every project and group exists


def _run(program: Callable[[], None]) -> tuple[float, AuthentikHarborMocks]:
    mocks = _mocks()
    gc.collect()  # start each run from the same heap, not the previous run's garbage
    with mock_engine(mocks):
        start = time.perf_counter()
        run_program(program)
        return time.perf_counter() - start, mocks


def calls(program: Callable[[], None]) -> int:
    """Python function calls in one run: deterministic, unlike time on a shared machine."""
    profile = cProfile.Profile()
    with mock_engine(_mocks()):
        profile.enable()
        run_program(program)
        profile.disable()
    return int(pstats.Stats(profile).total_calls)  # type: ignore[attr-defined]


def peak_mib(program: Callable[[], None]) -> float:
    # a run of its own: tracing slows the timed runs
    with mock_engine(_mocks()):
        tracemalloc.start()
        run_program(program)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak / 2**20


def measure(programs: dict[str, Callable[[], None]]) -> dict[str, dict[str, float]]:
    """Time the programs interleaved, so drift on the machine hits them alike."""
    times: dict[str, list[float]] = {key: [] for key in programs}
    counted: dict[str, AuthentikHarborMocks] = {}
    for _ in range(REPEATS):
        for key, program in programs.items():
            elapsed, counted[key] = _run(program)
            times[key].append(elapsed)
    return {
        key: {
            "time": statistics.median(times[key]),
            "invokes": len(counted[key].invokes),
            "resources": len(_custom(counted[key])),
            "registrations": len(counted[key].resources),
            "peak_mib": peak_mib(program),
            "calls": calls(program),
        }
        for key, program in programs.items()
    }


def _custom(mocks: AuthentikHarborMocks) -> list[Registered]:
    return [r for r in mocks.resources if not r.type.startswith("harbor-sso:")]


def check_equivalent() -> None:
    """The baseline is only fair if it registers what the component registers."""
    pairs = (
        (component_program(1), hand_written_program(1)),
        (roles_component_program, roles_hand_written_program),
    )
    for ours, hand in pairs:
        shapes = []
        for program in (ours, hand):
            _, mocks = _run(program)
            shapes.append(sorted((r.type, sorted(r.inputs)) for r in _custom(mocks)))
        if shapes[0] != shapes[1]:
            raise SystemExit(f"hand-written program is not equivalent:\n{shapes[0]}\n{shapes[1]}")


def command_time(cmd: list[str]) -> float:
    runs = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    sys.unraisablehook = quiet_stray_loops  # as the CLI does
    check_equivalent()
    rows = []
    for n in (1, 10, 100):
        programs = {"ours": component_program(n), "hand": hand_written_program(n)}
        if n == 100:
            programs["bare"] = hand_written_with_components(n)
        measured = measure(programs)
        rows.append((n, measured))
        print(f"N={n}: {measured}", flush=True)
    roles = measure({"ours": roles_component_program, "hand": roles_hand_written_program})
    print(f"roles: {roles}", flush=True)
    at100 = rows[-1][1]
    ours, hand, bare = at100["ours"], at100["hand"], at100["bare"]

    py = sys.executable
    floor = command_time([py, "-c", "import pulumi, pulumi_authentik, pulumiverse_harbor"])
    empty = command_time([py, "-c", "pass"])
    imp = command_time([py, "-c", "import harbor_sso"])
    plan = command_time([py, "-m", "harbor_sso.cli", "plan", "--stack", "dev"])

    out = [
        "# Benchmarks",
        "",
        "Produced by `.venv/bin/python benchmarks/run.py` "
        f"(Python {platform.python_version()}, pulumi {metadata.version('pulumi')}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs; median of {REPEATS} interleaved runs). "
        "Under the mock engine. The hand-written program registers the same resources with "
        "the same input keys (the script checks this before measuring). Calls are Python "
        "function calls in one run under cProfile: deterministic, so they show a change "
        "that time on a shared machine (noise of a few per cent) can hide.",
        "",
        "| N | component time | hand-written time | time ratio | calls ratio "
        "| invokes (ours / hand) | resources per Harbor (ours / hand) "
        "| registrations incl. component | peak MiB (ours / hand) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for n, figures in rows:
        o, h = figures["ours"], figures["hand"]
        out.append(
            f"| {n} | {o['time']:.3f} s | {h['time']:.3f} s | {o['time'] / h['time']:.2f} | "
            f"{o['calls'] / h['calls']:.2f} | {o['invokes']:.0f} / {h['invokes']:.0f} | "
            f"{o['resources'] / n:.0f} / {h['resources'] / n:.0f} | "
            f"{o['registrations']:.0f} | {o['peak_mib']:.1f} / {h['peak_mib']:.1f} |"
        )
    o, h = roles["ours"], roles["hand"]
    out += [
        "",
        f"Project roles: one Harbor, {len(ROLE_PROJECTS)} projects x {len(ROLE_GROUPS)} groups "
        "(`project_roles`), against the same written by hand:",
        "",
        "| component time | hand-written time | time ratio | calls ratio "
        "| invokes (ours / hand) | resources (ours / hand) |",
        "|---|---|---|---|---|---|",
        f"| {o['time']:.3f} s | {h['time']:.3f} s | {o['time'] / h['time']:.2f} "
        f"| {o['calls'] / h['calls']:.2f} | {o['invokes']:.0f} / {h['invokes']:.0f} "
        f"| {o['resources']:.0f} / {h['resources']:.0f} |",
    ]
    out += [
        "",
        "Where the time goes at N = 100:",
        "",
        "| program | time | ratio to hand-written | calls | ratio to hand-written |",
        "|---|---|---|---|---|",
    ]
    for label, fig in (
        ("hand-written", hand),
        ("hand-written + one empty ComponentResource per Harbor", bare),
        ("HarborAuthentikSSO", ours),
    ):
        out.append(
            f"| {label} | {fig['time']:.3f} s | {fig['time'] / hand['time']:.2f} "
            f"| {fig['calls']:.0f} | {fig['calls'] / hand['calls']:.2f} |"
        )
    out += [
        "",
        "| command | time | ratio to the import floor |",
        "|---|---|---|",
        f"| `python -c pass` | {empty:.3f} s | {empty / floor:.2f} |",
        f'| floor: `python -c "import pulumi, pulumi_authentik, pulumiverse_harbor"` '
        f"| {floor:.3f} s | 1.00 |",
        f'| `python -c "import harbor_sso"` | {imp:.3f} s | {imp / floor:.2f} |',
        f"| `harbor-sso plan --stack dev` | {plan:.3f} s | {plan / floor:.2f} |",
        "",
    ]
    # Keep the hand-written notes (profiles, before/after) below the marker.
    target = ROOT / "BENCHMARKS.md"
    notes = ""
    if target.exists() and NOTES_MARKER in target.read_text():
        notes = target.read_text().split(NOTES_MARKER, 1)[1]
    target.write_text("\n".join(out) + "\n" + NOTES_MARKER + notes)
    print("\n".join(out))


if __name__ == "__main__":
    main()
