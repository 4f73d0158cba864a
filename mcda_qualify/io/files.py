"""Every file the tool reads or writes goes through here: checked inputs, atomic outputs.

Reading (:func:`read_bytes_checked`, :func:`read_text_checked`, :func:`check_input`): only a
regular file below a size cap is read; a folder, a named pipe (FIFO), a device such as
``/dev/zero`` or a socket is refused before it is opened, so nothing hangs or reads without end.
Every operating-system error on a path (a name too long, no permission on a folder, a loop of
symbolic links) becomes an :class:`~mcda_qualify.errors.InputError` naming the path.

The cap is :data:`DEFAULT_MAX_BYTES` (50 MiB), or the number of bytes in the environment
variable ``MCDA_QUALIFY_MAX_BYTES``.

Writing (:func:`write_atomic`): an output that is one of the command's inputs is refused; the data
go to a temporary file in the same folder, which is then renamed over the target, so a failure
(a full disk, a killed process) leaves the previous file as it was.

docs/bad_input.md lists these limits and guarantees.
"""
from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path
from typing import IO, Iterable

from ..errors import InputError

__all__ = ["DEFAULT_MAX_BYTES", "MAX_BYTES_ENV", "max_bytes", "check_input", "read_bytes_checked",
           "read_text_checked", "path_exists", "is_file", "write_atomic", "check_not_input", "os_problem"]

#: default size cap of one input file (bytes)
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
#: environment variable that sets another cap (a whole number of bytes)
MAX_BYTES_ENV = "MCDA_QUALIFY_MAX_BYTES"

_WORDS = {
    errno.ENOENT: "file not found",
    errno.ENAMETOOLONG: "the path is too long for the file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ELOOP: "too many levels of symbolic links (a loop?)",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EISDIR: "is a folder, not a file",
    errno.ENOSPC: "no space left on the device",
    errno.EROFS: "the file system is read-only",
    errno.EDQUOT: "disk quota exceeded",
}


def os_problem(exc: OSError) -> str:
    """An operating-system error in words (errno name kept for the rare ones)."""
    words = _WORDS.get(exc.errno or 0)
    if words:
        return words
    return exc.strerror or type(exc).__name__


def max_bytes() -> int:
    """The size cap of an input file: ``$MCDA_QUALIFY_MAX_BYTES`` when set, else :data:`DEFAULT_MAX_BYTES`."""
    raw = os.environ.get(MAX_BYTES_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_BYTES
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise InputError(f"environment variable {MAX_BYTES_ENV} is not a positive whole number", value=raw,
                         expected="a number of bytes such as 104857600 (100 MiB)")
    return value


def _kind(mode: int) -> str | None:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return None


def _stat(path: str | os.PathLike, error: type[InputError], what: str, noun: str | None) -> tuple[Path, os.stat_result]:
    try:
        p = Path(path)
        return p, os.stat(p)
    except OSError as exc:
        problem = f"{noun} not found" if noun and exc.errno == errno.ENOENT else os_problem(exc)
        raise error(problem, file=str(path), expected=what) from None
    except (ValueError, TypeError):  # an embedded NUL character, or not a path at all
        raise error("not a usable path", file=repr(str(path))[1:-1], expected=what) from None


def check_input(path: str | os.PathLike, what: str = "a file", *, max_size: int | None = None,
                error: type[InputError] = InputError, noun: str | None = None) -> Path:
    """``path`` as a Path after checking that it is a regular file of at most ``max_size`` bytes.

    ``what`` says what was expected ("a criteria YAML file"); ``error`` is the InputError subclass
    raised; ``noun`` ("criteria file") makes the messages "criteria file not found".
    """
    p, st = _stat(path, error, what, noun)
    cap = max_bytes() if max_size is None else max_size
    if stat.S_ISDIR(st.st_mode):
        raise error(f"{noun} not found (is a folder)" if noun else "is a folder, not a file", file=str(p), expected=what)
    kind = _kind(st.st_mode)
    if kind is not None or not stat.S_ISREG(st.st_mode):
        raise error(f"is {kind}, not a regular file" if kind else "is not a regular file", file=str(p), expected=what)
    if st.st_size > cap:
        raise error(f"file too large ({st.st_size:,} bytes; the limit is {cap:,} bytes, set {MAX_BYTES_ENV} "
                    "to change it)", file=str(p), expected=what)
    return p


def read_bytes_checked(path: str | os.PathLike, what: str = "a file", max_size: int | None = None, *,
                       error: type[InputError] = InputError, noun: str | None = None) -> bytes:
    """The bytes of a regular file of at most ``max_size`` bytes (see :func:`check_input`)."""
    cap = max_bytes() if max_size is None else max_size
    p = check_input(path, what, max_size=cap, error=error, noun=noun)
    try:
        with open(p, "rb") as f:
            data = f.read(cap + 1)  # a file that grew after the check is still bounded
    except OSError as exc:
        raise error(f"cannot read the file ({os_problem(exc)})", file=str(p), expected=what) from None
    if len(data) > cap:
        raise error(f"file too large (more than {cap:,} bytes; set {MAX_BYTES_ENV} to change the limit)",
                    file=str(p), expected=what)
    return data


def read_text_checked(path: str | os.PathLike, what: str = "a text file", max_size: int | None = None, *,
                      error: type[InputError] = InputError, encoding: str = "utf-8-sig", noun: str | None = None) -> str:
    """The text of a UTF-8 file (a byte-order mark is dropped); bytes that are not UTF-8 are refused."""
    data = read_bytes_checked(path, what, max_size, error=error, noun=noun)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise error(f"not a UTF-8 text file (byte {exc.start})", file=str(path), expected=what) from None


def path_exists(path: str | os.PathLike, *, error: type[InputError] = InputError) -> bool:
    """Whether something is at ``path``; an error other than 'not found' (no permission, name too long) is raised."""
    try:
        os.stat(path)
        return True
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError as exc:
        raise error(os_problem(exc), file=str(path)) from None
    except (ValueError, TypeError):
        raise error("not a usable path", file=repr(str(path))[1:-1]) from None


def is_file(path: str | os.PathLike, *, error: type[InputError] = InputError) -> bool:
    """Whether ``path`` is a regular file (False when absent); other OS errors are raised as ``error``."""
    if not path_exists(path, error=error):
        return False
    return stat.S_ISREG(os.stat(path).st_mode)


def check_not_input(output: str | os.PathLike, inputs: Iterable[str | os.PathLike | None],
                    *, error: type[InputError] = InputError) -> None:
    """Refuse an output path that is (the same file as) one of ``inputs``."""
    out = Path(output)
    try:
        out_exists = out.exists()
    except OSError:
        out_exists = False
    for inp in inputs:
        if inp is None or not isinstance(inp, (str, os.PathLike)):
            continue
        same = False
        try:
            if out_exists and Path(inp).exists():
                same = os.path.samefile(out, inp)
            else:
                same = os.path.realpath(out) == os.path.realpath(inp)
        except (OSError, ValueError):
            same = False
        if same:
            raise error("the output is one of the command's inputs, which would be overwritten", file=str(output),
                        value=str(inp), expected="another output path")


def _write_all(f: IO[bytes], data: bytes) -> None:
    """Write every byte (a separate function so tests can simulate a full disk)."""
    f.write(data)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str | os.PathLike, data: str | bytes, *, inputs: Iterable[str | os.PathLike | None] = (),
                 what: str = "the output", error: type[InputError] = InputError) -> Path:
    """Write ``data`` (text is UTF-8) to ``path``: refused when ``path`` is one of ``inputs``; else
    written to a temporary file in the same folder and renamed over ``path``, so a failure leaves
    the previous file intact. An existing non-regular target (``/dev/stdout``, a pipe) is written directly.
    """
    p = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    check_not_input(p, inputs, error=error)
    try:
        target = Path(os.path.realpath(p))
        st = os.stat(target) if target.exists() else None
    except OSError as exc:
        raise error(f"cannot write {what} ({os_problem(exc)})", file=str(p)) from None
    except ValueError:
        raise error("not a usable path", file=repr(str(p))[1:-1]) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise error(f"cannot write {what}: is a folder", file=str(p), expected="a file name")
    if st is not None and not stat.S_ISREG(st.st_mode):  # a terminal, pipe or device: no rename possible
        try:
            with open(target, "wb") as f:
                _write_all(f, payload)
        except OSError as exc:
            raise error(f"cannot write {what} ({os_problem(exc)})", file=str(p)) from None
        return p
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:100]}.", suffix=".tmp", dir=str(target.parent))
        with os.fdopen(fd, "wb") as f:
            os.chmod(tmp, (st.st_mode & 0o777) if st is not None else (0o666 & ~_umask()))
            _write_all(f, payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        kept = " (the previous file is unchanged)" if st is not None else ""
        raise error(f"cannot write {what} ({os_problem(exc)}){kept}", file=str(p)) from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    return p
