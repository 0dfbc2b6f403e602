# Trajectories: `make run` serves the API with its database, `make test` runs every test.
PORT ?= 5080
export PORT

.PHONY: run test demo key bench bench-quick bench-ingest bench-models codegen stop db-start db-status mq-status build clean help

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

run: ## run the service on http://127.0.0.1:$(PORT) (local PostgreSQL unless a connection string is configured)
	@scripts/run.sh

test: ## run every test project (starts the local PostgreSQL if needed)
	@scripts/test.sh

demo: ## run the service on a fresh demo database with a synthetic cohort (SPECIALISTS=3000 SEED=42)
	@scripts/demo.sh

key: ## create an API key on the local database: make key ROLE=admin|staff|analyst|integration [STATES=OR,WA] [NAME=...]
	@scripts/key.sh

bench: ## full benchmark (minutes): 10k and 100k specialists; writes docs/benchmarks.md
	@scripts/bench.sh full

bench-quick: ## quick benchmark (under 3 minutes): 2k and 5k specialists; writes bench/results/quick.md
	@scripts/bench.sh quick

bench-ingest: ## ingestion benchmark only (about 4 minutes): 10k specialists through POST /api/ingest/events; writes bench/results/ingest.md
	@scripts/bench.sh ingest

bench-models: ## Cox model cost only (about 2 minutes, no database needed): writes bench/results/models.md
	@scripts/bench.sh models

codegen: ## write Wolverine's handler code ahead of time (after changing a handler or endpoint; commit the result)
	@scripts/codegen.sh

stop: ## stop the project-local PostgreSQL and RabbitMQ
	@scripts/pg.sh stop
	@scripts/mq.sh stop

db-start: ## start the project-local PostgreSQL and print where it lives
	@scripts/pg.sh start

db-status: ## is the project-local PostgreSQL running, and where is its data
	@scripts/pg.sh status

mq-status: ## is the project-local RabbitMQ running, and at which URL
	@scripts/mq.sh status

build: ## build everything
	dotnet build Trajectories.sln --nologo

clean: ## remove build output (the database in .data/ is kept; `make stop` then delete .data/ to reset it)
	dotnet clean Trajectories.sln --nologo -v quiet
