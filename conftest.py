"""Repository-wide pytest hooks.

A test marked `real_component("<name>")` may skip when the program is missing on a developer's
machine. In CI (LAYAN_REQUIRE_REAL_COMPONENTS=1) such a skip is turned into a failure, so a
silently missing PostgreSQL, chromium or gammu can never make the run look green.
LAYAN_SKIP_ALLOWED_FOR=postgresql (comma-separated names) exempts components that another run
covers: the SQLite pass of .ci/run skips the PostgreSQL-only tests that its PostgreSQL pass runs.
"""

import os

import pytest

pytest_plugins = ["pytester", "testkit.fixtures"]

REQUIRE_ENV = "LAYAN_REQUIRE_REAL_COMPONENTS"
ALLOWED_ENV = "LAYAN_SKIP_ALLOWED_FOR"
_skipped_key = pytest.StashKey[list[str]]()


def _required() -> bool:
    return os.environ.get(REQUIRE_ENV, "").strip().lower() in ("1", "true", "yes", "on")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    marker = item.get_closest_marker("real_component")
    # xfail is reported as a skip too; it is a deliberate expectation, not a missing program.
    if marker is None or not report.skipped or hasattr(report, "wasxfail") or not _required():
        return
    name = marker.args[0] if marker.args else "?"
    if name in {n.strip() for n in os.environ.get(ALLOWED_ENV, "").split(",")}:
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = f"real component '{name}' is required here ({REQUIRE_ENV}=1) but the test was skipped: {reason}"
    item.config.stash.setdefault(_skipped_key, []).append(f"{item.nodeid} [{name}]")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = config.stash.get(_skipped_key, [])
    if skipped:
        terminalreporter.section("real components missing", sep="=", red=True, bold=True)
        for line in skipped:
            terminalreporter.line(line)
