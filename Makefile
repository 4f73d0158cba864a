# Two commands on a fresh machine: `make run` and `make test`. Everything installs from here.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CASE := case_studies/telecom_b2b/opportunities.csv
CRITERIA := criteria/qualify_selling_opportunity.yaml
PORT ?= 8501

.PHONY: install run cli test e2e chromium bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/python -m compileall -q mcda_qualify apps >/dev/null  # an editable install compiles nothing; start-up needs the bytecode
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/mcda-qualify app --port $(PORT)

cli: install
	$(BIN)/mcda-qualify qualify $(CASE) --criteria $(CRITERIA)

test: install
	$(BIN)/python -m pytest -q -m "not e2e"

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

e2e: install chromium
	$(BIN)/python -m pytest -q -m e2e tests/e2e

# every benchmarks/bench_*.py in one run (about 5 minutes on a quiet 2-core machine); uptime first: the load matters
bench: install
	@uptime
	@set -e; for f in benchmarks/bench_*.py; do echo; echo "== $$f"; $(BIN)/python $$f; done

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info
