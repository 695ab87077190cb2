# Two commands on a fresh machine with Python 3.11 and make:
#   make run    set everything up, run the workflow on the sample articles
#   make test   set everything up, run the tests
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

AXE := axe-core-4.14.1
.PHONY: run test lint clean gettext chromium apertium
run: $(VENV)/.installed
	@$(MAKE) --no-print-directory apertium || echo "Apertium could not be installed: the aligner compares lengths, numbers and names alone"
	$(BIN)/translate-flow run

test: $(VENV)/.installed gettext chromium apertium .cache/$(AXE).tgz
	$(BIN)/ruff check translate_flow tests $(wildcard benchmarks)
	$(BIN)/ruff format --check translate_flow tests $(wildcard benchmarks)
	$(BIN)/pytest

lint: $(VENV)/.installed
	$(BIN)/ruff format translate_flow tests $(wildcard benchmarks)
	$(BIN)/ruff check --fix translate_flow tests $(wildcard benchmarks)

$(VENV)/.installed: pyproject.toml requirements-argos.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,ray]'
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-argos.txt
	touch $@

# The tests check every catalog with GNU gettext's msgfmt.
gettext:
	@command -v msgfmt >/dev/null 2>&1 || { echo "msgfmt (GNU gettext) is missing: installing it"; \
		apt-get update -qq && apt-get install -y -qq gettext >/dev/null; }

# The aligner translates with Apertium's en→es→ro modes (Debian's rule-based MT) where no Argos model is installed;
# make run installs them where it can, make test needs them.
apertium:
	@test -f /usr/share/apertium/apertium-es-ro/es-ro.automorf.bin -a -f /usr/share/apertium/modes/eng-spa.mode \
		|| { echo "apertium (en→es→ro) is missing: installing it"; \
		apt-get update -qq && apt-get install -y -qq apertium apertium-en-es apertium-es-ro >/dev/null; }

# The browser tests drive Debian's chromium (Playwright's own download needs the network)
# and check every page with axe-core, fetched from npm once into .cache/.
chromium:
	@test -x /usr/bin/chromium || { echo "chromium is missing: installing it"; \
		apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

.cache/$(AXE).tgz:
	mkdir -p .cache
	cd .cache && npm pack --silent $(subst -core-,-core@,$(AXE)) >/dev/null

clean:
	rm -rf $(VENV) dist .translate-flow .pytest_cache .hypothesis .cache test-artifacts
