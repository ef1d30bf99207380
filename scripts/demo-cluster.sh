#!/usr/bin/env bash
# npm run demo:cluster — sets up what the cluster demo needs (a supported Node, Debian's
# redis-server and nginx, the dependencies), then runs scripts/demo-cluster.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/use-node.sh
source scripts/use-services.sh
npm ci --no-audit --no-fund --loglevel=error
exec node scripts/demo-cluster.ts "$@"
