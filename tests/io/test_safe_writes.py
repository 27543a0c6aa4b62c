"""All or nothing on the way out (issue 14, item 5): atomic_outputs and the writers using it."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import finsam_opt as fo
from finsam_opt.cli import main
from finsam_opt.errors import InputError
from finsam_opt.io import safe
from finsam_opt.io.decision import write_table
from finsam_opt.io.safe import atomic_outputs

SRC = Path(fo.__file__).parent.parent


@pytest.fixture(params=["anonymous", "hidden"])
def kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test runs with anonymous (O_TMPFILE) and with hidden named temporaries."""
    if request.param == "hidden":
        monkeypatch.setattr(safe, "_ANONYMOUS", False)
    elif not safe._ANONYMOUS:
        pytest.fail("this system should have O_TMPFILE and /proc/self/fd (Linux)")
    return str(request.param)


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def _table() -> pd.DataFrame:
    return pd.DataFrame({"unit": ["A", "B"], "allocation": [1.0, 2.0]})


def test_a_pair_is_written_all_or_none(kind: str, tmp_path: Path, umask: None) -> None:
    # The decision table replaced out.csv before it found out_parametrar.csv read-only.
    out, extra = tmp_path / "out.csv", tmp_path / "out_parametrar.csv"
    out.write_text("old")
    extra.write_text("old parameters")
    extra.chmod(0o444)
    with pytest.raises(InputError) as info:
        write_table(_table(), out, [("Budget (kr)", 3.0)])
    assert str(info.value) == (
        f"{extra}: the file is read-only; make it writable or choose another name"
    )
    assert out.read_text() == "old"
    assert extra.read_text() == "old parameters"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "out_parametrar.csv"]


def test_a_failed_rename_puts_back_the_files_already_replaced(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("old a")
    real = safe._Temporary.install

    def install(self: safe._Temporary) -> None:
        if self.target == second:
            raise OSError(28, "No space left on device", str(self.path))
        real(self)

    monkeypatch.setattr(safe._Temporary, "install", install)
    with pytest.raises(InputError, match=rf"{second}: could not be written \(No space left"):
        with atomic_outputs([first, second]) as (a, b):
            a.write_text("new a")
            b.write_text("new b")
    assert first.read_text() == "old a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]


def test_an_error_while_writing_names_the_target_not_the_temporary(
    kind: str, tmp_path: Path
) -> None:
    target = tmp_path / "beslut.xlsx"
    with pytest.raises(InputError) as info:
        with atomic_outputs([target]) as (temporary,):
            raise OSError(28, "No space left on device", str(temporary))
    assert str(info.value) == f"{target}: could not be written (No space left on device)"
    assert list(tmp_path.iterdir()) == []


def test_an_exception_leaves_no_file_and_no_temporary(kind: str, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old")
    with pytest.raises(KeyboardInterrupt):
        with atomic_outputs([target, tmp_path / "new.csv"]) as (a, _):
            a.write_text("half")
            raise KeyboardInterrupt
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_gets_the_umask(kind: str, tmp_path: Path, mask: int, mode: int) -> None:
    old = os.umask(mask)
    try:
        write_table(_table(), tmp_path / "out.xlsx")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out.xlsx").stat().st_mode) == mode


def test_a_replaced_file_keeps_its_mode(kind: str, tmp_path: Path, umask: None) -> None:
    target = tmp_path / "out.xlsx"
    target.write_text("old")
    target.chmod(0o640)
    write_table(_table(), target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.mkdir(), "is a folder; give a file name to write"),
        (lambda p: os.mkfifo(p), "is not a regular file (a pipe or device); refused"),
        (lambda p: None, "the folder"),
    ],
)
def test_targets_that_are_not_files_are_refused(
    kind: str, tmp_path: Path, make, message: str
) -> None:
    target = tmp_path / "out.csv"
    if message == "the folder":
        target = tmp_path / "missing" / "out.csv"
    make(target)
    with pytest.raises(InputError) as info:
        write_table(_table(), target)
    assert str(info.value).startswith(f"{target}: ")
    assert message in str(info.value)


def test_a_target_named_twice_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="named twice as an output of one command"):
        with atomic_outputs([tmp_path / "a.csv", tmp_path / "a.csv"]):
            pass


def test_one_command_replaces_all_its_files_or_none(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # compare writes the table, then the summary: a read-only summary leaves the table as it was.
    units = tmp_path / "u.csv"
    fo.example_units().to_csv(units, index_label="unit")
    table, summary = tmp_path / "table.csv", tmp_path / "summary.csv"
    table.write_text("old table")
    summary.write_text("old summary")
    summary.chmod(0o444)
    argv = ["compare", str(units), "--budget", "20e6", "--output", str(table)]
    assert main([*argv, "--summary", str(summary)]) == 2
    assert "summary.csv: filen är skrivskyddad" in capsys.readouterr().err
    assert table.read_text() == "old table"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.csv", "table.csv", "u.csv"]


_BLOCKING_WRITE = """
import sys
import finsam_opt.io.decision as decision
from finsam_opt.cli import main
from finsam_opt.io import safe

if sys.argv[2] == "hidden":
    safe._ANONYMOUS = False
real = decision.write_workbook

def write_and_wait(path, *args, **kwargs):
    real(path, *args, **kwargs)  # the whole new workbook is in the temporary
    print("written", flush=True)
    sys.stdin.readline()  # wait here until the test kills the process

decision.write_workbook = write_and_wait
sys.exit(main(["example", "-o", sys.argv[1]]))
"""


def _interruptible() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize(
    ("kind", "number", "code"),
    [
        ("anonymous", signal.SIGKILL, -signal.SIGKILL),
        ("anonymous", signal.SIGTERM, 128 + signal.SIGTERM),
        ("hidden", signal.SIGTERM, 128 + signal.SIGTERM),
        ("hidden", signal.SIGINT, -signal.SIGINT),
    ],
)
def test_a_killed_write_leaves_the_old_output_and_no_temporary(
    kind: str, number: int, code: int, tmp_path: Path
) -> None:
    target = tmp_path / "beslut.xlsx"
    target.write_bytes(b"the old decision table")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    with subprocess.Popen(
        [sys.executable, "-c", _BLOCKING_WRITE, str(target), kind],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        # As in a terminal: a background job (a CI runner's, say) inherits SIGINT ignored,
        # and then no Ctrl-C reaches the command at all.
        preexec_fn=_interruptible,
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if line.strip() == "written":
                break
        else:
            pytest.fail(
                f"the write never started: {process.stderr.read() if process.stderr else ''}"
            )
        process.send_signal(number)
        process.communicate(timeout=60)  # reads what is left in the pipes while it waits
    assert process.returncode == code  # SIGTERM ends through SystemExit(143), cleaning up
    assert target.read_bytes() == b"the old decision table"
    assert [p.name for p in tmp_path.iterdir()] == ["beslut.xlsx"]


def test_a_read_only_output_is_refused_in_swedish(tmp_path: Path) -> None:
    target = tmp_path / "beslut.csv"
    target.write_text("old")
    target.chmod(0o444)
    with pytest.raises(InputError) as info:
        write_table(_table(), target)
    assert info.value.text("sv") == (
        f"{target}: filen är skrivskyddad; ta bort skrivskyddet eller välj ett annat namn"
    )
    missing = tmp_path / "saknas" / "beslut.csv"
    with pytest.raises(InputError) as info:
        write_table(_table(), missing)
    assert info.value.text("sv") == f"{missing}: mappen {missing.parent} finns inte"
