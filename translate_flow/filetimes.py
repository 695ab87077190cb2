"""When a file's ``stat`` can stand for its bytes: the racy window, and the mtime our writes carry.

A record of a file's digest is trusted while the file keeps the (size, mtime, ctime,
inode) it had when hashed, as in git's index (:mod:`state`). A write in the same clock
tick as the one hashed would keep that stat: a file modified less than a window before
it was hashed is *racy*, and is hashed again until it is older.

Files that translate-flow writes would all be racy right after a pass, and the next
run would hash them all again (a tenth of a first pass, at 1,000 articles). So each
file is written with an mtime set *before* the racy window (:func:`backdate`): any
later write, by anyone, gets the clock's time, later than ours, and changes the stat.
The stat taken after our write then stands for our bytes at once, and a stat that is
racy all the same says that someone wrote the file after us.
"""

from __future__ import annotations

import os
import time

RACY_NS = 2_000_000_000  # mtime granularity: from a clock tick (ext4, tmpfs) to 2 s (FAT)
# A file system that keeps sub-second times (ext4, XFS, btrfs, tmpfs, NTFS, exFAT) moves them at least every 10 ms;
# one that does not (FAT, HFS+, ext3, ext4 with small inodes) gives whole seconds, and gets RACY_NS.
FINE_RACY_NS = 100_000_000
BACKDATE_MARGIN_NS = 10_000_000  # beyond the window: the clock the kernel stamps files with lags time.time_ns()


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
    os.utime(descriptor, ns=(now, now - FINE_RACY_NS - BACKDATE_MARGIN_NS))
    if os.fstat(descriptor).st_mtime_ns % 1_000_000_000 == 0:
        os.utime(descriptor, ns=(now, now - RACY_NS - 1_000_000_000))
