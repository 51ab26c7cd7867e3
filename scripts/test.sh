#!/usr/bin/env bash
# Runs every check and test on a fresh machine: set-up (Debian packages, Go modules), vet,
# staticcheck, the race detector on the non-UI packages, the headless UI tests, and the
# real-window test under Xvfb (the test starts its own Xvfb).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="/usr/local/go/bin:$PATH"
export LANG="${LANG:-en_US.UTF-8}"

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change: $unformatted" >&2
  exit 1
fi
echo "== go vet"
go vet ./...
echo "== staticcheck"
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

nonui=$(go list ./... | grep -v -e '/ui$' -e '/cmd/')
echo "== go test -race (non-UI packages)"
go test -race -count=1 $nonui
echo "== go test (UI and the command, incl. the real window under Xvfb)"
go test -count=1 ./ui/...
go test -count=1 -skip TestRealWindow ./cmd/...
echo "== the real window under Xvfb"
go test -count=1 -v -run TestRealWindow ./cmd/cuepoint-companion | grep -v -e "^=== RUN" -e "Fyne error" -e "Cause:" -e "  At:" -e "^XGB:"
