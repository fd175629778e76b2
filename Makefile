# make run: set up .venv if needed and start the bot (console demo without tokens).
# make test: set up .venv if needed, run the linters (make lint) and the whole test suite.
# make quick: the tests without the slow ones (the reliability suite, several processes), for a quick loop.
# make bench: print the benchmark figures (docs/performance.md); make soak: the reliability suite at full size.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test quick lint bench soak eval docs setup clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "boundary-bot needs Python 3.11 or newer (set PYTHON=...)")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/boundary-bot run $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	@err=$$(mktemp); \
	if url=$$(bash scripts/ensure-postgres.sh 2>"$$err"); then \
		export TEST_DATABASE_URL="$$url"; \
	else \
		export TEST_DATABASE_SKIP_REASON="$$(tr '\n' ' ' <"$$err")"; \
		echo "PostgreSQL tests will be skipped: $$TEST_DATABASE_SKIP_REASON" >&2; \
	fi; \
	rm -f "$$err"; \
	$(BIN)/python -m pytest $(PYTEST_ARGS)

quick: $(STAMP)
	@url=$$(bash scripts/ensure-postgres.sh 2>/dev/null) && export TEST_DATABASE_URL="$$url"; \
	$(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

bench: $(STAMP)
	@url=$$(bash scripts/ensure-postgres.sh 2>/dev/null) && export TEST_DATABASE_URL="$$url"; \
	$(BIN)/python -m benchmarks $(BENCH)

soak: $(STAMP)
	@url=$$(bash scripts/ensure-postgres.sh 2>/dev/null) && export TEST_DATABASE_URL="$$url"; \
	RELIABILITY_SOAK=1 $(BIN)/python -m pytest tests/reliability $(PYTEST_ARGS)

eval: $(STAMP)
	$(BIN)/python -m benchmarks intents

docs: $(STAMP)
	$(BIN)/python -m bot.policy_docs > docs/policy.md

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis *.egg-info
