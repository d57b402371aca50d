# twinforge make targets. `make corpus` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
COMPILED := $(wildcard twinforge/*/*.pxd twinforge/*/*.pyx)
BUILT := $(VENV)/.compiled
RECIPE ?= recipes/quick.toml
CORPUS ?= outputs/quick
WORKERS ?= 2

.PHONY: install browser corpus genes gdt120k splits dedup coverage card examples bench cluster-demo test lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The compiled modules (setup.py; twinforge/compiled.py; docs/execution.md): `pip install -e` builds them in
# place; after an edit of a compiled module, its .pxd or a .pyx, this rebuilds them in place (a package refuses
# to import a stale one). Any .py may be compiled (compiled.py's COMPILED_AS_IS lists those without a .pxd), so an
# edit of any one runs the check; nothing is compiled twice: compiled.py first says whether any extension is stale.
$(BUILT): $(STAMP) twinforge/compiled.py $(COMPILED) $(wildcard twinforge/*/*.py)
	$(BIN)/python twinforge/compiled.py || $(BIN)/python setup.py --quiet build_ext --inplace
	touch $(BUILT)

install: $(BUILT)

# Debian's Chromium for the review site's browser test (Playwright drives it; it downloads no browser).
browser:
	test -x /usr/bin/chromium || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)

corpus: install
	$(BIN)/twinforge generate $(RECIPE) --out $(CORPUS) --workers $(WORKERS)
	$(BIN)/twinforge dedup $(CORPUS)
	$(BIN)/twinforge split $(CORPUS)
	$(BIN)/twinforge coverage $(CORPUS)
	$(BIN)/twinforge card $(CORPUS)

genes: install
	$(BIN)/twinforge generate recipes/genes_quick.toml --out outputs/genes_quick --workers $(WORKERS)
	$(BIN)/twinforge dedup outputs/genes_quick
	$(BIN)/twinforge split outputs/genes_quick
	$(BIN)/twinforge coverage outputs/genes_quick
	$(BIN)/twinforge card outputs/genes_quick

# dedup checks every shard's SHA-256 against the manifest; the three steps after it read the same files
# seconds later in this one recipe, so they check the shard set but not the 5.9 GB of hashes again.
gdt120k: install
	$(BIN)/twinforge generate recipes/gdt120k.toml --workers $(WORKERS)
	$(BIN)/twinforge dedup outputs/gdt120k
	$(BIN)/twinforge split outputs/gdt120k --no-verify
	$(BIN)/twinforge coverage outputs/gdt120k --min-count 5 --no-verify
	$(BIN)/twinforge card outputs/gdt120k --no-verify

dedup: install
	$(BIN)/twinforge dedup $(CORPUS)

splits: install
	$(BIN)/twinforge split $(CORPUS)

coverage: install
	$(BIN)/twinforge coverage $(CORPUS)

card: install
	$(BIN)/twinforge card $(CORPUS)

examples: install
	$(BIN)/python benchmarks/examples.py --out examples

bench: install
	$(BIN)/python benchmarks/run.py --recipe recipes/gdt120k.toml --e2e-samples 8000 --shard-size 250 --out benchmarks/results.md

cluster-demo: install
	BIN=$(BIN) bash benchmarks/cluster_demo.sh

test: install browser
	$(BIN)/python -m pytest -q -n 2

lint: install
	$(BIN)/ruff check twinforge tests benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build twinforge/*/*.so twinforge/*/*.so.sha256
