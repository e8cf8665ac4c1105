# The two entry points of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/lotse
# Two workers (the CI machine has two cores); a module stays on one worker, so module-scoped
# fixtures such as the demo county are built once.
PYTEST_ARGS ?= -n 2 --dist loadfile
CHROMIUM := /usr/bin/chromium

.PHONY: demo test install chromium postgres lint test-sqlite test-postgres

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'

## Install everything, build the demo county on SQLite and serve it at http://127.0.0.1:8000/
## (the task worker runs beside the site and stops with it)
demo: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo
	DEBUG=1 $(BIN)/python manage.py load_demo_handovers
	DEBUG=1 sh -c '$(BIN)/python manage.py db_worker & worker=$$!; \
		trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
		$(BIN)/python manage.py runserver 127.0.0.1:8000'

## Install everything and run the whole suite on SQLite, then on PostgreSQL
test: install chromium postgres lint test-sqlite test-postgres

chromium:
	@test -x $(CHROMIUM) || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium)

postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in 1 2 3 4 5 6 7 8 9 10; do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
	@psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'lotse'" | grep -q 1 \
		|| createdb -h 127.0.0.1 -U postgres lotse

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test-sqlite:
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

test-postgres:
	DATABASE_URL=$(PG_URL) $(BIN)/pytest $(PYTEST_ARGS)
