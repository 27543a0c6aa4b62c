"""The browser tests skip on a machine without chromium, unless CI requires them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import headless


def test_missing_chromium_skips_with_a_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.delenv(headless.REQUIRE, raising=False)
    with pytest.raises(pytest.skip.Exception, match="chromium is not installed"):
        headless.chromium_binary()


def test_ci_turns_the_skip_into_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setenv(headless.REQUIRE, "1")
    with pytest.raises(pytest.fail.Exception, match="FINSAM_REQUIRE_BROWSER=1 requires"):
        headless.chromium_binary()


def test_ci_script_installs_chromium_and_requires_the_browser_tests() -> None:
    script = (Path(__file__).parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert "apt-get install" in script and "chromium" in script
    assert f"export {headless.REQUIRE}=1" in script
    assert "ruff check ." in script and "mypy src" in script


def test_a_fresh_machine_without_chromium_passes_the_browser_tests(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's test command on a machine without chromium: skipped, not failed."""
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv(headless.REQUIRE, raising=False)
    pytester.makepyfile(
        test_browser="""
        import headless

        def test_needs_a_browser(tmp_path):
            headless.chromium("--version", profile=tmp_path)
        """
    )
    result = pytester.runpytest_inprocess("-rs", "-p", "no:cacheprovider")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*chromium is not installed*"])
