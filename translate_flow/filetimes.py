"""When a file's ``stat`` can stand for its bytes: the racy window, and the mtime our writes carry.

A record of a file's digest is trusted while the file keeps the (size, mtime, ctime,
inode) it had when hashed, as in git's index (:mod:`state`). A write in the same clock
tick as the one hashed would keep that stat: a file modified less than a window before
it was hashed is *racy*, and is hashed again until it is older.

Files that translate-flow writes would all be racy right after a pass, and the next
run would hash them all again (a tenth of a first pass, at 1,000 articles). So each
file is written with an mtime set *before* the racy window (:func:`backdate`): any
later write, by anyone, gets the clock's time, later than ours, and changes the stat.
The stat taken after our write then stands for our bytes at once, as long as it is the
stat of the very file we wrote (:func:`ours`): any other says that someone wrote it since.
"""

from __future__ import annotations

import os
import time
from collections import OrderedDict
from pathlib import Path

RACY_NS = 2_000_000_000  # mtime granularity: from a clock tick (ext4, tmpfs) to 2 s (FAT)
# A file system that keeps sub-second times (ext4, XFS, btrfs, tmpfs, NTFS, exFAT) moves them at least every 10 ms;
# one that does not (FAT, HFS+, ext3, ext4 with small inodes) gives whole seconds, and gets RACY_NS.
FINE_RACY_NS = 100_000_000
BACKDATE_MARGIN_NS = 10_000_000  # beyond the window: the clock the kernel stamps files with lags time.time_ns()
WRITES_HELD = 4096  # a write is looked up right after it is made

_written: OrderedDict[str, tuple[int, int, int]] = OrderedDict()  # path → (inode, mtime_ns, size) we wrote there


def racy(mtime_ns: int, hashed_at_ns: int) -> bool:
    """Whether a file was modified within a clock tick of being hashed: a later write could keep its stat.

    An mtime with a fraction of a second comes from a file system whose clock ticks far more often than 2 s.
    """
    window = RACY_NS if mtime_ns % 1_000_000_000 == 0 else FINE_RACY_NS
    return mtime_ns >= hashed_at_ns - window


def backdate(descriptor: int) -> None:
    """Set the mtime of a file being written to just before the racy window (see the module's docstring).

    Where the file system keeps whole seconds, it truncates the time set: the window is then 2 s.
    """
    now = time.time_ns()
    try:
        os.utime(descriptor, ns=(now, now - FINE_RACY_NS - BACKDATE_MARGIN_NS))
        if os.fstat(descriptor).st_mtime_ns % 1_000_000_000 == 0:
            os.utime(descriptor, ns=(now, now - RACY_NS - 1_000_000_000))
    except OSError:  # a mount that refuses (vfat or FUSE with another owner): the file is racy, as others'
        pass


def wrote(path: Path, status: os.stat_result) -> None:
    """Note that this process just put the file of ``status`` (taken once written) at ``path``."""
    key = str(path)
    _written[key] = (status.st_ino, status.st_mtime_ns, status.st_size)
    _written.move_to_end(key)
    if len(_written) > WRITES_HELD:
        _written.popitem(last=False)


def ours(path: Path, status: os.stat_result) -> bool:
    """Whether ``path``'s ``status`` is that of the file this process last put there: same inode, mtime and size.

    Not so when anyone wrote it since, in place (a later mtime), by rename (another inode), or with a tool
    that keeps an old mtime (rsync -a, cp -p: another mtime than ours).
    """
    return _written.get(str(path)) == (status.st_ino, status.st_mtime_ns, status.st_size)
