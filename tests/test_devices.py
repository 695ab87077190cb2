"""[mt] device and compute_type: passed to CTranslate2, keyed in the cache where they change outputs."""

from __future__ import annotations

import shutil

import ctranslate2
import pytest

from translate_flow.engines import resolve_device
from translate_flow.model import MTOptions

from .conftest import Cli
from .test_mt import archives, entries, models  # noqa: F401  (fixtures: the packages installed)

GPU = ctranslate2.get_cuda_device_count() > 0
needs_gpu = pytest.mark.skipif(not GPU, reason="no CUDA device")


def test_the_cache_key_of_cpu_default_is_unchanged_and_other_devices_have_their_own():
    assert MTOptions(device="cpu").key == "beam=4 ratio=2.0"  # caches written before devices stay valid
    keys = {
        MTOptions(device="cpu").key,
        MTOptions(device="cpu", compute_type="int8").key,
        MTOptions(device="cuda").key,
        MTOptions(device="cuda", compute_type="float16").key,
    }
    assert len(keys) == 4
    assert MTOptions(device="cpu", inter_threads=3, ray_address="local", ray_workers=2).key == "beam=4 ratio=2.0"


def test_auto_is_the_device_ctranslate2_sees():
    assert resolve_device(MTOptions()).device == ("cuda" if GPU else "cpu")
    assert resolve_device(MTOptions(device="cpu")).device == "cpu"


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('device = "gpu"', "mt.device: must be one of auto, cpu, cuda"),
        ('compute_type = "int4"', "mt.compute_type: must be one of default, auto, int8"),
        ("ray_address = 7", "mt.ray_address: must be a string"),
        ("ray_workers = -1", "mt.ray_workers: must be a number of at least 0"),
    ],
)
def test_bad_mt_settings_are_one_line_with_their_line(cli, setting, message):
    config = cli.root / "translate-flow.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("\n[mt]\n", f"\n[mt]\n{setting}\n"), encoding="utf-8")
    line = text[: text.index("\n[mt]\n")].count("\n") + 3
    result = cli.project("status")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"translate-flow: {config}:{line}: {message}")
    assert len(result.stderr.splitlines()) == 1


def test_an_unknown_device_on_the_command_line_is_refused(cli):
    result = cli.project("translate", "--device", "tpu")
    assert result.exit_code == 2
    assert result.stderr == "translate-flow: --device must be one of auto, cpu, cuda\n"


@pytest.mark.skipif(GPU, reason="a CUDA device is present")
@pytest.mark.usefixtures("models")
def test_cuda_without_a_gpu_is_one_line(cli):
    result = cli.project("translate", "-l", "ro", "--device", "cuda")
    assert result.exit_code == 2
    assert "cannot run the model on cuda with compute_type default" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert all(not e.msgstr for e in entries(cli.root, "ro"))


@pytest.mark.usefixtures("models")
def test_another_compute_type_does_not_reuse_the_cache(cli, tmp_path):
    """The synthetic models are float32: int8 rounds differently, so its results have their own keys."""
    first = cli.project("translate", "-l", "de", "--device", "cpu")
    assert "17 by the model" in first.stderr
    again = Cli(shutil.copytree(cli.root, tmp_path / "again", ignore=shutil.ignore_patterns("locales")))
    int8 = again.project("translate", "-l", "de", "--compute-type", "int8", "--device", "cpu")
    assert "17 by the model, 0 from the cache" in int8.stderr
    cached = Cli(shutil.copytree(cli.root, tmp_path / "cached", ignore=shutil.ignore_patterns("locales")))
    assert "0 by the model, 17 from the cache" in cached.project("translate", "-l", "de", "--device", "cpu").stderr


@needs_gpu
@pytest.mark.usefixtures("models")
def test_cuda_float16_translates_and_keeps_its_own_cache(cli, tmp_path):
    result = cli.project("translate", "-l", "de", "--device", "cuda", "--compute-type", "float16")
    assert result.exit_code == 0, result.output
    assert "17 by the model" in result.stderr
    assert all(e.msgstr for e in entries(cli.root, "de"))
    on_cpu = Cli(shutil.copytree(cli.root, tmp_path / "cpu", ignore=shutil.ignore_patterns("locales")))
    assert "17 by the model, 0 from the cache" in on_cpu.project("translate", "-l", "de", "--device", "cpu").stderr
