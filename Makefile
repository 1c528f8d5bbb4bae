# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# PostgreSQL for the second test run; the test runner creates test_huying.
PG_URL ?= postgresql://postgres@127.0.0.1:5432/huying

.PHONY: demo test test-sqlite test-postgres browser-deps clean

$(BIN)/huying: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

demo: $(BIN)/huying
	$(BIN)/huying demo

# Debian's Chromium and a CJK font for the browser tests (root on CI and dev machines).
browser-deps:
	@command -v chromium >/dev/null && fc-list | grep -qi wqy || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null)

test: $(BIN)/huying browser-deps test-sqlite test-postgres

test-sqlite:
	$(BIN)/pytest -q

test-postgres:
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q

clean:
	rm -rf $(VENV) var
