#!/usr/bin/env bash
# Sets up and runs every test on a fresh machine: a supported Node (installed from the npm
# registry when the machine's is too old), the locked dependencies, the type check, then
# vitest (unit tests, and end-to-end tests that install and serve generated projects, with a
# real redis-server and nginx installed from Debian when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/use-node.sh
source scripts/use-services.sh
echo "node $(node --version), npm $(npm --version)"
npm ci --no-audit --no-fund --loglevel=error
npm run --silent typecheck
npx vitest run
