# cetrus — two commands on a fresh machine:
#   make paper   set up, build the replica cohort, analyse, render the manuscript
#   make test    set up, run the whole suite (live R parity included)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# extras installed by `make setup` (pyproject.toml); e.g. EXTRAS=r,study,test leaves out
# torch (imaging) when only the statistics and the study on CSV features are needed
EXTRAS ?= all
STAMP := $(VENV)/.cetrus-installed
export MPLBACKEND := Agg

.PHONY: setup system-deps test validate bench paper clean

setup: system-deps $(STAMP)

system-deps:
	@bash scripts/ensure-system-deps.sh

# rpy2 builds against the installed R, so system-deps comes first
# the exact versions of constraints.txt (pyproject.toml holds ranges only)
$(STAMP): pyproject.toml constraints.txt | system-deps
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[$(EXTRAS)]'
	touch $@

# the checks first (seconds), then the suite: ruff lint and format, mypy, pytest (doctests
# of cetrus.stats included), live R parity included
CHECKED := pkg tests validation benchmarks scripts examples conftest.py
test: setup
	$(VENV)/bin/ruff check $(CHECKED)
	$(VENV)/bin/ruff format --check $(CHECKED)
	$(VENV)/bin/mypy
	$(PY) -m pytest -q

validate: setup
	$(VENV)/bin/cetrus validate --suite

bench: setup
	$(VENV)/bin/cetrus bench

paper: setup
	$(VENV)/bin/cetrus paper

clean:
	rm -rf validation/_results _output results .pytest_cache
