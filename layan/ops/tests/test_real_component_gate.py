"""The CI gate: a skipped real-component test fails the run when LAYAN_REQUIRE_REAL_COMPONENTS=1."""

import re
from pathlib import Path

import pytest

ROOT_CONFTEST = Path(__file__).resolve().parents[3] / "conftest.py"

TESTS = """
import pytest

@pytest.mark.real_component("wrk")
def test_needs_wrk():
    pytest.skip("wrk is not installed")

@pytest.mark.real_component("chromium")
@pytest.mark.skipif(True, reason="no chromium")
def test_needs_chromium():
    pass

@pytest.mark.real_component("gammu")
@pytest.mark.xfail(reason="known gap")
def test_expected_failure():
    assert False

def test_plain_skip():
    pytest.skip("not a real component")
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    # The hooks alone: the project's fixture plugins are not importable from pytester's directory.
    pytester.makeconftest(re.sub(r"^pytest_plugins = .*$", "", ROOT_CONFTEST.read_text(), flags=re.M))
    pytester.makeini("[pytest]\nmarkers =\n    real_component(name): needs a real program\n")
    pytester.makepyfile(test_components=TESTS)
    return pytester


def run(project: pytest.Pytester, monkeypatch, required: str | None, allowed: str = "") -> pytest.RunResult:
    monkeypatch.setenv("LAYAN_SKIP_ALLOWED_FOR", allowed)
    if required is None:
        monkeypatch.delenv("LAYAN_REQUIRE_REAL_COMPONENTS", raising=False)
    else:
        monkeypatch.setenv("LAYAN_REQUIRE_REAL_COMPONENTS", required)
    # Third-party plugins (django, hypothesis, schemathesis) only slow the inner run down.
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    return project.runpytest_subprocess("-p", "no:cacheprovider", "-ra")


def test_skips_of_real_components_pass_on_a_developer_machine(project, monkeypatch):
    result = run(project, monkeypatch, None)
    result.assert_outcomes(skipped=3, xfailed=1)
    assert result.ret == 0


def test_skips_of_real_components_fail_in_ci_and_are_named(project, monkeypatch):
    result = run(project, monkeypatch, "1")
    # The plain skip and the xfail stay as they are; only the two missing programs fail.
    result.assert_outcomes(failed=1, errors=1, skipped=1, xfailed=1)
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*real components missing*", "*test_needs_wrk [[]wrk]*", "*test_needs_chromium*"])
    result.stdout.fnmatch_lines(["*real component 'wrk' is required here*wrk is not installed*"])


def test_a_component_covered_by_another_run_may_skip(project, monkeypatch):
    result = run(project, monkeypatch, "1", allowed="wrk")

    result.assert_outcomes(errors=1, skipped=2, xfailed=1)
    result.stdout.fnmatch_lines(["*test_needs_chromium [[]chromium]*"])
    result.stdout.no_fnmatch_line("*test_needs_wrk [[]wrk]*")
