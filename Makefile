# The two commands of the README: `make run` (set up, build, serve) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages the tests use: rapper (an independent RDF parser), Chromium and
# its WebDriver (browser tests), curl (the README's curl examples), wrk (the load test),
# Virtuoso 7 (the remote-engine tests start their own, on loopback, in a tmp dir).
APT_PACKAGES := raptor2-utils chromium chromium-driver curl wrk virtuoso-opensource
# The package's own Virtuoso service listens on every interface: never left running.
VIRTUOSO_SERVICE := virtuoso-opensource-7
# A release is rebuilt when any input of it (or the code that builds it) changed.
INPUTS := $(shell find data src -type f -not -name '*.pyc' 2>/dev/null)

.PHONY: run build serve test install system-deps virtuoso-service-off lint clean

run: build
	$(BIN)/confgraph serve

build: build/current/release.json

build/current/release.json: $(VENV)/.installed $(INPUTS)
	$(BIN)/confgraph build

serve: build
	$(BIN)/confgraph serve

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
		case "$$missing" in *virtuoso-opensource*) $(MAKE) --no-print-directory virtuoso-service-off;; esac; \
	fi

virtuoso-service-off:
	@if [ -d /run/systemd/system ]; then $(SUDO) systemctl disable --now $(VIRTUOSO_SERVICE) >/dev/null 2>&1; \
	else $(SUDO) update-rc.d $(VIRTUOSO_SERVICE) disable >/dev/null 2>&1; \
	$(SUDO) /etc/init.d/$(VIRTUOSO_SERVICE) stop >/dev/null 2>&1; fi; true

lint: install
	$(BIN)/ruff check src tests

test: install system-deps lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV) build .pytest_cache
