# Two commands do all the set-up: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test bench lint messages lock clean

$(STAMP): requirements.lock pyproject.toml
	@# PyICU builds against ICU from source: it needs ICU's headers, pkg-config and a C++ compiler.
	@scripts/ensure-system-packages.sh python3-venv python3-dev g++ pkg-config libicu-dev
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

run: $(STAMP)
	@scripts/ensure-system-packages.sh apertium apertium-eng-spa apertium-es-pt
	@# WeasyPrint's PDFs (the distribution report) lay text out with Pango; the fonts cover every script.
	@scripts/ensure-system-packages.sh libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
		fonts-noto-core fonts-noto-cjk fonts-thai-tlwg
	$(BIN)/wireroom migrate --noinput
	$(BIN)/wireroom demo --if-empty
	$(BIN)/wireroom serve

test: $(STAMP)
	scripts/test.sh

# The million-recipient audience of the fan-out benchmark (docs/benchmarks.md).
MILLION := --contacts 930000 --outlets 70000

bench: $(STAMP)
	@# Postfix brings smtp-sink and smtp-source; "No configuration" keeps it from becoming this machine's MTA.
	@echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
	@scripts/ensure-system-packages.sh postfix apertium apertium-eng-spa apertium-es-pt pushpin
	$(BIN)/wireroom bench fanout --workers 2 --json bench/fanout.json
	$(BIN)/wireroom bench fanout --workers 2 --dkim --json bench/fanout-dkim.json
	$(BIN)/wireroom bench fanout --workers 1 --json bench/fanout-1-worker.json
	$(BIN)/wireroom bench fanout --workers 1 $(MILLION) --lead 60 --json bench/fanout-sqlite-1m-1-worker.json
	$(BIN)/wireroom bench fanout --workers 2 $(MILLION) --lead 60 --json bench/fanout-sqlite-1m.json
	$(BIN)/wireroom bench fanout --workers 4 $(MILLION) --lead 60 --json bench/fanout-sqlite-1m-4-workers.json
	@# On PostgreSQL: a database of the benchmark's own on this server, dropped afterwards (docs/benchmarks.md).
	export WIREROOM_BENCH_DATABASE_URL=$${WIREROOM_BENCH_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}; \
	$(BIN)/wireroom bench fanout --database postgres --workers 1 --lead 30 --json bench/fanout-postgres-1-worker.json && \
	$(BIN)/wireroom bench fanout --database postgres --workers 2 --lead 30 --json bench/fanout-postgres.json && \
	$(BIN)/wireroom bench fanout --database postgres --workers 4 --lead 30 --json bench/fanout-postgres-4-workers.json && \
	$(BIN)/wireroom bench fanout --database postgres --workers 1 $(MILLION) --lead 240 \
		--json bench/fanout-postgres-1m-1-worker.json && \
	$(BIN)/wireroom bench fanout --database postgres --workers 2 $(MILLION) --lead 240 \
		--json bench/fanout-postgres-1m.json && \
	$(BIN)/wireroom bench fanout --database postgres --workers 4 $(MILLION) --lead 240 \
		--json bench/fanout-postgres-1m-4-workers.json
	$(BIN)/wireroom bench formats --json bench/formats.json
	$(BIN)/wireroom bench pages --json bench/pages.json
	$(BIN)/wireroom bench import --json bench/import.json
	$(BIN)/wireroom bench translate --json bench/translate.json
	$(BIN)/wireroom bench search --json bench/search.json
	WIREROOM_TEST_DATABASE_URL=$${WIREROOM_TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres} \
		$(BIN)/wireroom bench search --postgres --json bench/search-postgres.json
	$(BIN)/wireroom bench report --json bench/report.json
	$(BIN)/wireroom bench stream --clients 10000 --json bench/stream.json
	$(BIN)/wireroom bench stream --clients 10000 --via pushpin --json bench/stream-pushpin.json
	$(BIN)/wireroom bench console --json bench/console.json

lint: $(STAMP)
	$(BIN)/ruff check wireroom tests scripts
	$(BIN)/mypy wireroom tests scripts
	$(BIN)/lint-imports --no-cache

messages: $(STAMP)
	$(BIN)/python scripts/compile_messages.py

lock: $(STAMP)
	(echo "# Pinned dependencies of Wireroom and its test tools. Regenerate with: make lock"; \
	 $(BIN)/pip freeze --exclude-editable | grep -v '^-e') > requirements.lock

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .import_linter_cache .grimp_cache
