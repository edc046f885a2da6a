# Two entry points a new user needs: `make map` and `make test`. Each sets up .venv itself.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-stamp
CHROMIUM ?= /usr/bin/chromium
PYTEST_ARGS ?=

.PHONY: map test check bench chromium clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## Build layers/ and site/ from routes.yaml, then say where to open the map.
map: $(STAMP)
	$(BIN)/geo build
	@echo "Map built: open file://$(CURDIR)/site/index.html in a browser (or run: $(BIN)/geo serve)"

## Everything CI checks: the test suite (browser tests in headless Chromium) and stale layers.
test: $(STAMP) chromium
	$(BIN)/ruff check geo bench tests
	$(BIN)/geo validate routes.yaml
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)
	$(BIN)/geo build --check

chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	  else \
	    echo "The browser tests need Chromium at $(CHROMIUM): sudo apt-get install chromium (or set CHROMIUM=/path)"; exit 1; \
	  fi; \
	fi

# compileall: start-up is measured with cached bytecode, as a user has it after the first run
# (with PYTHONDONTWRITEBYTECODE set, Python would compile geo's sources on every start)
bench: $(STAMP)
	$(BIN)/python -m compileall -q geo bench
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) site tests/artifacts .pytest_cache
