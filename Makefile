# nianbao — make run: install and run the main job on the bundled examples; make test: run every test.
VENV    ?= .venv
PY      := $(VENV)/bin/python
PIP     := $(VENV)/bin/pip
BIN     := $(VENV)/bin
DATA    ?= .nianbao
PYTHON  ?= python3.11

.PHONY: install install-test system-packages run test lint format bench docs clean fuzz

$(PY):
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip

install: $(PY)
	$(PIP) install -q -e '.[all]'

install-test: $(PY) system-packages
	$(PIP) install -q -e '.[all,test]'

# Debian packages the tests need: a CJK font, Chromium for browser tests,
# LibreOffice to make DOCX/PDF fixtures, PostgreSQL for the store tests.
SYSTEM_PKGS := fonts-noto-cjk chromium libreoffice-writer-nogui poppler-utils postgresql
system-packages:
	@missing=""; for p in $(SYSTEM_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	  else echo "missing Debian packages:$$missing (tests that need them are skipped)"; fi; \
	fi

# the store is kept between runs (uploads, review states, corrections); the bundled examples are
# loaded once (ingest skips a file already stored, by its sha256). `make clean` starts afresh.
run: install
	mkdir -p $(DATA)
	NIANBAO_DATA=$(DATA) $(BIN)/nianbao ingest tests/fixtures/reports
	NIANBAO_DATA=$(DATA) $(BIN)/nianbao serve

test: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports
	$(BIN)/pytest -n 2

# property-based fuzzing of the text and HTML readers (hypothesis), a few minutes; skipped by make test
FUZZ_EXAMPLES ?= 3000
fuzz: install-test
	NIANBAO_FUZZ=1 NIANBAO_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -p no:xdist tests/fuzz

lint: $(PY)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: $(PY)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: install
	$(PY) bench/parse_bench.py

clean:
	rm -rf $(VENV) $(DATA) build *.egg-info src/*.egg-info .pytest_cache
