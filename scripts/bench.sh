#!/usr/bin/env bash
# npm run bench [-- --quick]: a supported Node, Debian's redis-server, the dependencies, then bench/run.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/use-node.sh
source scripts/use-services.sh
npm ci --no-audit --no-fund --loglevel=error
exec node bench/run.ts "$@"
