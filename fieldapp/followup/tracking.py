"""Tracking codes a villager keeps to follow their concern: short, readable, hard to guess.

`PL-7K4Q-9M2T`: "PL" for Phitsanulok, then 8 characters drawn at random from 32 that cannot
be mistaken for one another (no 0/O, no 1/I): 32**8 = 2**40, about 1.1 million million codes.
With 100,000 concerns on file a guess finds one once in about 11 million tries, and the
public lookup is rate-limited. Pure: no Flask, no database (uniqueness is the database's
unique index; a push that collides is retried whole with fresh codes).
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
PREFIX = "PL"
RANDOM_CHARS = 8
CODE_LENGTH = len(PREFIX) + 2 + RANDOM_CHARS  # PL-XXXX-XXXX
_CODE_RE = re.compile(rf"^{PREFIX}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")


def new_tracking_code() -> str:
    """A fresh random code, e.g. PL-7K4Q-9M2T."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_CHARS))
    return f"{PREFIX}-{chars[:4]}-{chars[4:]}"


def normalise_tracking_code(typed: str) -> str | None:
    """The code as stored, from what a villager typed (any case, with or without
    spaces and dashes), or None when it cannot be one."""
    compact = re.sub(r"[\s\-_.]", "", typed or "").upper()
    if compact.startswith(PREFIX):
        compact = compact[len(PREFIX) :]
    # The alphabet has no 0, O, 1 or I: a villager who typed one meant nothing else, so
    # such a code is simply not one of ours.
    if len(compact) != RANDOM_CHARS:
        return None
    code = f"{PREFIX}-{compact[:4]}-{compact[4:]}"
    return code if _CODE_RE.match(code) else None
