# talentmatch: every target is idempotent and quick when nothing changed.
VENV   := .venv
PY     := $(VENV)/bin/python
TM     := $(VENV)/bin/talentmatch
STAMP  := $(VENV)/.installed
PORT   ?= 5000
PYTHON ?= python3

.PHONY: install run test lint bench clean

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
	$(TM) serve --host 127.0.0.1 --port $(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check matcher graph api fixtures tests bench
	$(VENV)/bin/mypy

bench: install
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) instance .pytest_cache
