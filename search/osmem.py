"""Run osmem-server, the in-memory OpenSearch-compatible server, as a child process.

The test suite and `manage.py search_benchmark` (when ELASTICSEARCH_URL is unset) use it
instead of a real Elasticsearch, which cannot be installed on every machine. The binary comes
with the `osmem-server` wheel (the `test` extra); nothing is downloaded at run time.
"""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request


class OsmemUnavailable(RuntimeError):
    """The server binary is missing or the server did not come up."""


def binary_path():
    try:
        from osmem_server import resolve_binary
    except ImportError as error:
        raise OsmemUnavailable(
            "osmem-server is not installed (pip install 'lotse[test]')"
        ) from error
    return resolve_binary()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OsmemProcess:
    """One osmem-server on a fixed port, which can be paused, stopped and started again.

    Pausing (SIGSTOP) keeps the data and makes requests hang, like an overloaded engine;
    stopping ends the process, so connections are refused and the in-memory data is gone.
    """

    def __init__(self, port=None, startup_timeout=20.0):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.startup_timeout = startup_timeout
        self.process = None
        self.paused = False

    def start(self):
        args = [
            binary_path(),
            "--addr",
            f"127.0.0.1:{self.port}",
            "--parent-pid",
            str(os.getpid()),
            "--no-ja",
        ]
        # stdin stays open: the server exits when it closes, i.e. when we stop or die.
        self.process = subprocess.Popen(
            args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.paused = False
        self.wait_until_answering()
        return self

    def wait_until_answering(self):
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise OsmemUnavailable(f"osmem-server exited with code {self.process.returncode}")
            if self.answers():
                return
            time.sleep(0.05)
        self.stop()
        raise OsmemUnavailable(f"osmem-server did not answer within {self.startup_timeout} s")

    def answers(self, timeout=0.5):
        try:
            with urllib.request.urlopen(self.url + "/", timeout=timeout) as response:
                return json.loads(response.read()).get("version") is not None
        except (OSError, ValueError, urllib.error.URLError):
            return False

    def pause(self):
        self.process.send_signal(signal.SIGSTOP)
        self.paused = True
        # The signal is delivered asynchronously; a busy machine may still let a request in.
        deadline = time.monotonic() + 5.0
        while time.monotonic() < deadline and not self.is_stopped():
            time.sleep(0.01)

    def is_stopped(self):
        """Has the kernel stopped the process (state T in /proc)?"""
        try:
            with open(f"/proc/{self.process.pid}/stat", encoding="ascii") as stat:
                return stat.read().rsplit(")", 1)[1].split()[0] in ("T", "t")
        except OSError:
            return False

    def resume(self):
        self.process.send_signal(signal.SIGCONT)
        self.paused = False

    def stop(self, grace=5.0):
        if self.process is None or self.process.poll() is not None:
            return
        if self.paused:
            self.resume()
        self.process.stdin.close()
        try:
            self.process.wait(grace)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
