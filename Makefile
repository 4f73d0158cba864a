# Two commands on a fresh machine: `make run` and `make test`. Everything installs from here.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CASE := case_studies/telecom_b2b/opportunities.csv
CRITERIA := criteria/qualify_selling_opportunity.yaml
PORT ?= 8501

.PHONY: install run cli test e2e bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/mcda-qualify app --port $(PORT)

cli: install
	$(BIN)/mcda-qualify qualify $(CASE) --criteria $(CRITERIA)

test: install
	$(BIN)/python -m pytest -q -m "not e2e"

e2e: install
	$(BIN)/python -m pytest -q tests/test_cli_smoke.py

bench: install
	$(BIN)/python benchmarks/bench_sensitivity.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info
