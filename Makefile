# The README's two commands: `make demo` (the main job) and `make test` (every test).
.PHONY: demo test setup lint bench
VENV := .venv/bin

demo:
	scripts/bootstrap demo
	$(VENV)/stagingqa demo

test:
	scripts/bootstrap test
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .
	$(VENV)/mypy
	scripts/lint-imports
	cd examples/autoqa && ../../$(VENV)/pytest -q -p no:cacheprovider tests
	STAGINGQA_REQUIRE_POSTGRES=1 $(VENV)/pytest -q

setup:
	scripts/bootstrap test

bench:
	scripts/bootstrap demo
	$(VENV)/python bench/run.py
