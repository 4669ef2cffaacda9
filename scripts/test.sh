#!/usr/bin/env bash
# The whole suite, as CI runs it: lint, types, unit + integration tests (vitest), browser flows (Playwright).
set -euo pipefail
cd "$(dirname "$0")/.."
export SST_TELEMETRY_DISABLED=1

echo "== lint (biome)"
npx biome check .
echo "== typecheck (tsc)"
npx tsc --noEmit
echo "== unit and integration tests (vitest)"
npx vitest run
echo "== browser flows (Playwright, Debian Chromium)"
# CI runs on a clean clone as root without a browser: install Debian's Chromium (never a Playwright download).
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update && apt-get install -y chromium
fi
npx playwright test
