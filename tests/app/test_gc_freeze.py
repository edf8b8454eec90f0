"""Streamlit collects garbage after every run; freezing the imported libraries' objects once keeps that
walk short. Freezing on every run would leak, so it must happen once per process."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from components import context


@pytest.fixture
def unfrozen(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    gc.unfreeze()
    monkeypatch.setattr(context, "_imports_frozen", False)
    yield
    gc.unfreeze()


def test_imported_objects_are_frozen_once_and_later_garbage_stays_collectable(unfrozen: None) -> None:
    context.freeze_imported_objects()
    frozen = gc.get_freeze_count()
    assert frozen > 0
    made_later = [[n] for n in range(1000)]
    context.freeze_imported_objects()
    assert gc.get_freeze_count() == frozen, "a second freeze would keep every later run's garbage for ever"
    del made_later

