"""Draw the app icons (192, 512, maskable 512, apple-touch 180) with Pillow; no downloads.

Run from static/: ../.venv/bin/python tools/make_icons.py  (the PNGs are committed).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

GREEN = (27, 94, 32, 255)
LEAF = (129, 199, 132, 255)
WHITE = (255, 255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "public" / "icons"


def draw_icon(size: int, *, safe_zone: float) -> Image.Image:
    """A map pin over a leaf, inside `safe_zone` of the square (maskable icons need 80%)."""
    scale = 4  # draw large, then downsample for smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), GREEN)
    draw = ImageDraw.Draw(image)
    inset = big * (1 - safe_zone) / 2
    span = big - 2 * inset
    cx = big / 2
    # The leaf: an ellipse under the pin.
    draw.ellipse(
        [inset + span * 0.12, inset + span * 0.62, inset + span * 0.88, inset + span * 0.92], fill=LEAF
    )
    # The pin: a circle with a point.
    r = span * 0.26
    cy = inset + span * 0.36
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=WHITE)
    draw.polygon([(cx - r * 0.8, cy + r * 0.6), (cx + r * 0.8, cy + r * 0.6), (cx, inset + span * 0.82)], fill=WHITE)
    draw.ellipse([cx - r * 0.42, cy - r * 0.42, cx + r * 0.42, cy + r * 0.42], fill=GREEN)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    draw_icon(192, safe_zone=0.9).save(OUT / "icon-192.png", optimize=True)
    draw_icon(512, safe_zone=0.9).save(OUT / "icon-512.png", optimize=True)
    draw_icon(512, safe_zone=0.7).save(OUT / "maskable-512.png", optimize=True)
    draw_icon(180, safe_zone=0.85).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
