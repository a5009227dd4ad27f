"""Write src/data/meta.json: the server's GET /api/meta, for the app's very first offline start.

Run from static/ after a schema change: ../.venv/bin/python tools/write_meta.py
(tests/api/test_meta.py fails while the copy differs from what the server answers).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from fieldapp.meta import describe  # noqa: E402
from fieldapp.schemas.meta import MetaSchema  # noqa: E402

TARGET = ROOT / "static" / "src" / "data" / "meta.json"


def main() -> None:
    body = MetaSchema().dump(describe())
    TARGET.write_text(json.dumps(body, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    print(f"wrote {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
