"""Writing files safely: all-or-nothing outputs and formula neutralisation.

Every file finsam_opt writes goes through :func:`atomic_outputs`. The files of
one call (or of one command, when the command line opens a set around it) are
written to temporaries in their target folders, flushed to disk, and only then
renamed onto the targets, all of them or none:

* a failure while writing, an exception, Ctrl-C or SIGTERM leaves every target
  as it was and no temporary behind;
* on Linux the temporaries are anonymous (``O_TMPFILE``) until the rename, so
  even a SIGKILL leaves nothing behind; elsewhere they are hidden files
  ``.<name>.<random>.tmp<suffix>``, removed on any exit Python sees;
* a new file gets the permissions of the umask, a replaced file keeps its mode;
* a read-only target, a folder, a device or a missing folder is an
  :class:`~finsam_opt.errors.InputError` before anything is written, and every
  message names the target, never the temporary.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import stat
import threading
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from pathlib import Path
from types import FrameType
from typing import BinaryIO

from finsam_opt.errors import InputError

__all__ = [
    "FORMULA_PREFIXES",
    "atomic_outputs",
    "exclusive",
    "neutralise",
    "remove_with_outputs",
    "restore",
]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these could run as a formula in a spreadsheet."""

_WRITE_BITS = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name)
)
_ANONYMOUS = hasattr(os, "O_TMPFILE") and os.path.isdir("/proc/self/fd")


def neutralise(text: str) -> str:
    """``'=HYPERLINK(…)'`` → ``"'=HYPERLINK(…)"``: a CSV cell a spreadsheet shows as text."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def restore(text: str) -> str:
    """Undo :func:`neutralise` when reading a file back."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


@contextlib.contextmanager
def atomic_outputs(targets: Iterable[str | Path] = ()) -> Iterator[tuple[Path, ...]]:
    """Write a set of files all or none: yields a temporary path for each target.

    Write each file to its temporary; when the block ends without an error the
    temporaries are flushed and renamed onto the targets together. Inside an
    open set (the command line opens one per command), a nested call adds its
    targets to that set, so all files of the command are replaced together.

    Parameters
    ----------
    targets : iterable of str or Path
        The files to write (in existing folders). May be empty for a set that
        nested calls fill.

    Yields
    ------
    tuple of Path
        One temporary path per target, in order. Write to it by path (it may
        be ``/proc/self/fd/N``: pass a file format explicitly where a writer
        guesses it from the suffix).

    Raises
    ------
    InputError
        A target is read-only, a folder or device, its folder is missing, it
        is named twice, or writing failed (the message names the target).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from finsam_opt.io.safe import atomic_outputs
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_outputs([folder / "a.csv", folder / "b.csv"]) as (a, b):
    ...     _ = a.write_text("x\\n1\\n")
    ...     _ = b.write_text("y\\n2\\n")
    >>> sorted(p.name for p in folder.iterdir())
    ['a.csv', 'b.csv']
    >>> try:
    ...     with atomic_outputs([folder / "a.csv"]) as (a,):
    ...         _ = a.write_text("half")
    ...         raise RuntimeError("the writer failed")
    ... except RuntimeError:
    ...     pass
    >>> (folder / "a.csv").read_text()  # unchanged
    'x\\n1\\n'
    """
    outer = _ACTIVE.get()
    if outer is not None:
        yield tuple(outer.stage(Path(t)) for t in targets)
        return
    outputs = _OutputSet()
    token = _ACTIVE.set(outputs)
    try:
        with _signals_raise_exit():
            try:
                staged = tuple(outputs.stage(Path(t)) for t in targets)
                yield staged
                outputs.commit()
            except OSError as error:
                raise outputs.named(error) from None
    finally:
        _ACTIVE.reset(token)
        outputs.discard()


class _Temporary:
    """One staged file: anonymous (``O_TMPFILE``) where the system allows, else hidden."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.path = target
        self.named: Path | None = None
        self.descriptor = -1
        self.folder = -1
        try:
            self._create()
        except BaseException:
            self.close()
            raise

    def _create(self) -> None:
        if _ANONYMOUS:
            try:
                self.descriptor = os.open(self.target.parent, os.O_TMPFILE | os.O_RDWR, 0o666)
                self.folder = os.open(self.target.parent, os.O_RDONLY | os.O_DIRECTORY)
                self.path = Path(f"/proc/self/fd/{self.descriptor}")
                return
            except OSError:
                self.close()  # the file system has no anonymous files: use a hidden one
        name = f".{self.target.stem}.{secrets.token_hex(4)}.tmp{self.target.suffix}"
        self.named = self.target.parent / name
        # Mode 0o666 minus the umask, as any new file; never a world-readable 0o600 surprise.
        self.descriptor = os.open(self.named, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o666)
        self.path = self.named

    def flush(self) -> None:
        if self.target.exists():
            mode = stat.S_IMODE(self.target.stat().st_mode)
            if self.named is not None:
                os.chmod(self.named, mode)
            else:
                os.fchmod(self.descriptor, mode)
        os.fsync(self.descriptor)

    def install(self) -> None:
        if self.named is not None:
            os.replace(self.named, self.target)
            self.named = None
            return
        hidden = f".{self.target.name}.{secrets.token_hex(4)}.tmp"
        os.link(self.path, hidden, dst_dir_fd=self.folder, follow_symlinks=True)
        try:
            os.replace(hidden, self.target.name, src_dir_fd=self.folder, dst_dir_fd=self.folder)
        except OSError:
            os.unlink(hidden, dir_fd=self.folder)
            raise

    def close(self) -> None:
        for descriptor in (self.descriptor, self.folder):
            if descriptor >= 0:
                os.close(descriptor)
        self.descriptor = self.folder = -1
        if self.named is not None:
            self.named.unlink(missing_ok=True)
            self.named = None


@contextlib.contextmanager
def exclusive(folder: str | Path) -> Iterator[None]:
    """Hold ``folder`` (its parent while it does not exist) for one command at a time.

    A second command on the same folder is refused instead of waiting: two runs at
    once would each save what it read, and one of them would be lost. Where the
    system has no ``fcntl`` (Windows) nothing is held.

    Examples
    --------
    >>> import tempfile
    >>> from finsam_opt.io.safe import exclusive
    >>> folder = tempfile.mkdtemp()
    >>> with exclusive(folder):
    ...     try:
    ...         with exclusive(folder):
    ...             pass
    ...     except InputError as error:
    ...         print(str(error).split(": ", 1)[1])
    another finsam-opt command is working on this folder; wait until it has finished
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    path = Path(folder)
    held = path if path.is_dir() else path.absolute().parent
    handle = os.open(held, os.O_RDONLY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(
                f"{folder}: another finsam-opt command is working on this folder; wait until "
                "it has finished",
                sv=f"{folder}: ett annat finsam-opt-kommando arbetar i mappen; vänta tills det "
                "är klart",
            ) from None
        yield
    finally:
        os.close(handle)  # closing releases the lock


def remove_with_outputs(paths: Iterable[Path]) -> None:
    """Remove ``paths`` once the open set of outputs is in place (now when none is open).

    A file an output set makes obsolete (a saved round that was dropped) goes
    when the set is committed, never when the set fails.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from finsam_opt.io.safe import atomic_outputs, remove_with_outputs
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "old.csv").write_text("x")
    >>> with atomic_outputs([folder / "new.csv"]) as (new,):
    ...     _ = new.write_text("y")
    ...     remove_with_outputs([folder / "old.csv"])
    ...     (folder / "old.csv").exists()
    True
    >>> sorted(p.name for p in folder.iterdir())
    ['new.csv']
    """
    outputs = _ACTIVE.get()
    if outputs is None:
        for path in paths:
            path.unlink(missing_ok=True)
    else:
        outputs.removed.extend(Path(p).absolute() for p in paths)


class _OutputSet:
    def __init__(self) -> None:
        self.staged: dict[Path, _Temporary] = {}
        self.removed: list[Path] = []

    def stage(self, target: Path) -> Path:
        target = target.absolute()
        if target in self.staged:
            raise InputError(
                f"{target}: named twice as an output of one command",
                sv=f"{target}: angiven två gånger som utfil till samma kommando",
            )
        _check_target(target)
        try:
            self.staged[target] = _Temporary(target)
        except OSError as error:
            raise InputError(
                f"{target}: cannot be written ({error.strerror})",
                sv=f"{target}: kan inte skrivas ({error.strerror})",
            ) from None
        return self.staged[target].path

    def commit(self) -> None:
        for temporary in self.staged.values():
            temporary.flush()
        for target in self.staged:
            _check_target(target)  # again: the last moment before anything is replaced
        with _signals_blocked():
            # The files being replaced stay open, so alive, until the whole set is in place:
            # if a later rename fails they are copied back. Nothing named is left behind.
            previous = {target: _open_previous(target) for target in self.staged}
            done: list[Path] = []
            # A file to remove is first renamed aside: one that cannot go (immutable, a
            # read-only folder) stops the set before anything is replaced.
            aside: list[tuple[Path, Path]] = []
            try:
                for path in self.removed:
                    if path not in self.staged and path.exists():
                        hidden = path.with_name(f".{path.name}.{secrets.token_hex(6)}.removed")
                        try:
                            os.rename(path, hidden)
                        except OSError as error:
                            raise InputError(
                                f"{path}: could not be removed ({error.strerror or error}); "
                                "nothing was changed",
                                sv=f"{path}: kunde inte tas bort ({error.strerror or error}); "
                                "inget ändrades",
                            ) from None
                        aside.append((path, hidden))
                for target, temporary in self.staged.items():
                    temporary.install()
                    done.append(target)
            except (OSError, InputError):
                for target in reversed(done):
                    _put_back(target, previous[target])
                for path, hidden in reversed(aside):
                    os.rename(hidden, path)
                raise
            finally:
                for handle in previous.values():
                    if handle is not None:
                        handle.close()
            for _, hidden in aside:
                with contextlib.suppress(OSError):  # at worst a hidden leftover, named .removed
                    hidden.unlink()
            for folder in {target.parent for target in (*self.staged, *self.removed)}:
                _sync_folder(folder)  # the renames themselves reach the disk

    def named(self, error: OSError) -> InputError:
        target = next(
            (t for t, tmp in self.staged.items() if str(tmp.path) == str(error.filename)),
            next(iter(self.staged), None),
        )
        where = str(target) if target is not None else str(error.filename)
        return InputError(
            f"{where}: could not be written ({error.strerror or error})",
            sv=f"{where}: kunde inte skrivas ({error.strerror or error})",
        )

    def discard(self) -> None:
        for temporary in self.staged.values():
            temporary.close()
        self.staged.clear()


_ACTIVE: ContextVar[_OutputSet | None] = ContextVar("finsam_outputs", default=None)


def _check_target(target: Path) -> None:
    if not target.parent.is_dir():
        raise InputError(
            f"{target}: the folder {target.parent} does not exist",
            sv=f"{target}: mappen {target.parent} finns inte",
        )
    try:
        info = target.stat()
    except FileNotFoundError:
        return
    if stat.S_ISDIR(info.st_mode):
        raise InputError(
            f"{target}: is a folder; give a file name to write",
            sv=f"{target}: är en mapp; ange ett filnamn att skriva till",
        )
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            f"{target}: is not a regular file (a pipe or device); refused",
            sv=f"{target}: är ingen vanlig fil (en pipe eller en enhet); skrivs inte",
        )
    if not info.st_mode & _WRITE_BITS or not os.access(target, os.W_OK):
        raise InputError(
            f"{target}: the file is read-only; make it writable or choose another name",
            sv=f"{target}: filen är skrivskyddad; ta bort skrivskyddet eller välj ett annat namn",
        )


def _sync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows opens no folders
        return
    try:
        os.fsync(descriptor)
    except OSError:  # pragma: no cover - some file systems cannot sync a folder
        pass
    finally:
        os.close(descriptor)


def _open_previous(target: Path) -> BinaryIO | None:
    """The file about to be replaced, open for reading; None if there is none."""
    try:
        return open(target, "rb")
    except FileNotFoundError:
        return None


def _put_back(target: Path, previous: BinaryIO | None) -> None:
    """Undo one rename: the previous content back under its name, or no file."""
    if previous is None:
        target.unlink(missing_ok=True)
        return
    restored = _Temporary(target)
    try:
        previous.seek(0)
        with open(restored.path, "wb") as handle:
            shutil.copyfileobj(previous, handle)
        restored.flush()
        restored.install()
    finally:
        restored.close()


@contextlib.contextmanager
def _signals_raise_exit() -> Iterator[None]:
    """SIGTERM and SIGHUP end the process through Python, so the temporaries are removed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for number in _SIGNALS:
        if number == getattr(signal, "SIGINT", None):
            continue  # Python already raises KeyboardInterrupt
        try:
            previous[number] = signal.signal(number, _exit_on_signal)
        except (OSError, ValueError):  # pragma: no cover - signal not available here
            continue
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _exit_on_signal(number: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + number)


@contextlib.contextmanager
def _signals_blocked() -> Iterator[None]:
    """No signal lands between two renames of one set; it is delivered right after."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
