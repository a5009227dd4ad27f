"""Fixtures for the sync tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sync_helpers import Device


@pytest.fixture
def device(client, login) -> Callable[..., Device]:
    def make(user) -> Device:
        return Device(client, login(user))

    return make
