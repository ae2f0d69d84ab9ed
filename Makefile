# Two commands: `make run` (the bot; offline console without DISCORD_TOKEN) and `make test`.
# Each creates .venv on first use and installs what it needs into it.

PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check

# pytest workers: one per core, at most 4 (each runs its own bot worker pool)
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ "$$n" -gt 4 ] && n=4; echo $$n)

.PHONY: run test fuzz bench doctor invite lint format clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed (python3 --version)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(PIP) -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(PIP) -e '.[test]'
	@touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	@$(BIN)/python -m bot

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile

fuzz: $(VENV)/.installed-test  ## the property tests with thousands of examples each
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile -m fuzz

doctor: $(VENV)/.installed-run
	@$(BIN)/python -m bot doctor

# `make invite CLIENT_ID=…` needs no token; with DISCORD_TOKEN set the ID is derived from it.
invite: $(VENV)/.installed-run
	@$(BIN)/python -m bot invite $(if $(CLIENT_ID),--client-id $(CLIENT_ID))

bench: $(VENV)/.installed-test
	$(BIN)/python -m benchmarks

lint format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache sandbox-out *.egg-info
