# make run   - set up .venv if needed and launch GateLab
# make test  - set up and run every test (the GUI tests run under Xvfb)
# make bench - the engine's benchmark table and the live-view benchmark
# make lint  - ruff
# make translations - update app/i18n/gatelab_ja.ts from the sources (pyside6-lupdate) and compile it (lrelease)
# Each installs the Debian/Ubuntu packages it needs when missing (.ci/system-deps; root or sudo).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Two stamps: run installs GateLab and its compiled engine (numba), test adds the test tools (which include all
# run needs).
RUNTIME_STAMP := $(VENV)/.installed-runtime
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test bench lint translations system-deps system-deps-runtime clean

define make_venv
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "GateLab needs Python 3.11 or newer; $(PYTHON) is " + sys.version.split()[0])'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
endef

# after the system packages (python3-venv among them), also under make -j
$(RUNTIME_STAMP): pyproject.toml | system-deps-runtime
	$(make_venv)
	$(PY) -m pip install -q -e '.[compiled]'
	@touch $@

$(TEST_STAMP): pyproject.toml | system-deps-runtime
	$(make_venv)
	$(PY) -m pip install -q -e '.[test,compiled]'
	@touch $@ $(RUNTIME_STAMP)

# the window's packages (Mesa, Qt's xcb libraries, fonts)
system-deps-runtime:
	@bash .ci/system-deps runtime

# those and the test tools' (Xvfb)
system-deps:
	@bash .ci/system-deps test

run: system-deps-runtime $(RUNTIME_STAMP)
	$(PY) -m app

test: system-deps $(TEST_STAMP)
	$(PY) -m pytest

bench: system-deps $(RUNTIME_STAMP)
	$(PY) -m nn_core bench
	$(PY) -m app.bench

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .

# New texts arrive untranslated ("unfinished"): translate them in the .ts (pyside6-linguist), then run this again.
translations: $(RUNTIME_STAMP)
	$(VENV)/bin/pyside6-lupdate app/*.py -ts app/i18n/gatelab_ja.ts -no-obsolete -locations none
	$(VENV)/bin/pyside6-lrelease app/i18n/gatelab_ja.ts -qm app/i18n/gatelab_ja.qm

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
