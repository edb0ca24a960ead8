"""Writing folders atomically: nothing half-written is ever left where a user looks.

:func:`atomic_directory` builds an output folder in a hidden sibling and swaps it in at
the end. The rules, so that a run killed at any moment leaves the old output or the new
one and never touches what the user did not ask cetrus to write:

* **What may be replaced.** An existing ``out`` is replaced only when it is a folder
  cetrus wrote: it holds the marker file :data:`MARKER` naming the same kind of output
  (``results``, ``replica``, ``audit``, ``output``), or — written by a cetrus from before
  the marker — the files that kind always holds (:data:`LEGACY_SIGNATURES`), or it is
  empty. A regular file, a symbolic link, a non-empty folder of anything else, the
  current folder or one of its parents is an error naming it; nothing is moved.
* **Temporary folders carry their owner.** The sibling is ``.NAME.tmp-PID-XXXX``; the
  next run writing ``NAME`` removes those whose process ``PID`` is gone (killed runs),
  and never one of a live process. Nameless ones from older cetrus versions
  (``.NAME.tmp-XXXXXXXX``) are removed once older than :data:`LEGACY_TMP_AGE` seconds.
* **The swap.** On Linux the new folder and the old one trade places in one
  ``renameat2(RENAME_EXCHANGE)`` call: at every instant ``out`` is the old folder or the
  new one. Where that call is missing, the old folder is first renamed to
  ``.NAME.old-PID`` and the new one put in place; a run killed between the two renames
  leaves ``out`` missing and ``.NAME.old-PID`` present, and the next run renames it back
  before doing anything else (:func:`recover`).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import secrets
import shutil
import stat
import time
from collections.abc import Iterator
from pathlib import Path

from cetrus.errors import InputError, OutputError

__all__ = [
    "atomic_directory",
    "atomic_file",
    "check_output",
    "check_output_file",
    "clean_stale_files",
    "write_text_atomic",
    "recover",
    "regular_file",
    "MARKER",
    "LEGACY_SIGNATURES",
]

#: marker file cetrus writes into every output folder: its content is the output's kind
MARKER = ".cetrus-output"
#: files that mark a folder written by a cetrus from before :data:`MARKER`, per kind
LEGACY_SIGNATURES: dict[str, tuple[str, ...]] = {
    "results": ("results.json", "values.yml"),
    "replica": ("SYNTHETIC_manifest.json", "SYNTHETIC_README.md"),
    "audit": ("findings.json", "audit.html"),
    "output": ("manuscript.html",),
}
#: seconds after which a temporary folder of an older cetrus (no PID in its name) is stale
LEGACY_TMP_AGE = 24 * 3600

_RENAME_EXCHANGE = 2
#: what each kind of output is, in messages
KIND_WORDS = {
    "results": "analysis results",
    "replica": "a replica cohort",
    "audit": "an audit",
    "output": "rendered documents",
}


def regular_file(path: str | Path, what: str) -> Path:
    """``path`` as a Path when it is an existing regular file (after symlinks), else an
    :class:`InputError` naming it: a missing file, a folder, a device such as
    ``/dev/zero`` or a FIFO (which would make a reader wait or read forever)."""
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise InputError(f"{what} not found: {p}") from None
    except NotADirectoryError:
        raise InputError(f"{what} not found (a parent is not a folder): {p}") from None
    except OSError as exc:
        raise InputError(f"{what} unreadable ({exc.strerror or exc}): {p}") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{what} is a folder, not a file: {p}")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{what} is not a regular file (a device, FIFO or socket): {p}")
    return p


# --------------------------------------------------------------------------- helpers


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    # a zombie (killed, not yet reaped) is dead for our purpose
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            state = fh.read().rsplit(b")", 1)[1].split()[0]
        return state not in (b"Z", b"X")
    except (OSError, IndexError):
        return True


def _exchange(a: Path, b: Path) -> bool:
    """Swap ``a`` and ``b`` in one step (Linux ``renameat2(RENAME_EXCHANGE)``).

    Returns False when the call is not available here (other OS, old kernel or libc,
    a file system without it); raises OSError for any other failure.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    at_fdcwd = -100
    if fn(at_fdcwd, os.fsencode(str(a)), at_fdcwd, os.fsencode(str(b)), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _rmtree(p: Path) -> None:
    shutil.rmtree(p, ignore_errors=True)


_NEW_TMP = re.compile(r"\.tmp-(\d+)-[A-Za-z0-9_]+")
_LEGACY_TMP = re.compile(r"\.tmp-[a-z0-9_]{8}")
_OLD = re.compile(r"\.old(?:-(\d+))?")


def recover(out: str | Path) -> None:
    """Undo what killed runs left beside ``out``: restore ``out`` from ``.NAME.old-PID``
    when ``out`` is missing, and remove the temporary and old folders of dead runs."""
    out = Path(out)
    parent = out.parent if str(out.parent) else Path(".")
    head = f".{out.name}"
    try:
        entries = [e for e in os.scandir(parent) if e.name.startswith(head + ".")]
    except OSError:
        return
    now = time.time()
    # first the old folder of an interrupted swap (out missing): put it back
    for e in sorted(entries, key=lambda e: e.name):
        m = _OLD.fullmatch(e.name[len(head) :])
        if m is None:
            continue
        pid = int(m.group(1)) if m.group(1) else 0
        if pid and _pid_alive(pid):
            continue
        p = Path(e.path)
        if not os.path.lexists(out) and p.is_dir() and not p.is_symlink():
            os.rename(p, out)
        else:
            _rmtree(p)
    for e in entries:
        rest = e.name[len(head) :]
        p = Path(e.path)
        if not (e.is_dir(follow_symlinks=False)):
            continue
        m = _NEW_TMP.fullmatch(rest)
        if m is not None:
            if not _pid_alive(int(m.group(1))):
                _rmtree(p)
        elif _LEGACY_TMP.fullmatch(rest):
            with contextlib.suppress(OSError):
                if now - e.stat(follow_symlinks=False).st_mtime > LEGACY_TMP_AGE:
                    _rmtree(p)


def check_output(out: Path, kind: str) -> None:
    """Raise unless ``out`` is absent, empty, or a folder cetrus wrote as ``kind``.

    First undoes what a killed run left beside ``out`` (:func:`recover`)."""
    if not out.name or out.name in (".", ".."):
        raise InputError(f"output folder must be named; got {str(out)!r}")
    if out.parent.is_dir():
        recover(out)
    here = Path.cwd().resolve()
    absolute = out.resolve()
    if absolute == here or absolute in here.parents:
        raise InputError(
            f"output folder {out} is the current folder or one of its parents; "
            "choose a folder of its own"
        )
    # every existing parent must be a folder (an output under a regular file cannot exist)
    for parent in reversed(out.absolute().parents):
        if os.path.lexists(parent) and not parent.is_dir():
            raise InputError(f"cannot write {out}: {parent} is a file, not a folder")
    if out.is_symlink():
        raise InputError(
            f"output folder {out} is a symbolic link; cetrus replaces only a "
            "folder it wrote (pass the folder the link points to)"
        )
    if not out.exists():
        _check_writable(out)
        return
    if not out.is_dir():
        raise InputError(
            f"output {out} exists and is a file, not a folder; cetrus never "
            "replaces a file (remove it or choose another output folder)"
        )
    marker = out / MARKER
    if marker.is_file():
        try:
            found = marker.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            found = ""
        if found.split()[:1] == [kind]:
            _check_writable(out)
            return
        theirs = found.split()[0] if found else "?"
        raise InputError(
            f"output folder {out} holds {KIND_WORDS.get(theirs, theirs)} written "
            f"by cetrus, not {KIND_WORDS.get(kind, kind)}; choose another folder"
        )
    legacy = LEGACY_SIGNATURES.get(kind)
    if not (legacy and all((out / f).is_file() for f in legacy)):
        try:
            empty = not any(out.iterdir())
        except OSError as exc:
            raise InputError(f"output folder {out} unreadable ({exc.strerror or exc})") from None
        if not empty:
            raise InputError(
                f"output folder {out} exists, is not empty and was not written by "
                f"cetrus (no {MARKER} file); cetrus replaces only its own output "
                "folders: choose another folder or empty this one"
            )
    _check_writable(out)


def _check_writable(out: Path) -> None:
    """The folder that will hold ``out`` (its nearest existing ancestor) accepts writes:
    a read-only file system is said before any work, naming the folder."""
    parent = out.absolute().parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not os.access(parent, os.W_OK | os.X_OK):
        reason = "read-only file system" if _read_only(parent) else "permission denied"
        raise OutputError(f"cannot write {out}: {parent} is not writable ({reason})")


def _read_only(p: Path) -> bool:
    try:
        return bool(os.statvfs(p).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


def _write_error(exc: OSError, out: Path, tmp: Path) -> OutputError:
    """An OSError met while writing ``out`` (inside ``tmp``), as one line naming ``out``."""
    reason = exc.strerror or (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    name = os.fsdecode(exc.filename) if exc.filename is not None else ""
    where = name.replace(str(tmp), str(out)) if name else str(out)
    err = OutputError(exc.errno, f"cannot write {where}: {reason}")
    return err


@contextlib.contextmanager
def atomic_directory(out: str | Path, kind: str = "output") -> Iterator[Path]:
    """Build a folder in a hidden sibling temp folder and swap it in on success.

    ``kind`` names the output (written into :data:`MARKER`); an existing ``out`` is
    replaced only when it is a folder of that kind cetrus wrote (or empty). On any
    exception — KeyboardInterrupt included — the temp folder is removed and ``out`` is
    left as it was. See the module docstring for the swap and for the clean-up of
    folders left by killed runs.
    """
    out = Path(out)
    check_output(out, kind)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise InputError(f"cannot write {out}: {out.parent} is a file, not a folder") from None
    recover(out)
    check_output(out, kind)  # a restored folder is checked like any other
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        tmp.mkdir(mode=0o700)
    except OSError as exc:
        raise _write_error(exc, out, tmp) from None
    try:
        yield tmp
        (tmp / MARKER).write_text(
            f"{kind}\nwritten by cetrus; this folder is replaced as a whole by the next run\n",
            encoding="utf-8",
        )
        tmp.chmod(0o755)
        if not os.path.lexists(out):
            os.rename(tmp, out)
        elif _exchange(tmp, out):
            _rmtree(tmp)  # now the previous output
        else:
            old = out.with_name(f".{out.name}.old-{os.getpid()}")
            _rmtree(old)
            os.rename(out, old)
            try:
                os.rename(tmp, out)
            except BaseException:
                os.rename(old, out)
                raise
            _rmtree(old)
    except OutputError:
        _rmtree(tmp)
        raise
    except OSError as exc:  # disk full, a folder made read-only meanwhile, …
        _rmtree(tmp)
        name = os.fsdecode(exc.filename) if exc.filename is not None else None
        if name is not None and not name.startswith(str(tmp)) and not name.startswith(str(out)):
            raise  # an input that could not be read: its own message names it
        raise _write_error(exc, out, tmp) from None
    except BaseException:
        _rmtree(tmp)
        raise


# --------------------------------------------------------------------------- single files


def clean_stale_files(out: str | Path) -> None:
    """Remove the temporary files of dead runs beside the file ``out``:
    ``.NAME.PID.tmp`` (cetrus extract) and ``.NAME.tmp-PID-XXXX`` (:func:`atomic_file`)."""
    out = Path(out)
    parent = out.parent if str(out.parent) else Path(".")
    head = f".{out.name}"
    try:
        entries = [e for e in os.scandir(parent) if e.name.startswith(head + ".")]
    except OSError:
        return
    for e in entries:
        rest = e.name[len(head) :]
        m = re.fullmatch(r"\.(\d+)\.tmp", rest) or re.fullmatch(r"\.tmp-(\d+)-[0-9a-f]+", rest)
        if m is None or _pid_alive(int(m.group(1))):
            continue
        with contextlib.suppress(OSError):
            if e.is_file(follow_symlinks=False):
                os.unlink(e.path)


def check_output_file(out: str | Path, what: str, owned=None) -> Path:
    """Before the work: ``out`` can be written as a file. It may not be a folder, a
    device or FIFO, under a regular file or in a read-only folder; an existing file is
    replaced only when ``owned(out)`` says cetrus wrote it (or it is empty). Stale
    temporary files of killed runs beside it are removed."""
    out = Path(out)
    if not out.name or out.name in (".", ".."):
        raise InputError(f"{what} must name a file; got {str(out)!r}")
    for parent in reversed(out.absolute().parents):
        if os.path.lexists(parent) and not parent.is_dir():
            raise InputError(f"cannot write {out}: {parent} is a file, not a folder")
    if os.path.lexists(out):
        if out.is_dir():
            raise InputError(f"{what} {out} is a folder; name a file")
        if not out.is_file():
            raise InputError(
                f"{what} {out} is not a regular file (a device, FIFO or socket, or a broken link)"
            )
        if out.stat().st_size and owned is not None and not owned(out):
            raise InputError(
                f"{what} {out} exists and was not written by cetrus; cetrus "
                "replaces only its own output files: choose another name"
            )
    _check_writable(out)
    clean_stale_files(out)
    return out


@contextlib.contextmanager
def atomic_file(path: str | Path) -> Iterator[Path]:
    """A temporary file beside ``path``, renamed onto it on success (removed on failure);
    a run killed meanwhile leaves ``.NAME.tmp-PID-XXXX``, removed by the next run."""
    path = Path(path)
    clean_stale_files(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through :func:`atomic_file`."""
    with atomic_file(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)
