# Threat Review: `make run` opens the app, `make test` runs every check.
# Nothing needs installing first: both start with `deps`, which installs what is missing.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := run

# A laptop has no EC2 metadata service; never let the AWS SDK wait on one.
export AWS_EC2_METADATA_DISABLED := true
export CARGO_TERM_COLOR ?= never

APP := target/debug/threat-review
TOOLS := target/tools
TAURI_DRIVER := $(TOOLS)/bin/tauri-driver

.PHONY: run deps ui build test lint-rust test-rust test-keychain lint-ui test-ui e2e bindings package bench

deps:
	@scripts/deps.sh

ui: deps
	npm run build

# The app embeds ui/dist at compile time, so the UI is built first.
build: ui
	cargo build --bin threat-review

run: build
	@if [ -n "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ] || [ "$$(uname -s)" != Linux ]; then \
		$(APP); \
	else \
		echo "no display: running the app under xvfb-run"; xvfb-run -a $(APP); \
	fi

test: lint-rust test-rust test-keychain lint-ui test-ui e2e
	@echo "make test: every check passed"

lint-rust: ui
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings

test-rust: ui
	cargo test --workspace

# The keychain tests need a real Secret Service: gnome-keyring in a private D-Bus session.
test-keychain: ui
	tests/keychain-session.sh cargo test --workspace --test keychain -- --ignored

lint-ui: deps
	npm run format:check
	npm run lint
	npm run check

test-ui: deps
	npm run test:ui

$(TAURI_DRIVER):
	cargo install --locked --quiet --root $(TOOLS) tauri-driver

# The app and the emulator are taken as the Rust tests build them (`cargo test` links the bins
# with the dev-dependency features unified): a plain `cargo build` here would rebuild half the
# dependency tree with other features, for nothing.
e2e: ui $(TAURI_DRIVER)
	cargo test --workspace --no-run
	tests/e2e/run.sh $(APP) $(TAURI_DRIVER)

bindings:
	UPDATE_BINDINGS=1 cargo test --test bindings

package: ui
	npx tauri build --bundles deb

bench: ui
	scripts/bench.sh $(or $(PROFILE),debug)

# Fuzzing: the finding parser, the file reader (.json, .jsonl, .gz) and the CSV writer, each for
# FUZZ_SECONDS, starting from the project's fixtures. cargo-fuzz needs nightly flags;
# RUSTC_BOOTSTRAP lets the stable toolchain take them. The fuzz crate is a workspace of its own
# and builds into the root target/ folder. A crash keeps its input in fuzz/artifacts/<target>/
# and fails the run.
CARGO_FUZZ := $(TOOLS)/bin/cargo-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := parse_document read_file csv_write

define FUZZ_RUN
RUSTC_BOOTSTRAP=1 $(CARGO_FUZZ) fuzz run --target-dir $(CURDIR)/target $(1) fuzz/corpus/$(1) $(2) \
	-- -max_total_time=$(FUZZ_SECONDS) -timeout=30
endef

.PHONY: fuzz

$(CARGO_FUZZ):
	cargo install --locked --quiet --root $(TOOLS) cargo-fuzz

fuzz: ui $(CARGO_FUZZ)
	mkdir -p $(addprefix fuzz/corpus/,$(FUZZ_TARGETS))
	$(call FUZZ_RUN,parse_document,tests/fixtures/findings tests/fixtures/broken)
	$(call FUZZ_RUN,read_file,fuzz/seeds/read_file)
	$(call FUZZ_RUN,csv_write,)
