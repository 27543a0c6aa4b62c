"""Headless chromium for the browser tests: skipped on a machine without it, required in CI.

The README's test command must pass on a fresh machine, where chromium is
usually missing: the browser tests then skip and say why. ``.ci/run`` installs
chromium and sets ``FINSAM_REQUIRE_BROWSER=1``, which turns that skip into a
failure, so CI always runs them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REQUIRE = "FINSAM_REQUIRE_BROWSER"

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def chromium_binary() -> str:
    """The chromium executable; skips the calling test if missing (fails if required)."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is not None:
        return binary
    reason = "chromium is not installed (apt-get install chromium; .ci/run installs it)"
    if os.environ.get(REQUIRE) == "1":
        pytest.fail(f"{reason}, and {REQUIRE}=1 requires the browser tests")
    pytest.skip(reason)


def chromium(*arguments: str, profile: Path) -> subprocess.CompletedProcess[str]:
    """Run headless chromium with a fresh profile; raises if it fails."""
    return subprocess.run(
        [chromium_binary(), *FLAGS, f"--user-data-dir={profile}", *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
