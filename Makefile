# talentmatch: every target is idempotent and quick when nothing changed.
VENV   := .venv
PY     := $(VENV)/bin/python
TM     := $(VENV)/bin/talentmatch
STAMP  := $(VENV)/.installed
PORT   ?= 5000
PYTHON ?= python3

.PHONY: install run test lint bench bench-pg bench-load clean

install: $(STAMP)

$(STAMP): setup.cfg pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: install
	$(TM) db upgrade
	$(TM) skills reresolve > /dev/null
	@$(TM) load-demo --ui http://127.0.0.1:$(PORT)/ui/ | tee $(VENV)/demo.out
	@KEY=$$(tail -n 1 $(VENV)/demo.out); \
	echo; echo "Try it:"; \
	echo "  in a browser: http://127.0.0.1:$(PORT)/ui/  (sign in as recruiter@demo.example, password talentmatch-demo)"; \
	echo "  curl -H 'Authorization: Bearer $$KEY' 'http://127.0.0.1:$(PORT)/api/v1/candidates?limit=5'"; echo
	@# Logs as text for a person at a terminal; production keeps the JSON default.
	TALENTMATCH_LOG_FORMAT=$${TALENTMATCH_LOG_FORMAT:-text} $(TM) serve --host 127.0.0.1 --port $(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check matcher graph api fixtures tests bench
	$(VENV)/bin/mypy

bench: install
	$(PY) -m bench.run

# PostgreSQL at scale: bulk load of generated candidates and the index built from it
# (BENCH_PG_URL, default the local server's database talentmatch_bench; BENCH_PG_SIZE=1000000).
bench-pg: install
	$(PY) -m bench.postgres

# Mixed load (80% rankings, 15% reads, 5% writes) on 2 gunicorn workers over PostgreSQL.
bench-load: install
	$(PY) -m bench.load

clean:
	rm -rf $(VENV) instance .pytest_cache
