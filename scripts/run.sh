#!/usr/bin/env bash
# Sets up this machine if needed and opens CuePoint Companion. Extra arguments go to the
# app, e.g. scripts/run.sh --cuepoint-home testdata/home-linux
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="/usr/local/go/bin:$PATH"
mkdir -p bin
go build -o bin/cuepoint-companion ./cmd/cuepoint-companion
exec ./bin/cuepoint-companion "$@"
