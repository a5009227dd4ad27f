"""Photo ingest benchmark: a 12-megapixel JPEG through fieldapp's ingest vs. floor vs. naive.

    .venv/bin/python bench/photo_bench.py [--rounds 15]

- ingest: fieldapp.photos.processing.ingest (SHA-256 verify, type sniff, header pixel check,
  EXIF provenance, DCT-scaled decode, display resize, orientation, thumbnail, JPEG encodes);
- floor: the least Pillow work that yields the same two derivatives: open, draft() to the
  display size, decode, resize to 1600 px, resize that to 320 px, encode both;
- naive: open, ImageOps.exif_transpose (full decode), thumbnail() to 1600 px and to 320 px,
  encode both: the same outputs without DCT scaling.
Peak memory is measured per photo in a fresh process (peak RSS, reset before, minus RSS before
one photo), because Pillow's pixel buffers are allocated in C where tracemalloc cannot see them.
The last line is machine-readable.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageChops, ImageFilter, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fieldapp.photos import processing
from fieldapp.photos.storage import LocalPhotoStore, Rendition

SIZE = (4000, 3000)


def synthesise_photo(size: tuple[int, int] = SIZE) -> bytes:
    """A JPEG that compresses like a phone photo: soft regions, gradients, sensor grain, EXIF."""
    width, height = size
    channels = []
    for index, sigma in enumerate((60, 70, 80)):
        regions = Image.effect_noise((width // 8, height // 8), sigma)
        regions = regions.filter(ImageFilter.GaussianBlur(6)).resize(size, Image.Resampling.BICUBIC)
        gradient = Image.linear_gradient("L").rotate(30 * index).resize(size)
        channels.append(ImageChops.blend(regions, gradient, 0.4))
    grain = Image.effect_noise(size, 18)
    image = Image.merge("RGB", [ImageChops.add(c, grain, 1, -128) for c in channels])
    exif = Image.Exif()
    exif[0x0112] = 6  # held upright: the sensor's landscape frame is shown turned
    exif[0x010F], exif[0x0110] = "Samsung", "Galaxy A14"
    exif.get_ifd(0x8769)[36867] = "2026:03:14 09:30:00"
    exif.get_ifd(0x8825).update({1: "N", 2: (16.0, 49.0, 15.6), 3: "E", 4: (100.0, 15.0, 36.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88, exif=exif)
    return buffer.getvalue()


def run_ingest(data: bytes) -> None:
    processing.ingest(data, "image/jpeg")


def run_floor(data: bytes) -> None:
    image = Image.open(io.BytesIO(data))
    scale = processing.DISPLAY_PX / max(image.size)
    image.draft("RGB", (int(image.width * scale), int(image.height * scale)))
    image.load()
    display = image.resize(_fit(image.size, processing.DISPLAY_PX), processing.RESAMPLE)
    thumb = display.resize(
        _fit(display.size, processing.THUMB_PX),
        processing.RESAMPLE,
        reducing_gap=processing.REDUCING_GAP,
    )
    display.save(io.BytesIO(), "JPEG", quality=processing.DISPLAY_QUALITY)
    thumb.save(io.BytesIO(), "JPEG", quality=processing.THUMB_QUALITY)


def run_naive(data: bytes) -> None:
    image = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    display = image.copy()
    display.thumbnail((processing.DISPLAY_PX,) * 2, processing.RESAMPLE)
    thumb = display.copy()
    thumb.thumbnail((processing.THUMB_PX,) * 2, processing.RESAMPLE)
    display.save(io.BytesIO(), "JPEG", quality=processing.DISPLAY_QUALITY)
    thumb.save(io.BytesIO(), "JPEG", quality=processing.THUMB_QUALITY)


def _fit(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    scale = long_side / max(size)
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def time_rounds(cases: dict[str, Callable[[bytes], None]], data: bytes, rounds: int) -> dict:
    """Median CPU milliseconds per case; cases alternate each round so drift hits all alike.

    CPU time, not wall time: on a shared machine, waiting for a core is not the code's cost
    (all three cases are single-threaded, so the two agree on an idle machine).
    """
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for case in cases.values():  # warm caches and lazy imports
        case(data)
    for _ in range(rounds):
        for name, case in cases.items():
            start = time.process_time()
            case(data)
            samples[name].append((time.process_time() - start) * 1000)
    return {name: statistics.median(values) for name, values in samples.items()}


def time_store(data: bytes, rounds: int) -> float:
    """The store's share: three atomic, fsynced writes (not part of the floor comparison)."""
    photo = processing.ingest(data, "image/jpeg")
    samples = []
    with tempfile.TemporaryDirectory() as root:
        store = LocalPhotoStore(root)
        for _ in range(rounds):
            start = time.perf_counter()
            store.put_bytes(Rendition.THUMB, photo.sha256, photo.thumb.data)
            store.put_bytes(Rendition.DISPLAY, photo.sha256, photo.display.data)
            store.put_bytes(Rendition.ORIGINAL, photo.sha256, data)
            samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith(field + ":"))
    return int(line.split()[1])


def _peak_child(case_name: str, data: bytes, queue: multiprocessing.Queue) -> None:
    case = {"ingest": run_ingest, "naive": run_naive}[case_name]
    # Reset the high-water mark to the current size (Linux >= 4.0), then run one photo.
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")
    before = _status_kib("VmRSS")
    case(data)
    queue.put((_status_kib("VmHWM") - before) / 1024)


def peak_mib(case_name: str, data: bytes) -> float:
    """Extra resident memory one photo costs, in a fresh process (VmHWM minus VmRSS before)."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_peak_child, args=(case_name, data, queue))
    child.start()
    result = queue.get(timeout=120)
    child.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    data = synthesise_photo()
    print(f"photo: {SIZE[0]}x{SIZE[1]} JPEG, {len(data) / 1e6:.1f} MB, EXIF orientation 6 + GPS")
    medians = time_rounds(
        {"ingest": run_ingest, "floor": run_floor, "naive": run_naive}, data, args.rounds
    )
    store_ms = time_store(data, args.rounds)
    ingest_peak, naive_peak = peak_mib("ingest", data), peak_mib("naive", data)
    ratio = medians["ingest"] / medians["floor"]
    speedup = medians["naive"] / medians["ingest"]
    print(f"median of {args.rounds} rounds (CPU ms per photo):")
    for name, value in medians.items():
        print(f"  {name:<7} {value:8.1f}")
    print(f"  store   {store_ms:8.1f}  (wall ms: 3 fsynced atomic writes; not in the comparison)")
    print(f"ingest / floor = {ratio:.2f} (target <= 1.3)")
    print(f"naive / ingest = {speedup:.2f} (target >= 2.0)")
    print(f"peak memory per photo: ingest {ingest_peak:.1f} MiB, naive {naive_peak:.1f} MiB")
    print(
        f"ingest_ms={medians['ingest']:.1f} floor_ms={medians['floor']:.1f} "
        f"naive_ms={medians['naive']:.1f} floor_ratio={ratio:.2f} peak_mib={ingest_peak:.1f}"
    )


if __name__ == "__main__":
    main()
