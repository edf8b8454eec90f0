"""Start and stop real `streamlit run` servers for the benchmarks, and read their memory.

Whatever happens — a server that does not start, a port already in use, a bench that fails half way or is
interrupted — every process started here is stopped: each runs in its own process group, is registered
at start and is ended by the context manager, with atexit as the last resort.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bench import PROJECT_ROOT, BenchError

START_TIMEOUT_S = 60.0
_STARTED: set[subprocess.Popen[bytes]] = set()
_next_port: int | None = None


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the whole group (Streamlit has helper threads, never children, but be sure), then KILL."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    _STARTED.discard(process)


@atexit.register
def stop_everything_started() -> None:
    for process in list(_STARTED):
        _stop(process)


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A port nobody is listening on: the next of `--port N`, N+1, … when given, else one from the kernel."""
    global _next_port
    if _next_port is not None:
        _next_port += 1
        return _next_port - 1
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def use_ports_from(port: int | None) -> None:
    """`python -m bench --port N`: servers take N, N+1, … (for a firewall, or to see a clash reported)."""
    global _next_port
    _next_port = port


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (VmRSS), what the operating system has to give it."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError as error:
        raise BenchError(f"cannot read the memory of process {pid}: {error}") from error
    raise BenchError(f"process {pid} reports no resident memory")


@dataclass
class StreamlitServer:
    """One `streamlit run SCRIPT` on a port, with its own environment (DATABASE_URL and the cookie key)."""

    script: str
    port: int
    env: Mapping[str, str] = field(default_factory=dict)
    name: str = "app"
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        if self.process is None:
            raise BenchError(f"the {self.name} server is not running")
        return self.process.pid

    def refuse_a_busy_port(self) -> None:
        if not port_is_free(self.port):
            raise BenchError(f"port {self.port} (for the {self.name} server) is already in use by another program: "
                             "stop it, or give other ports with BENCH_ARGS='--port N'")

    def start(self) -> StreamlitServer:
        self.refuse_a_busy_port()
        handle, log_name = tempfile.mkstemp(prefix=f"bench-{self.name}-", suffix=".log")
        self.log_path = Path(log_name)
        command = [sys.executable, "-m", "streamlit", "run", self.script, "--server.port", str(self.port),
                   "--server.address", "127.0.0.1", "--server.headless", "true",
                   "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
        with os.fdopen(handle, "wb") as log:
            self.process = subprocess.Popen(command, cwd=PROJECT_ROOT, env={**os.environ, **self.env},
                                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        _STARTED.add(self.process)
        self._wait_until_healthy()
        return self

    def _wait_until_healthy(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                message = (f"the {self.name} server stopped as it started (exit {self.process.returncode}): "
                           f"{self.last_log_line()}")
                self.stop()
                raise BenchError(message)
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        message = (f"the {self.name} server did not answer on port {self.port} within "
                   f"{START_TIMEOUT_S:.0f} s: {self.last_log_line()}")
        self.stop()
        raise BenchError(message)

    def last_log_line(self) -> str:
        """The server's last words, usually the reason it stopped."""
        if self.log_path is None or not self.log_path.exists():
            return "no log"
        lines = [line.strip() for line in self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
                 if line.strip()]
        return lines[-1] if lines else "it printed nothing"

    def log_text(self) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def rss_mb(self) -> float:
        return rss_mb(self.pid)

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)
        if self.log_path is not None:
            with contextlib.suppress(OSError):
                self.log_path.unlink()
            self.log_path = None

    def __enter__(self) -> StreamlitServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def refuse_busy_ports(*servers: StreamlitServer) -> None:
    for server in servers:
        server.refuse_a_busy_port()


@contextlib.contextmanager
def running(*servers: StreamlitServer) -> Iterator[tuple[StreamlitServer, ...]]:
    """Start several servers (the floor and the app, or two app instances); stop them all, whatever happens."""
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()
