# fieldapp: `make run` serves the app, `make test` runs everything CI runs.
# A second run reuses what the first installed: each step is a stamp file that only
# goes stale when its inputs change.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
STAMPS := .stamps
PWA_SOURCES := $(shell find static/src static/public -type f 2>/dev/null) \
               $(wildcard static/*.js static/*.json static/*.html)

export FLASK_APP := fieldapp
export PORT

.PHONY: run test setup install pwa db lint pytest vitest chromium bench clean

run: setup
	$(BIN)/gunicorn --config gunicorn.conf.py "fieldapp:create_app()"

test: setup chromium lint
	$(BIN)/pytest
	cd static && npm test

setup: install pwa db

install: $(STAMPS)/python

$(STAMPS)/python: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "fieldapp needs Python 3.11+"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@mkdir -p $(STAMPS) && touch $@

pwa: $(STAMPS)/pwa

$(STAMPS)/npm: static/package.json static/package-lock.json
	@node -e 'if (+process.versions.node.split(".")[0] < 20) { console.error("fieldapp needs Node 20+"); process.exit(1) }'
	cd static && npm ci --no-audit --no-fund --loglevel=error
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/pwa: $(STAMPS)/npm $(PWA_SOURCES)
	cd static && npm run build
	@mkdir -p $(STAMPS) && touch $@

# Migrations and seeding are idempotent, so they run every time.
db: install
	$(BIN)/flask db upgrade
	$(BIN)/flask seed

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

chromium:
	@bash scripts/ensure-chromium.sh

bench: setup
	$(BIN)/python bench/sync_bench.py
	$(BIN)/python bench/photo_bench.py
	$(BIN)/python bench/pwa_bench.py
	$(BIN)/python bench/export_bench.py

clean:
	rm -rf $(VENV) $(STAMPS) static/node_modules static/dist
