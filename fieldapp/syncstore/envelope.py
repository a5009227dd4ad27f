"""Turn checked push envelopes into the engine's Mutations, keeping each verbatim."""

from __future__ import annotations

from typing import Any

from sync import Capture, Mutation, PhotoRef


def mutation_from_envelope(loaded: dict[str, Any], raw: dict[str, Any]) -> Mutation:
    """`loaded` is the MutationSchema output, `raw` what the device sent (for quarantine)."""
    return Mutation(
        mutation_id=loaded["mutation_id"],
        entity=loaded["entity"],
        record_id=loaded["record_id"],
        op=loaded["op"],
        base_version=loaded.get("base_version") or 0,
        fields=loaded.get("changes") or {},
        transition=loaded.get("transition"),
        photos=tuple(photo_ref(photo) for photo in loaded.get("photos") or ()),
        observed_at=loaded.get("observed_at"),
        payload=raw,
    )


def photo_ref(loaded: dict[str, Any]) -> PhotoRef:
    """A PhotoRefSchema output as the engine's PhotoRef, its capture provenance flattened."""
    values = dict(loaded)
    exif, attached = values.pop("exif", None), values.pop("attached", None)
    capture = None
    if exif or attached:
        exif, attached = exif or {}, attached or {}
        capture = Capture(
            exif_taken_at=exif.get("taken_at"),
            exif_lat=exif.get("gps_lat"),
            exif_lon=exif.get("gps_lon"),
            camera_make=exif.get("make"),
            camera_model=exif.get("model"),
            attached_at=attached.get("at"),
            device_lat=attached.get("lat"),
            device_lon=attached.get("lon"),
            device_accuracy_m=attached.get("accuracy_m"),
        )
    return PhotoRef(**values, capture=capture)
