"""The systemd units shipped in deploy/systemd/ are valid and run what `manage.py serve` runs."""

import shutil
import subprocess
from pathlib import Path

import pytest

from layan.ops.serve import WORKERS

ROOT = Path(__file__).resolve().parents[3]
UNITS = ROOT / "deploy" / "systemd"
SERVICES = sorted(UNITS.glob("*.service"))


def directives(unit: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in unit.read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def test_every_process_serve_starts_has_a_unit_that_restarts_on_failure():
    commands = {" ".join(directives(u)["ExecStart"][0].split()[1:]): u.name for u in SERVICES}
    assert any(c.startswith("-m granian --interface wsgi") for c in commands)
    for argv in WORKERS:
        assert "manage.py " + " ".join(argv) in commands, commands
    assert len(SERVICES) == len(WORKERS) + 1
    for unit in SERVICES:
        assert directives(unit)["Restart"] == ["on-failure"], unit.name
        assert directives(unit)["UMask"] == ["0077"], unit.name


@pytest.mark.real_component("systemd")
def test_systemd_analyze_verify_accepts_the_units(tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed (Debian package systemd)")
    # verify checks that ExecStart's program exists: point the units at this checkout.
    for unit in UNITS.iterdir():
        (tmp_path / unit.name).write_text(unit.read_text().replace("/opt/layan", str(ROOT)))
    result = subprocess.run(
        ["systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
        timeout=60,
    )
    # A misspelt directive is only a warning ("ignoring"), so any output fails too.
    assert result.returncode == 0 and not result.stderr.strip() and not result.stdout.strip(), (
        result.stdout + result.stderr
    )
