"""Machine translation on a Ray cluster: the same batches as :class:`ArgosEngine`, run by remote workers.

Only where batches go changes. The driver reads the cache, tokenizes and sorts
the pending sentences and cuts them into the local engine's batches; workers
translate them; results stream back as each batch finishes (``ray.wait``), so
the translate step (translation.py) saves them chunk by chunk as it does locally. Batches are the same,
so outputs are byte-identical to the local engine's with the same options.

Workers are actors, each holding one package's CTranslate2 translator for the
whole run. A package reaches them through Ray's object store: the driver puts the
package folder, zipped, once per run; each node fetches it once and unpacks it
into a folder named by its content hash, where every later run finds it. Ray's
own ``runtime_env`` working_dir cannot do this: it takes a local folder only for
the whole job, fixed at ``ray.init``, while the packages a run needs (one per
route leg) are known later. No shared file system is needed, and a package
updated on the driver is never mixed up with an old copy. For a remote cluster,
translate_flow itself goes along as the job's ``py_modules``; the nodes need its
dependencies (CTranslate2, SentencePiece, argostranslate).

Ray is an optional extra (``pip install translate-flow[ray]``), imported only here.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import signal
import socket
import tempfile
import threading
import zipfile
from collections import deque
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from .engines import ArgosEngine, Model, MTCache, Tokenizer, _batches
from .errors import InputError
from .model import MTOptions
from .packages import PackageInfo

LOCAL = "local"
LOCAL_CPUS = 2
REACH_TIMEOUT_S = 10
IN_FLIGHT_PER_THREAD = 2  # batches queued at a worker per thread, so it never waits for the driver


def _ray():
    try:
        import ray
    except ImportError:
        raise InputError("--ray needs Ray: pip install 'translate-flow[ray]'") from None
    return ray


def _check_reachable(address: str) -> None:
    """ray.init waits minutes for a cluster that is not there; a plain TCP connection tells at once."""
    match = re.fullmatch(r"(?:ray://)?\[?([^\]/]+?)\]?:(\d+)", address)
    if not match:  # "local", "auto": nothing to reach yet
        return
    try:
        socket.create_connection((match[1], int(match[2])), timeout=REACH_TIMEOUT_S).close()
    except OSError as error:
        raise InputError(f"cannot connect to the Ray cluster at {address!r}: {error.strerror or error}") from None


def connect(address: str) -> bool:
    """Join the Ray at ``address``, or start one here for "local"; True when this call started it."""
    _check_reachable(address)
    ray = _ray()
    if ray.is_initialized():
        return False
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # offline: never phone home
    on_sigterm = signal.getsignal(signal.SIGTERM)
    try:
        if address == LOCAL:
            ray.init(
                num_cpus=LOCAL_CPUS,
                include_dashboard=False,
                object_store_memory=128 * 2**20,  # batches are small; the default takes 30% of memory
                log_to_driver=False,
                logging_level="ERROR",
                configure_logging=False,
            )
        else:
            import translate_flow

            code = {"py_modules": [str(Path(translate_flow.__file__).parent)]}  # the nodes run this very version
            ray.init(address=address, runtime_env=code, logging_level="ERROR", configure_logging=False)
    except (ConnectionError, ValueError, RuntimeError) as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise InputError(f"cannot connect to the Ray cluster at {address!r}: {first_line}") from None
    if on_sigterm is not None and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, on_sigterm)  # ray.init replaced it with an exit that skips the CLI's message
    return True


def _fit_threads(options: MTOptions, resources: dict) -> MTOptions:
    """Threads chosen from the cluster's nodes, not the driver's cores, unless set: they never change outputs.

    By default one worker per node, one batch per core; with ``ray_workers`` set, the cores shared among them.
    """
    if options.device == "cuda" or options.inter_threads or options.intra_threads:
        return options
    nodes = [node["Resources"].get("CPU", 0) for node in _ray().nodes() if node["Alive"]]
    per_worker = int(min(nodes, default=1))
    if options.ray_workers:
        per_worker = min(per_worker, int(resources.get("CPU", 0)) // options.ray_workers)
    return replace(options, inter_threads=max(per_worker, 1), intra_threads=1)


def package_blob(path: Path) -> tuple[str, bytes]:
    """A package folder as one zip (stored: weights do not compress) and a hash of its content."""
    buffer, digest = io.BytesIO(), hashlib.sha256()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for file in sorted(p for p in path.rglob("*") if p.is_file()):
            name, data = file.relative_to(path).as_posix(), file.read_bytes()
            digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
            archive.writestr(name, data)
    return digest.hexdigest(), buffer.getvalue()


def unpacked(digest: str, blob: bytes) -> Path:
    """The package on this node: unpacked once per content hash, atomically (workers may race)."""
    root = Path(tempfile.gettempdir()) / "translate-flow-packages"
    folder = root / digest
    if not folder.is_dir():
        root.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(dir=root, prefix=".unpacking-"))
        with zipfile.ZipFile(io.BytesIO(blob)) as archive:
            archive.extractall(scratch)
        try:
            scratch.rename(folder)
        except OSError:  # another worker on this node got there first
            shutil.rmtree(scratch)
    return folder


def _reason(error: Exception) -> str:
    """The message of the error a worker died of, without Ray's traceback around it."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    raised = [line.split(": ", 1)[1] for line in lines if re.match(r"[\w.]+(Error|Exception): ", line)]
    return raised[-1] if raised else lines[0]


class Worker:
    """One package's translator on a Ray node."""

    def __init__(self, options: MTOptions, digest: str, blob: bytes):
        self.model = Model(unpacked(digest, blob), options)

    def translate(self, batch: list[list[str]]) -> list[tuple[str, float]]:
        return self.model.results(self.model.submit(batch))


class RayEngine(ArgosEngine):
    """:class:`ArgosEngine` whose batches run on a Ray cluster's workers."""

    def __init__(self, options: MTOptions, cache: MTCache | None = None):
        self._started = connect(options.ray_address)
        self._pool: tuple[Path, list] | None = None  # one package's workers at a time: the cluster serves one leg
        self._tokenizers: dict[Path, Tokenizer] = {}
        try:
            resources = _ray().cluster_resources()
            if options.device == "auto":  # the workers' GPUs count, not the driver's
                options = replace(options, device="cuda" if resources.get("GPU", 0) > 0 else "cpu")
            super().__init__(_fit_threads(options, resources), cache)
            inter, intra = self.options.threads()
            cuda = self.options.device == "cuda"
            self._concurrency = 1 if cuda else inter
            self._resources = {"num_gpus": 1, "num_cpus": 1} if cuda else {"num_cpus": inter * intra}
            self.workers = self._worker_count(resources)
        except BaseException:
            if self._started:
                _ray().shutdown()
            raise

    def _worker_count(self, resources: dict) -> int:
        if self.options.device == "cuda":
            room, unit = int(resources.get("GPU", 0)), "GPU"
        else:
            room, unit = int(resources.get("CPU", 0)) // self._resources["num_cpus"], "CPU"
        wanted = self.options.ray_workers or room
        if wanted < 1 or wanted > room:
            size = "1 GPU" if unit == "GPU" else f"{self._resources['num_cpus']} CPUs (inter × intra threads)"
            asked = f"; {wanted} asked" if self.options.ray_workers else ""
            raise InputError(
                f"the Ray cluster has room for {room} worker(s) of {size}{asked} "
                f"(set mt.ray_workers, device, inter_threads, intra_threads)"
            )
        return wanted

    def _tokenizer(self, package: PackageInfo):
        if package.path not in self._tokenizers:
            self._tokenizers[package.path] = Tokenizer(package.path)
        return self._tokenizers[package.path]

    def _workers(self, package: PackageInfo) -> list:
        if self._pool and self._pool[0] == package.path:
            return self._pool[1]
        self._release_workers()
        ray = _ray()
        digest, blob = package_blob(package.path)
        shipped = ray.put(blob)
        remote = ray.remote(Worker).options(**self._resources, max_concurrency=self._concurrency)
        self._pool = (package.path, [remote.remote(self.options, digest, shipped) for _ in range(self.workers)])
        return self._pool[1]

    def _release_workers(self) -> None:
        if self._pool:
            ray = _ray()
            for actor in self._pool[1]:
                ray.kill(actor)
            self._pool = None

    def _run_model(self, package: PackageInfo, texts: list[str]) -> Iterator[list[tuple[str, str, float]]]:
        """Keep every worker busy with the next batch, longest first; yield batches as they finish."""
        if not texts:
            return
        ray = _ray()
        waiting = deque(_batches(self._tokenizer(package).length_sorted(texts), self.options))
        slots = [actor for actor in self._workers(package) for _ in range(IN_FLIGHT_PER_THREAD * self._concurrency)]
        running: dict = {}  # object ref -> (actor, batch)
        while waiting or running:
            while waiting and slots:
                actor, batch = slots.pop(0), waiting.popleft()
                running[actor.translate.remote([tokens for tokens, _ in batch])] = (actor, batch)
            [ready], _ = ray.wait(list(running), num_returns=1)
            actor, batch = running.pop(ready)
            slots.append(actor)
            try:
                done = ray.get(ready)
            except ray.exceptions.RayActorError as error:
                raise InputError(f"a Ray worker could not start: {_reason(error)}") from None
            self.sent += len(batch)
            yield [(text, *result) for (_tokens, text), result in zip(batch, done, strict=True)]

    def close(self) -> None:
        try:
            self._release_workers()
        finally:
            if self._started:
                _ray().shutdown()
            super().close()
