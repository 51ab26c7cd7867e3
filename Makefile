.DEFAULT_GOAL := help
GO ?= go

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

setup: ## install what building and testing need (Debian packages, Go modules)
	bash scripts/setup.sh

run: ## build and open the app (pass ARGS="--cuepoint-home testdata/home-linux")
	bash scripts/run.sh $(ARGS)

build: ## build bin/cuepoint-companion
	$(GO) build -o bin/cuepoint-companion ./cmd/cuepoint-companion

test: ## every check and test, as CI runs them
	bash scripts/test.sh

bench: ## benchmarks (compare runs with benchstat)
	$(GO) test -run '^$$' -bench . -benchmem ./...

lint: ## gofmt, go vet, staticcheck
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

screenshot: ## refresh docs/screenshot.png from the real window under Xvfb
	UPDATE_SCREENSHOT=1 $(GO) test -count=1 -run TestRealWindow ./cmd/cuepoint-companion

.PHONY: help setup run build test bench lint screenshot
