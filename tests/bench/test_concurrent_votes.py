"""Ten members vote at once through the real server: nobody sees an error and every vote is stored exactly
once — on SQLite with one app instance, and on PostgreSQL with two instances sharing the database, where a
member on one instance sees the count move after a vote on the other. No timings are asserted here;
`python -m bench --only voters` measures fifty voters against the floor page."""

from __future__ import annotations

import os

import pytest

from bench.databases import throwaway_postgres, throwaway_sqlite
from bench.server import StreamlitServer, free_port, running
from bench.voters import (
    burst,
    check_stored_once,
    environment,
    prepare_open_circulation,
    prepare_open_vote,
    seen_across_instances,
    voting_sessions,
)
from settings import normalise_url

VOTERS = 10


def test_ten_members_vote_at_once_on_sqlite_and_each_vote_is_stored_once() -> None:
    with throwaway_sqlite("ten-voters") as url:
        vote = prepare_open_vote(url, VOTERS)
        with StreamlitServer("app.py", free_port(), environment(url), name="app") as server, \
                voting_sessions([server], vote) as sessions:
            outcome = burst(sessions, "Send my vote", "Your vote is saved")
        stored = check_stored_once(url, vote, VOTERS)
    assert outcome.errors == []
    assert len(outcome.samples_ms) == VOTERS
    assert stored == []
    # Sending a vote reruns only the vote's part of the page, which is what keeps a burst cheap.
    assert set(outcome.statuses) == {"FINISHED_FRAGMENT_RUN_SUCCESSFULLY"}


@pytest.mark.postgres
def test_ten_members_vote_at_once_across_two_instances_on_postgresql() -> None:
    admin_url = os.environ.get("TEST_DATABASE_URL", "").strip()
    if not admin_url:
        pytest.skip("TEST_DATABASE_URL is not set: the PostgreSQL lane is off")
    with throwaway_postgres(normalise_url(admin_url)) as url:
        vote = prepare_open_vote(url, VOTERS + 1)
        a = StreamlitServer("app.py", free_port(), environment(url), name="app A")
        b = StreamlitServer("app.py", free_port(), environment(url), name="app B")
        with running(a, b):
            in_burst = type(vote)(vote.poll_id, vote.voters[:VOTERS], vote.watcher)
            with voting_sessions([a, b], in_burst) as sessions:
                outcome = burst(sessions, "Send my vote", "Your vote is saved")
            stored = check_stored_once(url, in_burst, VOTERS)
            seen_after = seen_across_instances(a, b, vote, vote.voters[-1])
    assert outcome.errors == []
    assert len(outcome.samples_ms) == VOTERS
    assert stored == []
    assert seen_after < 10  # seen at all: the bench holds it to 3 s


@pytest.mark.postgres
def test_members_answer_a_circulation_at_once_across_two_instances_on_postgresql() -> None:
    """Between meetings: ten members press Send on the circulations page at the same moment, half on each
    of two app instances; every answer is stored once, none lost, none twice."""
    admin_url = os.environ.get("TEST_DATABASE_URL", "").strip()
    if not admin_url:
        pytest.skip("TEST_DATABASE_URL is not set: the PostgreSQL lane is off")
    with throwaway_postgres(normalise_url(admin_url)) as url:
        circulation = prepare_open_circulation(url, VOTERS)
        a = StreamlitServer("app.py", free_port(), environment(url), name="app A")
        b = StreamlitServer("app.py", free_port(), environment(url), name="app B")
        with running(a, b), voting_sessions([a, b], circulation, page="circulations") as sessions:
            outcome = burst(sessions, "Send my vote", "Your vote is saved")
        stored = check_stored_once(url, circulation, VOTERS)
    assert outcome.errors == []
    assert len(outcome.samples_ms) == VOTERS
    assert stored == []
