"""Machine translation on a real local Ray, with the tiny synthetic packages; one Ray session for the module."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import ctranslate2
import pytest

from translate_flow.model import MTOptions
from translate_flow.pipeline import Project

from .conftest import Cli, po_path
from .test_mt import archives, entries, interrupt_after, models, write_article  # noqa: F401  (fixtures: the packages installed)

ray = pytest.importorskip("ray")
pytestmark = pytest.mark.usefixtures("models")


@pytest.fixture(scope="module", autouse=True)
def ray_session():
    """The same local start as ``--ray local``, kept for the module: engines join it instead of starting one."""
    from translate_flow.ray_engine import connect

    def stop(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        assert connect("local")
        # ray.init installs an exit of its own; the CLI's SIGTERM-as-Ctrl-C must survive it.
        assert signal.getsignal(signal.SIGTERM) is stop
    finally:
        signal.signal(signal.SIGTERM, previous)
    yield
    ray.shutdown()


@pytest.fixture
def on_ray(monkeypatch) -> list[str]:
    """Every sentence that went to a Ray worker."""
    from translate_flow.ray_engine import RayEngine

    sent: list[str] = []
    real = RayEngine._run_model

    def run_model(self, package, texts):
        sent.extend(texts)
        yield from real(self, package, texts)

    monkeypatch.setattr(RayEngine, "_run_model", run_model)
    return sent


def with_pivot_article(root: Path) -> Path:
    """The sample project plus a Romanian original, so a run takes a direct route and a pivot (ro→en→de)."""
    write_article(root, "ro", "stire", "NATO trebuie să rămână unită. Aliații sporesc investițiile.")
    return root


def catalogs(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.glob("locales/**/*.po"))}


def test_ray_output_is_byte_identical_to_the_local_engine(project_dir, tmp_path, on_ray):
    local = Cli(with_pivot_article(project_dir))
    remote = Cli(shutil.copytree(project_dir, tmp_path / "on-ray"))
    by_local = local.project("translate")
    by_ray = remote.project("translate", "--ray", "local")
    assert by_ray.exit_code == by_local.exit_code == 0, by_ray.output
    assert "0 from the cache" in by_ray.stderr
    machine = by_local.stderr.split(" by the model")[0].split()[-1]
    assert int(machine) > 30
    assert f"{machine} by the model" in by_ray.stderr
    assert len(on_ray) >= int(machine)  # a pivot's first leg and text between tags count too
    assert catalogs(remote.root) == catalogs(local.root)
    assert any(
        "mt: argos ro→en→de translate-ro_en 1.0 + translate-en_de 1.0" in e.tcomment
        for e in entries(remote.root, "de", "stire")
    )
    # The same cache: the local engine finds every sentence Ray translated.
    fresh = Cli(shutil.copytree(remote.root, tmp_path / "fresh", ignore=shutil.ignore_patterns("locales")))
    again = fresh.project("translate")
    assert f"0 by the model, {machine} from the cache" in again.stderr
    assert catalogs(fresh.root) == catalogs(local.root)


def test_run_takes_ray_from_the_config(project_dir, on_ray):
    config = project_dir / "translate-flow.toml"
    text = config.read_text(encoding="utf-8")
    assert "\n[mt]\n" in text
    config.write_text(text.replace("\n[mt]\n", '\n[mt]\nray_address = "local"\nray_workers = 1\n'), encoding="utf-8")
    result = Cli(project_dir).project("run", "--include-fuzzy", "-l", "de")
    assert result.exit_code == 0, result.output
    assert all(e.msgstr for e in entries(project_dir, "de"))
    assert on_ray  # the sentences, and with glossary terms or lost tags, the text between them
    assert "17 by the model" in result.stderr
    assert "dist/de/nato-must-stay-united.html" in result.stdout


def test_an_interrupted_ray_run_keeps_finished_chunks_and_resumes(project_dir, monkeypatch):
    undo = interrupt_after(monkeypatch, 10)
    project = Project(project_dir)
    options = MTOptions(ray_address="local")
    with pytest.raises(KeyboardInterrupt):
        project.translate(locales=["ro"], options=options)
    assert len([e for e in entries(project_dir, "ro") if e.msgstr]) == 10
    assert ray.is_initialized()  # a Ray it did not start is left running
    undo()
    report = project.translate(locales=["ro"], options=options)
    assert all(e.msgstr for e in entries(project_dir, "ro"))
    assert report.counts["machine"] + report.counts["cache"] == 7  # batches done before Ctrl-C were cached


def test_more_workers_than_the_cluster_holds_is_one_line(cli):
    result = cli.project("translate", "--ray", "local", "--ray-workers", "3", "--inter-threads", "1")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "translate-flow: the Ray cluster has room for 2 worker(s) of 1 CPUs (inter × intra threads); "
        "3 asked (set mt.ray_workers, device, inter_threads, intra_threads)"
    )
    assert all(not e.msgstr for e in entries(cli.root, "ro"))
    assert po_path(cli.root, "ro").is_file()


def test_the_local_engine_never_imports_ray(project_dir):
    code = (
        "import sys; from translate_flow.pipeline import Project; "
        f"Project({str(project_dir)!r}).translate(locales=['de']); print('ray' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
    assert all(e.msgstr for e in entries(project_dir, "de"))


@pytest.mark.skipif("float16" in ctranslate2.get_supported_compute_types("cpu"), reason="this CPU runs float16")
def test_a_worker_that_cannot_load_its_model_is_one_line(cli):
    """float16 on a CPU: CTranslate2 refuses it inside the worker; the error comes back without Ray's traceback."""
    result = cli.project("translate", "-l", "de", "--ray", "local", "--device", "cpu", "--compute-type", "float16")
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("translate-flow: a Ray worker could not start: /")
    assert "cannot run the model on cpu with compute_type float16" in result.stderr
    assert all(not e.msgstr for e in entries(cli.root, "de"))


def test_an_address_nobody_answers_at_is_one_line_at_once(cli):
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = cli.project("translate", "-l", "de", "--ray", f"127.0.0.1:{port}")
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"translate-flow: cannot connect to the Ray cluster at '127.0.0.1:{port}': Connection refused\n"
    )
