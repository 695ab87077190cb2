"""files.py: atomic, mode-keeping writes; reads that wait for writers; exchange-and-verify; leftovers."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from translate_flow import files


@pytest.fixture
def umask():
    """Set the process umask for one test, and put it back."""
    previous = os.umask(0o022)

    def set_umask(value: int) -> None:
        os.umask(value)

    yield set_umask
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_the_temporary_file_is_in_the_targets_folder(tmp_path, monkeypatch):
    """A rename across file systems is not atomic: the temporary file must be a sibling."""
    renamed = []
    real_replace = os.replace

    def spy(source, target):
        renamed.append((Path(source), Path(target)))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", spy)
    target = tmp_path / "sub" / "a.po"
    files.write_atomic(target, b"data")
    [(source, destination)] = renamed
    assert source.parent == target.parent and destination == target
    assert source.name.startswith(".a.po.") and source.name.endswith(".tmp")
    assert target.read_bytes() == b"data"


@pytest.mark.parametrize("failing", ["replace", "fsync", "write"])
def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch, failing):
    target = tmp_path / "a.po"
    target.write_bytes(b"old")

    def crash(*args, **kwargs):
        raise OSError(errno.ENOSPC, "disk full")

    if failing == "write":
        monkeypatch.setattr(files.os, "fdopen", lambda *a, **k: (_ for _ in ()).throw(OSError("disk full")))
    else:
        monkeypatch.setattr(os, failing, crash)
    with pytest.raises(OSError, match="disk full"):
        files.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert names(tmp_path) == ["a.po"]


def test_a_failed_swap_leaves_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "a.po"
    target.write_bytes(b"old")
    snapshot = files.read_stable(target)

    def crash(*args):
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(files, "exchange", crash)
    with pytest.raises(OSError, match="I/O error"):
        files.swap_in(target, b"new", snapshot)
    assert target.read_bytes() == b"old"
    assert names(tmp_path) == ["a.po"]


@pytest.mark.parametrize("write", ["atomic", "swap"])
@pytest.mark.parametrize("kept", [0o664, 0o600, 0o644, 0o640])
def test_a_file_keeps_its_mode(tmp_path, umask, write, kept):
    umask(0o077)  # would narrow anything created afresh: the old mode must come from the file
    target = tmp_path / "a.po"
    target.write_bytes(b"old")
    target.chmod(kept)
    if write == "atomic":
        files.write_atomic(target, b"new")
    else:
        assert files.swap_in(target, b"new", files.read_stable(target))
    assert target.read_bytes() == b"new"
    assert mode(target) == kept


def other_group() -> int | None:
    """A group this user may give a file, other than the one new files get."""
    candidates = range(1, 100) if os.geteuid() == 0 else os.getgroups()
    return next((gid for gid in candidates if gid != os.getegid()), None)


@pytest.mark.skipif(other_group() is None, reason="this user can set no other group")
@pytest.mark.parametrize("write", ["atomic", "swap"])
def test_a_file_keeps_its_group(tmp_path, write):
    """A PO file shared through the translators' group stays theirs."""
    target = tmp_path / "a.po"
    target.write_bytes(b"old")
    os.chown(target, -1, other_group())
    target.chmod(0o664)
    if write == "atomic":
        files.write_atomic(target, b"new")
    else:
        assert files.swap_in(target, b"new", files.read_stable(target))
    assert target.stat().st_gid == other_group()
    assert mode(target) == 0o664


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o002, 0o664), (0o027, 0o640), (0o077, 0o600)])
@pytest.mark.parametrize("write", ["atomic", "swap"])
def test_a_new_file_gets_the_umasks_mode(tmp_path, umask, mask, expected, write):
    umask(mask)
    target = tmp_path / "new.po"
    if write == "atomic":
        files.write_atomic(target, b"new")
    else:
        assert files.swap_in(target, b"new", files.read_stable(target))
    assert mode(target) == expected
    assert files.new_file_mode() == expected


def test_umask_is_read_without_changing_it(umask):
    umask(0o027)
    assert files.umask() == 0o027
    assert os.umask(0o027) == 0o027


def test_an_unchanged_file_is_not_rewritten(tmp_path):
    target = tmp_path / "a.txt"
    assert files.write_if_changed(target, "same")
    inode = target.stat().st_ino
    assert not files.write_if_changed(target, "same")
    assert target.stat().st_ino == inode
    assert files.write_if_changed(target, "other")
    assert target.read_text() == "other"


def test_a_read_waits_for_a_writer_to_finish(tmp_path):
    """An editor rewriting a file in place is never read half-way."""
    target = tmp_path / "a.po"
    target.write_bytes(b"old content\n")
    stream = open(target, "wb")  # noqa: SIM115 (closed by the writer thread) truncated: an editor started saving
    stream.write(b"first half\n")
    stream.flush()

    def finish() -> None:
        time.sleep(0.2)
        stream.write(b"second half\n")
        stream.close()

    writer = threading.Thread(target=finish)
    writer.start()
    snapshot = files.read_stable(target)
    writer.join()
    assert snapshot.data == b"first half\nsecond half\n"


def test_a_file_that_does_not_parse_is_read_again_until_it_does(tmp_path):
    target = tmp_path / "a.po"
    target.write_bytes(b"half")
    calls = []

    def complete(data: bytes) -> bool:
        calls.append(data)
        target.write_bytes(b"whole file")  # the editor finishes while the reader pauses
        return data == b"whole file"

    assert files.read_stable(target, complete).data == b"whole file"
    assert calls[0] == b"half"


def test_a_broken_file_that_does_not_change_is_returned_as_it_is(tmp_path):
    target = tmp_path / "a.po"
    target.write_bytes(b"broken")
    assert files.read_stable(target, lambda data: False).data == b"broken"


def test_a_file_kept_open_for_writing_gives_up_with_an_error(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "SETTLE_TIMEOUT_S", 0.2)
    target = tmp_path / "a.po"
    target.write_bytes(b"x")
    with open(target, "ab"), pytest.raises(files.StillChangingError):
        files.read_stable(target)


def test_a_missing_file_reads_as_absent(tmp_path):
    snapshot = files.read_stable(tmp_path / "none.po")
    assert snapshot.data is None and not snapshot.exists


def test_swap_replaces_a_file_that_did_not_change(tmp_path):
    target = tmp_path / "a.po"
    target.write_bytes(b"old")
    assert files.swap_in(target, b"new", files.read_stable(target))
    assert target.read_bytes() == b"new"
    assert names(tmp_path) == ["a.po"]


@pytest.mark.parametrize("save", ["rename", "in place"])
def test_swap_keeps_a_save_made_after_the_read(tmp_path, save):
    target = tmp_path / "a.po"
    target.write_bytes(b"old")
    snapshot = files.read_stable(target)
    if save == "rename":
        (tmp_path / "saved").write_bytes(b"translator's")
        os.rename(tmp_path / "saved", target)
    else:
        target.write_bytes(b"translator's")
    assert not files.swap_in(target, b"tool's", snapshot)
    assert target.read_bytes() == b"translator's"
    assert names(tmp_path) == ["a.po"]


def test_swap_keeps_a_save_of_the_same_size_in_place(tmp_path):
    target = tmp_path / "a.po"
    target.write_bytes(b"abc")
    snapshot = files.read_stable(target)
    with open(target, "r+b") as stream:
        stream.write(b"xyz")
    assert not files.swap_in(target, b"tool's", snapshot)
    assert target.read_bytes() == b"xyz"


def test_swap_leaves_a_file_being_written(tmp_path):
    target = tmp_path / "a.po"
    target.write_bytes(b"old")
    snapshot = files.read_stable(target)
    with open(target, "r+b"):  # an editor holds it open for writing
        assert not files.swap_in(target, b"tool's", snapshot)
    assert target.read_bytes() == b"old"


def test_swap_puts_back_a_save_that_lands_during_the_exchange(tmp_path, monkeypatch):
    """A save by rename between the check and the exchange: the exchange swaps it out, then back."""
    target = tmp_path / "a.po"
    target.write_bytes(b"old")
    snapshot = files.read_stable(target)
    real_exchange = files.exchange
    calls = []

    def save_then_exchange(first, second):
        if not calls:
            (tmp_path / "saved").write_bytes(b"translator's")
            os.rename(tmp_path / "saved", target)
        calls.append((first, second))
        real_exchange(first, second)

    monkeypatch.setattr(files, "exchange", save_then_exchange)
    assert not files.swap_in(target, b"tool's", snapshot)
    assert len(calls) == 2
    assert target.read_bytes() == b"translator's"
    assert names(tmp_path) == ["a.po"]


def test_swap_leaves_a_file_a_writer_opened_just_before_the_exchange(tmp_path, monkeypatch):
    """An editor that opened the file to save in place would write into the file swapped out: it stays."""
    target = tmp_path / "a.po"
    target.write_bytes(b"old")
    snapshot = files.read_stable(target)
    real_exchange = files.exchange
    calls = []

    def writer_opens_then_exchange(first, second):
        if not calls:
            with pytest.raises(BlockingIOError):  # non-blocking, so this thread does not wait for its own lease
                os.open(target, os.O_WRONLY | os.O_NONBLOCK)
        calls.append((first, second))
        real_exchange(first, second)

    monkeypatch.setattr(files, "exchange", writer_opens_then_exchange)
    assert not files.swap_in(target, b"tool's", snapshot)
    assert len(calls) == 2  # swapped out, then straight back
    assert target.read_bytes() == b"old"
    assert names(tmp_path) == ["a.po"]


def test_swap_does_not_replace_a_file_created_meanwhile(tmp_path):
    target = tmp_path / "a.po"
    snapshot = files.read_stable(target)
    target.write_bytes(b"translator's")
    assert not files.swap_in(target, b"tool's", snapshot)
    assert target.read_bytes() == b"translator's"
    assert names(tmp_path) == ["a.po"]


def test_swap_does_not_recreate_a_file_deleted_meanwhile(tmp_path):
    target = tmp_path / "a.po"
    target.write_bytes(b"old")
    snapshot = files.read_stable(target)
    target.unlink()
    assert not files.swap_in(target, b"tool's", snapshot)
    assert names(tmp_path) == []


def test_without_rename_exchange_swap_checks_then_renames(tmp_path, monkeypatch):
    def unsupported(*args):
        raise OSError(errno.ENOSYS, "renameat2 is not available")

    monkeypatch.setattr(files, "_renameat2", unsupported)
    target = tmp_path / "a.po"
    target.write_bytes(b"old")
    assert files.swap_in(target, b"new", files.read_stable(target))
    assert target.read_bytes() == b"new"
    assert files.swap_in(tmp_path / "b.po", b"created", files.read_stable(tmp_path / "b.po"))
    assert (tmp_path / "b.po").read_bytes() == b"created"
    stale = files.read_stable(target)
    target.write_bytes(b"translator's")
    assert not files.swap_in(target, b"tool's", stale)
    assert target.read_bytes() == b"translator's"
    assert names(tmp_path) == ["a.po", "b.po"]


def dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(child.stdout)


def test_leftovers_of_killed_runs_are_removed_and_live_ones_kept(tmp_path):
    dead = dead_pid()
    leftover = tmp_path / f".a.po.{dead}-0badc0de.tmp"
    live = tmp_path / files.temporary_name("b.po")
    folder = tmp_path / f".bundle-{dead}-00ff00ff"  # as bundle.replace_folder names its scratch folder
    for path in (leftover, live, tmp_path / ".hidden.tmp", tmp_path / "a.po"):
        path.write_bytes(b"x")
    folder.mkdir()
    (folder / "index.html").write_bytes(b"x")
    assert files.remove_leftovers(tmp_path) == [leftover]
    assert files.remove_leftovers(tmp_path, ".bundle-*") == [folder]
    assert names(tmp_path) == sorted([".hidden.tmp", live.name, "a.po"])


@pytest.mark.parametrize("write", ["atomic", "swap"])
def test_a_write_cleans_the_folder_once(tmp_path, write):
    leftover = tmp_path / f".a.po.{dead_pid()}-0badc0de.tmp"
    leftover.write_bytes(b"x")
    if write == "atomic":
        files.write_atomic(tmp_path / "a.po", b"new")
    else:
        assert files.swap_in(tmp_path / "a.po", b"new", files.read_stable(tmp_path / "a.po"))
    assert names(tmp_path) == ["a.po"]


def test_leftovers_of_earlier_versions_go_once_an_hour_old(tmp_path):
    old, recent = tmp_path / ".a.po.k3j_9xq2.tmp", tmp_path / ".bundle-ab_cd123"
    someone_elses = tmp_path / ".notes.tmp"  # hidden and old, but not named as this tool names its files
    old.write_bytes(b"x")
    someone_elses.write_bytes(b"x")
    recent.mkdir()
    for path in (old, someone_elses):
        os.utime(path, (time.time() - 7200, time.time() - 7200))
    assert files.remove_leftovers(tmp_path, ".*") == [old]
    assert names(tmp_path) == sorted([someone_elses.name, recent.name])


def test_two_runs_cleaning_one_folder_at_once_both_succeed(tmp_path, monkeypatch):
    """The other run removes a leftover between this one's listing and its unlink; neither fails."""
    leftovers = [tmp_path / f".a.po.{dead_pid()}-0badc0de.tmp", tmp_path / ".b.po.k3j_9xq2.tmp"]
    for path in leftovers:
        path.write_bytes(b"x")
        os.utime(path, (time.time() - 7200, time.time() - 7200))
    judge = files.is_leftover

    def judged_then_removed_by_the_other_run(path: Path) -> bool:
        verdict = judge(path)
        path.unlink(missing_ok=True)
        return verdict

    monkeypatch.setattr(files, "is_leftover", judged_then_removed_by_the_other_run)
    assert files.remove_leftovers(tmp_path) == leftovers
    assert names(tmp_path) == []


def test_a_leftover_of_an_earlier_version_already_gone_is_skipped(tmp_path):
    assert not files.is_leftover(tmp_path / ".a.po.k3j_9xq2.tmp")


def test_the_temporary_file_of_a_run_killed_mid_write_goes_at_the_next_write(tmp_path):
    target = tmp_path / "a.po"
    killed_before_the_rename = (
        "import os, sys; from pathlib import Path; from translate_flow import files; "
        "os.replace = lambda *names: os._exit(9); files.write_atomic(Path(sys.argv[1]), b'half')"
    )
    child = subprocess.run([sys.executable, "-c", killed_before_the_rename, str(target)])
    assert child.returncode == 9
    assert len(names(tmp_path)) == 1 and not target.exists()  # only the temporary file is left
    files.write_atomic(target, b"new")
    assert names(tmp_path) == ["a.po"]


def test_a_catalogs_mode_survives_update_and_new_ones_get_the_umasks(tmp_path, umask):
    from translate_flow.pipeline import Project

    from .conftest import REPO, po_path
    from .test_catalogs import edit_source

    root = tmp_path / "project"
    root.mkdir()
    for name in ("translate-flow.toml", "glossary.csv"):
        (root / name).write_bytes((REPO / name).read_bytes())
    shutil.copytree(REPO / "sources", root / "sources")
    umask(0o002)
    project = Project(root)
    project.run()
    assert mode(po_path(root, "ro")) == 0o664  # new: the umask's mode, not mkstemp's 0600
    assert mode(root / "dist" / "ro" / "nato-must-stay-united.html") == 0o664
    po_path(root, "de").chmod(0o640)
    umask(0o022)
    edit_source(root, "He was in Berlin", "He was in Bucharest")
    project.run()
    assert mode(po_path(root, "ro")) == 0o664  # kept, though the umask now says 0644
    assert mode(po_path(root, "de")) == 0o640
    assert "Bucharest" in po_path(root, "de").read_text(encoding="utf-8")


def test_umask_is_read_from_proc_where_it_can(umask, monkeypatch):
    """os.umask changes the mask of every thread for a moment: not used where /proc tells."""
    umask(0o007)

    def forbidden(mask):
        raise AssertionError("os.umask called")

    with monkeypatch.context() as patch:
        patch.setattr(os, "umask", forbidden)
        assert files.umask() == 0o007


def test_without_proc_the_umask_is_read_and_left_as_it_was(umask, monkeypatch):
    umask(0o027)

    def unreadable(path, *args, **kwargs):
        raise PermissionError(errno.EACCES, "denied", str(path))

    with monkeypatch.context() as patch:
        patch.setattr(Path, "read_text", unreadable)
        assert files.umask() == 0o027
        assert files.new_file_mode() == 0o640
    assert os.umask(0o027) == 0o027


def test_a_folder_is_cleaned_once_per_run(tmp_path):
    """Listing a folder before every write would cost a run with many files; killed runs' files go at the first."""
    files.write_atomic(tmp_path / "a.po", b"first")
    leftover = tmp_path / f".a.po.{dead_pid()}-0badc0de.tmp"
    leftover.write_bytes(b"x")
    files.write_atomic(tmp_path / "a.po", b"second")
    assert leftover.exists()


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_reads_and_swaps_close_what_they_open(tmp_path):
    target = tmp_path / "a.po"
    target.write_bytes(b"old")
    before = open_descriptors()
    for number in range(20):
        assert files.swap_in(target, b"new %d" % number, files.read_stable(target))
    assert open_descriptors() == before


def test_a_writer_opening_the_file_during_a_read_makes_it_read_again(tmp_path, monkeypatch):
    """The lease breaks when someone opens the file for writing mid-read: that read is not trusted."""
    target = tmp_path / "a.po"
    target.write_bytes(b"content")
    real_read_all = files._read_all
    reads = []

    def read_while_a_writer_opens(descriptor):
        reads.append(descriptor)
        if len(reads) == 1:  # non-blocking, so this thread does not wait for its own lease
            with pytest.raises(BlockingIOError):
                os.open(target, os.O_WRONLY | os.O_NONBLOCK)
        return real_read_all(descriptor)

    monkeypatch.setattr(files, "_read_all", read_while_a_writer_opens)
    assert files.read_stable(target).data == b"content"
    assert len(reads) == 2


def test_without_leases_a_file_changing_during_the_read_is_read_again(tmp_path, monkeypatch):
    monkeypatch.delattr(files.fcntl, "F_SETLEASE")  # as on a system without leases
    target = tmp_path / "a.po"
    target.write_bytes(b"old")
    real_read_all = files._read_all
    reads = []

    def read_while_an_editor_saves(descriptor):
        data = real_read_all(descriptor)
        reads.append(data)
        if len(reads) == 1:
            target.write_bytes(b"saved meanwhile")
        return data

    monkeypatch.setattr(files, "_read_all", read_while_an_editor_saves)
    assert files.read_stable(target).data == b"saved meanwhile"
    assert reads[0] == b"old"


def test_without_leases_two_reads_must_agree(tmp_path, monkeypatch):
    monkeypatch.delattr(files.fcntl, "F_SETLEASE")
    target = tmp_path / "a.po"
    target.write_bytes(b"x")
    reads = []
    real_read_once = files._read_once

    def counting(path):
        reads.append(path)
        return real_read_once(path)

    monkeypatch.setattr(files, "_read_once", counting)
    assert files.read_stable(target).data == b"x"
    assert len(reads) == 2


def test_an_incomplete_file_gets_a_pause_before_the_next_read(tmp_path, monkeypatch):
    """The pause lets an editor that closes between writes finish; without it two reads agree on half a file."""
    target = tmp_path / "a.po"
    target.write_bytes(b"half")
    pauses = []

    def editor_finishes_during_the_pause(seconds):
        pauses.append(seconds)
        target.write_bytes(b"whole")

    monkeypatch.setattr(files.time, "sleep", editor_finishes_during_the_pause)
    assert files.read_stable(target, lambda data: data == b"whole").data == b"whole"
    assert pauses == [files.INCOMPLETE_PAUSE_S]


def test_without_renameat2_in_the_c_library_swap_falls_back(tmp_path, monkeypatch):
    class OldLibrary:
        """A C library from before glibc 2.28: no renameat2."""

    monkeypatch.setattr(files.ctypes, "CDLL", lambda *args, **kwargs: OldLibrary())
    target = tmp_path / "a.po"
    target.write_bytes(b"old")
    assert files.swap_in(target, b"new", files.read_stable(target))
    assert target.read_bytes() == b"new"


def test_swap_works_with_relative_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("a.po").write_bytes(b"old")
    assert files.swap_in(Path("a.po"), b"new", files.read_stable(Path("a.po")))
    assert Path("a.po").read_bytes() == b"new"


@pytest.mark.parametrize("write", ["atomic", "if changed", "swap"])
def test_the_data_is_on_disk_before_the_rename(tmp_path, monkeypatch, write):
    """fsync must see the bytes (flushed from Python's buffer), or a crash can leave an empty file renamed in."""
    target = tmp_path / "a.po"
    target.write_bytes(b"old")
    expected = files.read_stable(target)
    synced = []
    real_fsync = os.fsync

    def checking_fsync(descriptor):
        synced.append(os.fstat(descriptor).st_size)
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", checking_fsync)
    if write == "atomic":
        files.write_atomic(target, b"0123456789")
    elif write == "if changed":
        assert files.write_if_changed(target, "0123456789")
    else:
        assert files.swap_in(target, b"0123456789", expected)
    assert synced == [10]


def test_mode_for_tells_a_files_mode_or_a_new_ones(tmp_path, umask):
    umask(0o027)
    target = tmp_path / "a.po"
    assert files.mode_for(target) == 0o640
    target.write_bytes(b"x")
    target.chmod(0o604)
    assert files.mode_for(target) == 0o604


def test_a_lease_refused_for_another_users_file_falls_back_to_two_reads(tmp_path, monkeypatch):
    real_fcntl = files.fcntl.fcntl

    def not_the_owner(descriptor, command, *args):
        if command == files.fcntl.F_SETLEASE:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_fcntl(descriptor, command, *args)

    monkeypatch.setattr(files.fcntl, "fcntl", not_the_owner)
    monkeypatch.setattr(files, "SETTLE_TIMEOUT_S", 2.0)
    target = tmp_path / "a.po"
    target.write_bytes(b"theirs")
    snapshot = files.read_stable(target)
    assert snapshot.data == b"theirs"
    assert files.swap_in(target, b"new", snapshot)
    assert target.read_bytes() == b"new"


def test_a_failing_create_raises_and_leaves_nothing(tmp_path, monkeypatch):
    def failing(*args):
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(files, "_renameat2", failing)
    with pytest.raises(OSError, match="I/O error"):
        files.swap_in(tmp_path / "a.po", b"new", files.read_stable(tmp_path / "a.po"))
    assert names(tmp_path) == []


def test_swap_does_not_recreate_a_file_deleted_just_before_the_exchange(tmp_path, monkeypatch):
    target = tmp_path / "a.po"
    target.write_bytes(b"old")
    snapshot = files.read_stable(target)
    real_exchange = files.exchange

    def deleted_first(first, second):
        target.unlink()
        real_exchange(first, second)

    monkeypatch.setattr(files, "exchange", deleted_first)
    assert not files.swap_in(target, b"tool's", snapshot)
    assert names(tmp_path) == []


def test_a_temporary_file_of_another_users_live_process_is_kept(tmp_path, monkeypatch):
    def another_users(pid, signal_number):
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "kill", another_users)
    (tmp_path / ".a.po.1-0badc0de.tmp").write_bytes(b"x")
    assert files.remove_leftovers(tmp_path) == []


def test_swap_creates_missing_folders(tmp_path):
    target = tmp_path / "locales" / "pt_BR" / "a.po"
    assert files.swap_in(target, b"new", files.read_stable(target))
    assert target.read_bytes() == b"new"


def test_without_renameat2_a_file_created_meanwhile_is_not_replaced(tmp_path, monkeypatch):
    def unsupported(*args):
        raise OSError(errno.ENOSYS, "renameat2 is not available")

    monkeypatch.setattr(files, "_renameat2", unsupported)
    target = tmp_path / "a.po"
    snapshot = files.read_stable(target)
    target.write_bytes(b"translator's")
    assert not files.swap_in(target, b"tool's", snapshot)
    assert target.read_bytes() == b"translator's"
    assert names(tmp_path) == ["a.po"]
