# Two commands do all the set-up on a fresh Debian machine:
#   make run    start the app on its embedded default (encrypted SQLite in the user's data folder)
#   make test   lint, type-check and run the tests (SQLite, a real PostgreSQL server, Qt offscreen)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-long lint typecheck pytest setup system-deps bench clean translations update-translations \
	package package-test

# The interface's translations: resources/i18n/*.ts are the sources (pyside6-linguist edits them);
# the .qm files the program loads are built from them here, never committed.
TS := $(wildcard resources/i18n/*.ts)
QM := $(patsubst resources/i18n/%.ts,teller_assist/ui/i18n/%.qm,$(TS))

$(STAMP): pyproject.toml installer/system-deps.sh
	@PYTHON=$(PYTHON) sh installer/system-deps.sh
	@if ! $(BIN)/python -c 'import sys' >/dev/null 2>&1; then \
		echo "creating $(VENV)"; rm -rf $(VENV); $(PYTHON) -m venv $(VENV); fi
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,dev]'
	@touch $@

setup: $(STAMP) $(QM)

teller_assist/ui/i18n/%.qm: resources/i18n/%.ts $(STAMP)
	@mkdir -p $(dir $@)
	$(BIN)/pyside6-lrelease -silent $< -qm $@

translations: $(QM)

# after changing strings in teller_assist/ui: add them to the .ts sources, then translate them there
update-translations: $(STAMP)
	$(BIN)/pyside6-lupdate teller_assist/ui/*.py teller_assist/ui/shell/*.py teller_assist/ui/workspaces/*.py -locations none -source-language zh_CN \
		-target-language en -ts resources/i18n/teller_assist_en.ts

system-deps:
	@PYTHON=$(PYTHON) sh installer/system-deps.sh

run: $(STAMP) $(QM)
	$(BIN)/teller-assist gui --demo-if-empty

# The suite runs on every core (pytest-xdist): each worker starts its own PostgreSQL and CUPS.
test: $(STAMP) $(QM)
	$(BIN)/ruff check .
	$(BIN)/mypy
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n auto -m "not long" $(PYTEST_ARGS)

# The end-to-end runs of a minute or more each (whole command-line lives, every KPI reconciled on both
# engines, SIGKILL at 20 points, ...): CI runs them after `make test`.
test-long: $(STAMP) $(QM)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n auto -m long $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) $(QM)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/demo_county.py

# The Debian package (dist/teller-assist_<version>_<arch>.deb): the program frozen with PyInstaller,
# its own Python inside, for this machine's architecture (see README: Installing at a branch).
package: $(STAMP)
	@PYTHON=$(PYTHON) sh installer/system-deps.sh package
	$(PYTHON) installer/build_deb.py

# Builds the package and the previous release, installs them with apt into a clean Debian root
# (debootstrap), upgrades, removes, purges (root; several minutes; not part of `make test`).
package-test: $(STAMP)
	@PYTHON=$(PYTHON) sh installer/system-deps.sh package
	TELLER_ASSIST_PACKAGE_TEST=1 $(BIN)/python -m pytest tests/package -x -v -s $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
