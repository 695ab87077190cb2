"""`models install FROM TO` against an Argos-style package index served from 127.0.0.1.

argostranslate's own code reads the index: pointed there by its setting
(``ARGOS_PACKAGE_INDEX``, read by ``argostranslate.settings``) as a user would.
The server misbehaves on request: it closes mid-body, sends damaged bytes, or
never answers.
"""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from translate_flow import packages

from .test_mt import archives  # noqa: F401  (fixture: the synthetic .argosmodel files)

SILENCE_S = 5  # how long the silent server holds a request; the client gives up after 1 s


class Server:
    """An Argos package index on 127.0.0.1: GET /<behaviour>/index.json and /<behaviour>/en_ro.argosmodel."""

    def __init__(self, package: bytes):
        self.package = package
        self.released = threading.Event()
        handler = self._handler()
        self.http = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.http.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.http.server_port}"

    def index(self, behaviour: str) -> bytes:
        link = f"{self.base}/{behaviour}/en_ro.argosmodel"
        entry = {"from_code": "en", "to_code": "ro", "package_version": "1.0", "links": [link]}
        return json.dumps([entry]).encode()

    def body(self, behaviour: str, name: str) -> bytes:
        if name == "index.json":
            return self.index(behaviour)
        if behaviour == "damaged":  # the same size, one byte of the model changed: only the CRC tells
            middle = len(self.package) // 2
            return self.package[:middle] + bytes([self.package[middle] ^ 0xFF]) + self.package[middle + 1 :]
        return self.package

    def _handler(self):
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                _, behaviour, name = self.path.split("/")
                if behaviour == "silent" or (behaviour == "silent-index" and name == "index.json"):
                    server.released.wait(SILENCE_S)
                    return
                body = server.body(behaviour, name)
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if behaviour == "cut" and name != "index.json":
                    self.wfile.write(body[: len(body) // 2])
                    self.close_connection = True
                    return
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler

    def __enter__(self) -> Server:
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.released.set()
        self.http.shutdown()
        self.http.server_close()


@pytest.fixture
def server(archives) -> Iterator[Server]:  # noqa: F811
    with Server(archives[("en", "ro")].read_bytes()) as running:
        yield running
    if packages.find("en", "ro"):
        packages.remove("en", "ro")


def argos_files() -> list[str]:
    """Everything under argostranslate's package and download folders."""
    import argostranslate.settings

    folders = [Path(argostranslate.settings.package_data_dir), Path(argostranslate.settings.downloads_dir)]
    return sorted(str(path) for folder in folders if folder.exists() for path in folder.rglob("*"))


@pytest.fixture
def index_setting(monkeypatch, server):
    """Point argostranslate's index URL setting at the server, for one behaviour."""
    import argostranslate.settings

    def point(behaviour: str) -> None:
        monkeypatch.setattr(argostranslate.settings, "remote_package_index", f"{server.base}/{behaviour}/index.json")

    return point


def test_install_en_ro_through_the_argos_package_index_setting(server):
    """A fresh process, as a user runs it: ARGOS_PACKAGE_INDEX names the index folder."""
    assert packages.find("en", "ro") is None
    env = os.environ | {"ARGOS_PACKAGE_INDEX": f"{server.base}/good/"}
    script = Path(sys.executable).parent / "translate-flow"
    result = subprocess.run([str(script), "models", "install", "en", "ro"], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("installed en→ro 1.0 in ")
    installed = packages.find("en", "ro")
    assert installed is not None and (installed.path / "model" / "model.bin").is_file()


CASES = {
    "cut": "the connection closed after",
    "damaged": "the archive is damaged",
    "silent": "no answer within 1 s",
    "silent-index": "cannot reach the Argos package index (no answer within 1 s)",
}


@pytest.mark.parametrize("behaviour", CASES)
def test_a_failed_download_is_one_line_and_installs_nothing(cli, index_setting, monkeypatch, behaviour):
    monkeypatch.setattr(packages, "DOWNLOAD_TIMEOUT_S", 1)
    index_setting(behaviour)
    before = argos_files()
    result = cli("models", "install", "en", "ro")
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert CASES[behaviour] in result.stderr
    assert result.stderr.startswith("translate-flow: http://127.0.0.1:")
    assert packages.find("en", "ro") is None
    assert argos_files() == before  # no partial download, no half-extracted package


def test_a_short_body_reports_how_much_arrived(cli, index_setting, server):
    index_setting("cut")
    result = cli("models", "install", "en", "ro")
    size = len(server.package)
    assert f"the connection closed after {size // 2} of {size} bytes" in result.stderr
