# Sourced by scripts/test.sh and scripts/demo-cluster.sh: Debian's redis-server and nginx,
# which the redis-store and cluster tests run for real, installed when missing.
# Debian puts nginx in /usr/sbin, which a non-login PATH may lack.
case ":$PATH:" in *:/usr/sbin:*) ;; *) export PATH="$PATH:/usr/sbin:/sbin" ;; esac
_missing=()
command -v redis-server >/dev/null 2>&1 || _missing+=(redis-server)
command -v nginx >/dev/null 2>&1 || _missing+=(nginx-light)
if [ ${#_missing[@]} -gt 0 ]; then
  echo "installing ${_missing[*]} from Debian" >&2
  apt-get install -y -q "${_missing[@]}" >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q "${_missing[@]}" >/dev/null; }
fi
unset _missing
