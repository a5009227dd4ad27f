"""The merge engine: plain Python, no Flask import; dataclasses in and out.

Devices send mutations made offline; `apply_batch` applies them to the current records exactly
once, merges edits of different fields, records a conflict when the same field was edited twice
(the later arrival wins) and rejects, for quarantine, what cannot be applied.
"""

from sync.engine import apply_batch, timeline_entry_id
from sync.model import (
    APPLIED,
    CONFLICT,
    DUPLICATE,
    MERGED,
    OPS,
    REJECTED,
    Actor,
    BatchResult,
    Capture,
    ConflictNote,
    Mutation,
    Outcome,
    PhotoRef,
    Record,
    RecordChange,
    Rejection,
    TimelineNote,
    TransitionPlan,
    Writer,
)
from sync.policy import Lookup, Policy
from sync.problems import FieldProblem, FieldProblems

__all__ = [
    "APPLIED",
    "CONFLICT",
    "DUPLICATE",
    "MERGED",
    "OPS",
    "REJECTED",
    "Actor",
    "BatchResult",
    "Capture",
    "ConflictNote",
    "FieldProblem",
    "FieldProblems",
    "Lookup",
    "Mutation",
    "Outcome",
    "PhotoRef",
    "Policy",
    "Record",
    "RecordChange",
    "Rejection",
    "TimelineNote",
    "TransitionPlan",
    "Writer",
    "apply_batch",
    "timeline_entry_id",
]
