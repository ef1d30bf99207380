#!/usr/bin/env bash
# The main job, from a fresh clone: generate a stateless MCP server from an example spec,
# install it, run its generated tests, and serve it at http://127.0.0.1:3000/mcp.
#   bash scripts/demo.sh [basket|database] [target-folder]
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
example="${1:-basket}"
target="${2:-demo/$example-server}"
[ -d "templates/starters/$example" ] || { echo "unknown example '$example' (try: $(ls templates/starters | tr '\n' ' '))" >&2; exit 2; }

source scripts/use-node.sh
npm ci --no-audit --no-fund --loglevel=error
tarball="$root/.cache/$(npm pack --silent --pack-destination .cache | tail -n 1)"

if [ ! -f "$target/mcp.spec.ts" ]; then
  mkdir -p "$target"
  cp -r "templates/starters/$example/." "$target/"
fi
cd "$target"
node "$root/bin/mcp-stateless.js" generate
# Until the package is on the registry, the project takes this checkout's packed CLI.
npm pkg set "devDependencies.create-mcp-stateless=file:$tarball"
npm install --no-audit --no-fund --loglevel=error
npx tsc --noEmit
npx vitest run
echo
echo "Serving $(pwd) — try it with: npx @modelcontextprotocol/inspector (Streamable HTTP, http://127.0.0.1:3000/mcp)"
exec node src/http.ts
