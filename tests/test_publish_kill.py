"""Publishing is atomic: SIGKILL at any moment leaves dist/bundle whole, and the next run cleans up."""

from __future__ import annotations

import os

from translate_flow import files
from translate_flow.pipeline import Project
from translate_flow.publish import publish

from .conftest import load_benchmark
from .test_files import dead_pid


def test_a_killed_publish_leaves_the_old_bundle_whole_and_the_next_run_cleans_up(project: Project):
    """benchmarks/publish_kills.py, with 4 kills; on the code before, it saw partial and missing bundles."""
    kills = load_benchmark("publish_kills")
    project.run()
    dist = project.config.dist_dir
    dist.mkdir(exist_ok=True)
    dead = dead_pid()  # leftovers of a run killed earlier, whatever the kills below leave
    (dist / f".bundle-{dead}-0badc0de").mkdir()
    (dist / f".manifest.json.{dead}-0badc0de.tmp").write_bytes(b"half")
    seen, leftovers = kills.kill_publishes(project.root, kills=4)
    assert seen.get("complete", 0) > 0
    assert seen.get("missing", 0) == 0 and seen.get("partial", 0) == 0, seen
    assert leftovers == []
    assert kills.bundle_state(dist / "bundle") == "complete"


def test_the_bundle_and_its_folders_get_the_umasks_mode(project: Project):
    previous = os.umask(0o027)
    try:
        project.run()
        publish(project, force=True)
    finally:
        os.umask(previous)
    bundle = project.config.dist_dir / "bundle"
    assert files.mode_for(bundle) == 0o750
    assert files.mode_for(bundle / "ro") == 0o750
    assert files.mode_for(bundle / "index.html") == 0o640
    assert files.mode_for(project.config.dist_dir / "newsroom-2024.11.tar.gz") == 0o640
