# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# PostgreSQL for the second test run; the test runner creates test_huying.
PG_URL ?= postgresql://postgres@127.0.0.1:5432/huying

.PHONY: demo test lint test-sqlite test-postgres browser-deps static clean

# Leaflet and ECharts come from package.json at build time and are copied
# into huying/static/vendor/ (git-ignored); nothing third-party is committed.
VENDOR := huying/static/vendor

static: $(VENDOR)/.built

$(VENDOR)/.built: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/echarts $(VENDOR)/leaflet
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images $(VENDOR)/leaflet/
	touch $@

$(BIN)/huying: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

demo: $(BIN)/huying static
	$(BIN)/huying demo

# Debian's Chromium and a CJK font for the browser tests (root on CI and dev machines).
browser-deps:
	@command -v chromium >/dev/null && fc-list | grep -qi wqy || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null)

test: $(BIN)/huying static browser-deps lint test-sqlite test-postgres

# The style pyproject.toml sets (pyflakes, pycodestyle, import order).
lint:
	$(BIN)/ruff check huying bench conftest.py

test-sqlite:
	$(BIN)/pytest -q

test-postgres:
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q

clean:
	rm -rf $(VENV) var node_modules $(VENDOR)
