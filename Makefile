# Two commands set everything up on a fresh machine:
#   make demo   runs examples/shop under `splice` with a probe file, saved anew while it runs
#   make test   builds splice into .venv with the default python3 and runs the tests
# and `make test-all` runs the tests on CPython 3.8-3.15 (what .ci/run calls).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ENGINE_SOURCES := $(shell find src tools -type f) pyproject.toml CMakeLists.txt

.PHONY: demo test test-all bench clean system-deps

# Debian packages the build needs (the toml++ headers); installs what is missing.
system-deps:
	sh tools/install-system-deps.sh

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python $(ENGINE_SOURCES)
	sh tools/install-system-deps.sh
	$(BIN)/python -m pip install -q ".[test]"
	touch $@

demo: $(VENV)/.installed
	$(BIN)/python examples/live_demo.py

test: $(VENV)/.installed
	$(BIN)/python -m pytest -q

# Every supported CPython: 3.8-3.13 from pyenv, 3.14 and 3.15 in the Debian
# root of ../shared/tools/forky-python.
test-all: $(BIN)/python system-deps
	$(BIN)/python -m pip install -q nox
	$(BIN)/python -m nox

# Benchmarks on every supported version, then the tables of docs/benchmarks.md.
bench: $(BIN)/python system-deps
	$(BIN)/python -m pip install -q nox
	$(BIN)/python -m nox -s bench bench_forky
	$(BIN)/python bench/report.py

clean:
	rm -rf $(VENV) build .nox
