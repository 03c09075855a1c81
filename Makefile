# Two commands matter: `make run` (set up, then start the app) and `make test` (set up, then run
# every test). Both create a local virtualenv in .venv; nothing is installed system-wide except
# the Debian packages the tests need (`make system-deps`, run by CI as root).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup system-deps lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# CPU PyTorch first, so sentence-transformers never pulls a multi-GB CUDA build.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test,voice]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/mockint

test: system-deps $(STAMP)
	$(BIN)/python -m pytest -q

# Debian packages used by tests: speech synthesis for real audio, PortAudio for the microphone
# code path, headless Chromium for the HTML report, fonts so Chinese renders.
# Skipped when already present; uses sudo when not root.
SYSTEM_PACKAGES := espeak-ng sox libportaudio2 chromium fonts-noto-cjk tmux librsvg2-bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
system-deps:
	@if ! dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
			$(SYSTEM_PACKAGES) >/dev/null; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check mockint tests benchmarks
	$(BIN)/ruff format --check mockint tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/quality.py
	$(BIN)/python benchmarks/speed.py
	$(BIN)/python benchmarks/voice.py
	$(BIN)/python benchmarks/report.py

clean:
	rm -rf $(VENV)
