#!/usr/bin/env bash
# The main job, from a fresh clone: create a stateless MCP server project exactly as
# `npm create mcp-stateless` will (here from this checkout's packed tarball), run its
# generated tests, and serve it at http://127.0.0.1:3000/mcp until Ctrl-C.
#   bash scripts/demo.sh [basket|database|blank] [folder]
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
template="${1:-basket}"
target="${2:-demo/$template-server}"
[ -d "templates/starters/$template" ] || { echo "unknown template '$template' (try: $(ls templates/starters | tr '\n' ' '))" >&2; exit 2; }

source scripts/use-node.sh
npm ci --no-audit --no-fund --loglevel=error
mkdir -p .cache
tarball="$root/.cache/$(npm pack --silent --pack-destination .cache | tail -n 1)"

mkdir -p "$(dirname "$target")"
if [ ! -f "$target/mcp.spec.ts" ]; then
  # Started from the tarball, create makes the project depend on this build (it is not published yet).
  npm exec --yes --package "$tarball" -- \
    create-mcp-stateless "$target" --template "$template" --no-git --yes
fi
cd "$target"
npm test
echo
echo "Serving $(pwd) at http://127.0.0.1:3000/mcp (Ctrl-C to stop); inspect it with: npm run inspect"
exec npm start
