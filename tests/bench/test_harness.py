"""The benchmark's own parts against a real `streamlit run`: the websocket client drives a page as a
browser would, and the command line refuses a busy port in one line before it seeds or starts anything."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest

from bench import PROJECT_ROOT
from bench.client import ClientError, StreamlitSession
from bench.pages import FLOOR_SCRIPT
from bench.server import StreamlitServer, free_port, port_is_free


@pytest.fixture(scope="module")
def floor() -> Iterator[StreamlitServer]:
    with StreamlitServer(FLOOR_SCRIPT, free_port(), name="floor page") as server:
        yield server


def test_the_client_reads_a_page_and_sends_a_choice_with_a_click(floor: StreamlitServer) -> None:
    with StreamlitSession(floor.url, timeout=30) as session:
        first = session.open_page("")
        assert first.status == "FINISHED_SUCCESSFULLY"
        assert "Floor page" in first.text
        session.set_value("Choose one", "Sign off with changes")
        clicked = session.click("Send")
    assert "Sent: Sign off with changes" in clicked.text
    assert clicked.errors == []


def test_the_client_names_what_the_page_shows_when_a_label_is_missing(floor: StreamlitServer) -> None:
    with StreamlitSession(floor.url, timeout=30) as session:
        session.open_page("")
        with pytest.raises(ClientError, match=r"no widget labelled 'Vote'.*radio 'Choose one'"):
            session.set_value("Vote", "Sign off")
        with pytest.raises(ClientError, match="'Maybe' is not one of"):
            session.set_value("Choose one", "Maybe")


def test_a_closed_port_is_one_clear_error() -> None:
    port = free_port()
    with pytest.raises(ClientError, match=f"cannot open a Streamlit session at 127.0.0.1:{port}"):
        StreamlitSession(f"http://127.0.0.1:{port}", timeout=5).connect()


def test_make_bench_refuses_a_busy_port_in_one_line_before_it_starts_anything() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "bench", "--only", "pages", "--port", str(port)],
                              cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
                              env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}, check=False)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1, done.stderr
    assert f"port {port} (for the app (demo data) server) is already in use" in done.stderr
    assert "Traceback" not in done.stderr
    assert port_is_free(port + 1) and port_is_free(port + 2)  # nothing was left listening
