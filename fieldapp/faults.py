"""Test-only fault points: a worker stops at a named moment so a test can kill it there.

FIELDAPP_FAULT_PAUSE="<point>:<signal file>" makes the first request to reach <point> create
the signal file (holding its process id) and wait until `<signal file>.resume` exists or it is
killed. Unset (always, outside the fault tests), a pause point costs one dictionary lookup.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

PAUSE_ENV = "FIELDAPP_FAULT_PAUSE"
MAX_PAUSE_SECONDS = 60


def pause_point(name: str) -> None:
    spec = os.environ.get(PAUSE_ENV)
    if not spec:
        return
    point, _, signal_file = spec.partition(":")
    if point != name:
        return
    try:  # only the first request to get here pauses: the retry after the kill goes through
        fd = os.open(signal_file, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    resume = Path(f"{signal_file}.resume")
    deadline = time.monotonic() + MAX_PAUSE_SECONDS
    while not resume.exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # another process decides when this one goes on: nothing to await
