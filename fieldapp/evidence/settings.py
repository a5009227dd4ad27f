"""The evidence rules from the app config (fieldapp/config.py; docs/operations.md)."""

from __future__ import annotations

from flask import current_app, has_app_context

from fieldapp.evidence.checks import EvidenceRules


def evidence_rules() -> EvidenceRules:
    if not has_app_context():
        return EvidenceRules()
    config = current_app.config
    return EvidenceRules(
        max_metres=float(config.get("EVIDENCE_MAX_DISTANCE_M", 200)),
        phash_max_bits=int(config.get("EVIDENCE_PHASH_MAX_BITS", 6)),
    )
