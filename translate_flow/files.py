"""Safe file writes and reads: atomic, change-only, mode-keeping, and safe against editors saving meanwhile.

Writes go through a temporary file in the target's folder and a rename, so a
reader sees the old complete file or the new one. A temporary file is named
``.<name>.<pid>-<random>.tmp``: the pid lets the next run tell a killed run's
leftover from a live run's file (``remove_leftovers``).

Reads (``read_stable``) hold a read lease, which the kernel grants only while
no process has the file open for writing: an editor that rewrites a file in
place is never read half-way. Replacing a file that a translator may save at
the same moment (``swap_in``) checks, under such a lease, that the file is still
the one read, then trades names with it in one step with Linux's
``renameat2(RENAME_EXCHANGE)``. If the file swapped out is not the one checked,
or someone opened it for writing meanwhile, it goes straight back and the
caller merges again.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import re
import secrets
import shutil
import signal
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import filetimes

AT_FDCWD = -100
RENAME_NOREPLACE = 1
RENAME_EXCHANGE = 2
SETTLE_TIMEOUT_S = 10.0  # how long a read waits for a writer to finish
POLL_S = 0.005
INCOMPLETE_PAUSE_S = 0.05  # a file that does not parse is read again after this
LEFTOVER = re.compile(r"\.(?:.+[.-])?(\d+)-[0-9a-f]{8}(?:\.tmp)?")  # see process_tag
# What earlier versions left (mkstemp and mkdtemp names, no pid): stale once an hour old.
LEGACY_LEFTOVER = re.compile(r"\.(?:.+\.[a-z0-9_]{8}\.tmp|bundle-[a-z0-9_]{8}|installing-[a-z0-9_]{8})")
LEGACY_AGE_S = 3600


def umask() -> int:
    """The process umask, read without changing it where Linux allows (os.umask is process-wide)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current


def new_file_mode() -> int:
    """The mode ``open()`` would give a new file: 0666 less the umask (mkstemp gives 0600)."""
    return 0o666 & ~umask()


def process_tag() -> str:
    """``<pid>-<8 hex digits>``: unique, and says which process made a temporary file or folder."""
    return f"{os.getpid()}-{secrets.token_hex(4)}"


def temporary_name(name: str) -> str:
    """A hidden sibling name for a file being written."""
    return f".{name}.{process_tag()}.tmp"


def is_leftover(path: Path) -> bool:
    """A temporary file or folder whose process is gone: a killed run left it."""
    match = LEFTOVER.fullmatch(path.name)
    if match is None:
        return bool(LEGACY_LEFTOVER.fullmatch(path.name)) and _age_s(path) > LEGACY_AGE_S
    try:
        os.kill(int(match.group(1)), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return False  # alive under another user, or not a pid at all
    return False


def _age_s(path: Path) -> float:
    try:
        return time.time() - path.lstat().st_mtime
    except FileNotFoundError:
        return 0.0


_cleaned: set[Path] = set()


def remove_leftovers(folder: Path, pattern: str = ".*.tmp") -> list[Path]:
    """Delete what killed runs left in ``folder`` among the names matching ``pattern``; returns what went."""
    removed = []
    for path in sorted(folder.glob(pattern)):
        if is_leftover(path):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _clean_once(folder: Path) -> None:
    if folder not in _cleaned:
        _cleaned.add(folder)
        remove_leftovers(folder)


@dataclass(frozen=True)
class Permissions:
    """What a replaced file keeps: its mode bits and, where this user may set it, its group.

    ``mode`` is ``None`` for a file that does not exist yet: it is created as the umask says.
    """

    mode: int | None = None
    group: int | None = None

    @classmethod
    def of(cls, path: Path) -> Permissions:
        """``path``'s, or a new file's when it does not exist."""
        try:
            status = path.stat()
        except FileNotFoundError:
            return cls()
        return cls(stat.S_IMODE(status.st_mode), status.st_gid)


def mode_for(path: Path) -> int:
    """The permission bits ``path`` has, or a new file's when it does not exist."""
    mode = Permissions.of(path).mode
    return new_file_mode() if mode is None else mode


def _write_temporary(
    path: Path, data: bytes, permissions: Permissions, durable: bool = True
) -> tuple[Path, os.stat_result]:
    """``data`` in a new file beside ``path`` (same folder, so renames stay atomic), fsynced if ``durable``;
    the file and its stat, which stays its own through the rename (see filetimes.ours)."""
    temporary = path.parent / temporary_name(path.name)
    # A new file is created 0666 less the umask by the kernel itself: reading the umask costs a file read.
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 if permissions.mode is None else 0o600)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            filetimes.backdate(stream.fileno())  # so that its stat stands for these bytes at once
            if permissions.group is not None and permissions.group != os.fstat(stream.fileno()).st_gid:
                with contextlib.suppress(PermissionError):  # a group this user is not in
                    os.fchown(stream.fileno(), -1, permissions.group)
            if permissions.mode is not None:
                os.fchmod(stream.fileno(), permissions.mode)  # after chown, which may clear setgid
            if durable:
                os.fsync(stream.fileno())
            status = os.fstat(stream.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary, status


def write_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Write through a temporary file and a rename: readers never see half a file; the mode is kept.

    ``durable`` syncs the data before the rename, so that a power cut leaves the old
    file or the new one. Files that are rebuilt from others (the site in ``dist/``,
    caches) can skip it: a crash may leave them damaged, but they are made again.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    _clean_once(path.parent)
    temporary, status = _write_temporary(path, data, Permissions.of(path), durable)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    filetimes.wrote(path, status)


def write_if_changed(path: Path, text: str, durable: bool = True) -> bool:
    """Write ``text`` unless the file already holds it; says whether it wrote."""
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    write_atomic(path, data, durable)
    return True


# -- Reading a file that an editor may be writing -------------------------------------------------


class StillChangingError(OSError):
    """A file stayed open for writing, or kept changing, for longer than ``SETTLE_TIMEOUT_S``."""


@dataclass(frozen=True)
class Snapshot:
    """A file's bytes as read while nobody wrote it, and the inode and permissions they came from."""

    data: bytes | None  # None: the file did not exist
    inode: tuple[int, int] | None = None  # (st_dev, st_ino)
    permissions: Permissions | None = None

    @property
    def exists(self) -> bool:
        return self.data is not None


class _Lease:
    """A read lease on an open file: granted only while no process has the file open for writing.

    While it is held, a process opening the file for writing waits until it is
    released (the kernel tells the holder with a signal, here SIGURG, whose
    default is to be ignored: SIGIO's default would kill this process), and
    ``broken`` becomes true. Where leases are not available (another owner, a
    network file system) it is not ``held``, and callers fall back to comparing
    two reads. Closing the descriptor releases it.
    """

    def __init__(self, descriptor: int):
        self.descriptor = descriptor
        self.held = False

    def acquire(self) -> bool:
        """True: held, or leases are not available here; False: someone has the file open for writing."""
        if not hasattr(fcntl, "F_SETLEASE"):  # Linux only
            return True
        try:
            fcntl.fcntl(self.descriptor, fcntl.F_SETSIG, signal.SIGURG)
            fcntl.fcntl(self.descriptor, fcntl.F_SETLEASE, fcntl.F_RDLCK)
        except OSError as error:
            # EACCES (not the owner), EINVAL (file system), ENOLCK: no lease, not held
            return error.errno not in (errno.EAGAIN, errno.EBUSY)
        self.held = True
        return True

    @property
    def broken(self) -> bool:
        return self.held and fcntl.fcntl(self.descriptor, fcntl.F_GETLEASE) != fcntl.F_RDLCK


def _read_once(path: Path) -> tuple[Snapshot | None, bool]:
    """One read, or ``None`` when a writer was at work (try again); and whether a lease vouched for it."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return Snapshot(None), True
    lease = _Lease(descriptor)
    try:
        if not lease.acquire():
            return None, True
        before = os.fstat(descriptor)
        data = _read_all(descriptor)
        after = os.fstat(descriptor)
        if lease.broken or _stat_key(before) != _stat_key(after) or len(data) != after.st_size:
            return None, True
        permissions = Permissions(stat.S_IMODE(after.st_mode), after.st_gid)
        return Snapshot(data, (after.st_dev, after.st_ino), permissions), lease.held
    finally:
        os.close(descriptor)  # which releases the lease


def _read_all(descriptor: int) -> bytes:
    chunks = []
    while chunk := os.read(descriptor, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _stat_key(status: os.stat_result) -> tuple:
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


def read_stable(path: Path, complete: Callable[[bytes], bool] = lambda data: True) -> Snapshot:
    """Read a file while nobody writes it; a read that ``complete`` refuses is tried again.

    Under a lease one read is exact. Without one (see ``_Lease``), two reads in a
    row must agree. ``complete`` says whether the bytes parse as a whole file: a
    file that does not, and reads the same again after a pause, is returned as it
    is; it is broken rather than being written, and the caller reports it.
    """
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    previous: Snapshot | None = None
    while time.monotonic() < deadline:
        current, leased = _read_once(path)
        if current is None:  # a writer is at work
            previous = None
            time.sleep(POLL_S)
            continue
        whole = current.data is None or complete(current.data)
        if current == previous or (leased and whole):
            return current
        previous = current
        if not whole:
            time.sleep(INCOMPLETE_PAUSE_S)
    raise StillChangingError(errno.EBUSY, "still being written by another program", str(path))


# -- Replacing a file that an editor may save at the same time -----------------------------------


def _renameat2(source: Path, target: Path, flags: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    function = getattr(libc, "renameat2", None)
    if function is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available")
    if function(AT_FDCWD, os.fsencode(source), AT_FDCWD, os.fsencode(target), flags) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(target))


def exchange(first: Path, second: Path) -> None:
    """Swap two names in one step (both must exist)."""
    _renameat2(first, second, RENAME_EXCHANGE)


UNSUPPORTED = (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP)


def swap_in(path: Path, data: bytes, expected: Snapshot, durable: bool = True) -> bool:
    """Put ``data`` at ``path`` if it still holds ``expected``; says whether it did.

    When it did not, a newer version (a translator's save) is at ``path``, as it
    was: read it again and merge. The mode of the file replaced is kept. ``durable``
    as for :func:`write_atomic`.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    _clean_once(path.parent)
    mine, status = _write_temporary(path, data, expected.permissions or Permissions(), durable)
    try:
        done = _exchange_if_unchanged(path, mine, expected) if expected.exists else _create(path, mine)
    finally:
        mine.unlink(missing_ok=True)
    if done:
        filetimes.wrote(path, status)
    return done


def _create(path: Path, mine: Path) -> bool:
    """Create ``path`` only if it still does not exist."""
    try:
        _renameat2(mine, path, RENAME_NOREPLACE)
        return True
    except OSError as error:
        if error.errno == errno.EEXIST:
            return False
        if error.errno not in UNSUPPORTED:
            raise
    try:
        os.link(mine, path)  # link never replaces either
        return True
    except FileExistsError:
        return False


def _exchange_if_unchanged(path: Path, mine: Path, expected: Snapshot) -> bool:
    """Check under a read lease that ``path`` still holds ``expected``, exchange, then check nothing moved.

    The lease is held across the exchange: a process that opens the old file for
    writing at any moment in between breaks it. The version swapped out must be
    the very file that was checked. Otherwise a translator saved (by rename, or
    in place) in the microseconds around the exchange, and their version goes
    straight back. Without RENAME_EXCHANGE (not Linux, some network file
    systems) the check is followed by a plain rename: a save landing between the
    two is then overwritten, which the history of reviewed translations covers.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return False  # deleted meanwhile: someone's decision, start again
    lease = _Lease(descriptor)
    try:
        if not lease.acquire() or not _holds(descriptor, expected) or lease.broken:
            return False
        try:
            exchange(mine, path)
        except OSError as error:
            if error.errno == errno.ENOENT:
                return False
            if error.errno not in UNSUPPORTED:
                raise
            os.replace(mine, path)
            return True
        swapped_out = os.stat(mine)
        if lease.broken or (swapped_out.st_dev, swapped_out.st_ino) != expected.inode:
            exchange(mine, path)
            return False
        return True
    finally:
        os.close(descriptor)  # which releases the lease


def _holds(descriptor: int, expected: Snapshot) -> bool:
    """Whether an open file is the one read, with the same bytes."""
    status = os.fstat(descriptor)
    if (status.st_dev, status.st_ino) != expected.inode or status.st_size != len(expected.data or b""):
        return False
    return os.pread(descriptor, status.st_size + 1, 0) == expected.data
