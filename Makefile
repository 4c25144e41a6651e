# Two commands on a fresh machine: `make serve` (the site at http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1

.PHONY: install serve build validate render chromium language-server lint test screenshots clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable '.[test,fast]'
	touch $@

install: $(BIN)/.installed

serve: install
	$(BIN)/mkdocs serve

build: install
	$(BIN)/mkdocs build --strict

validate: install
	$(BIN)/playbook validate playbook

render: install
	$(BIN)/playbook render markdown-site

# The browser tests drive Debian's Chromium; the pull-request workflow's comment script is run in
# Node; the history and diff tests make git repositories; npm installs the YAML language server.
# Only what is missing is installed: a machine with Node from another source (which brings its own
# npm) cannot also take Debian's npm package, which conflicts with it.
chromium:
	@missing=""; \
	  for pair in chromium:chromium node:nodejs npm:npm git:git; do \
	    command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; \
	  done; \
	  [ -z "$$missing" ] || { $(SUDO) apt-get update && $(SUDO) apt-get install -y $$missing; }

# The editor test (tests/test_language_server.py) drives the YAML language server that VS Code's
# YAML extension and other editors run, installed from npm into the virtual environment.
YAML_LANGUAGE_SERVER := yaml-language-server@1.25.0
$(VENV)/node/.installed-$(YAML_LANGUAGE_SERVER): | chromium
	npm install --prefix $(VENV)/node --no-save --no-audit --no-fund $(YAML_LANGUAGE_SERVER)
	touch $@

language-server: $(VENV)/node/.installed-$(YAML_LANGUAGE_SERVER)

# Never `--strict` with `-q`: MkDocs 1.6 then exits 0 on a site with warnings.
lint: install
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/mypy

test: install chromium language-server lint
	$(BIN)/playbook validate playbook
	$(BIN)/mkdocs build --strict --site-dir $(VENV)/site-check
	$(BIN)/python -m pytest -n auto --dist worksteal

# The README's pictures of the site, taken in Chromium.
screenshots: install chromium
	$(BIN)/python scripts/screenshots.py docs/images

clean:
	rm -rf $(VENV) site markdown-site
