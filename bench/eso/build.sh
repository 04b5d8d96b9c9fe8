#!/usr/bin/env bash
# Builds External Secrets Operator from its Go module (the module proxy serves it) into
# ${REGCRED_CACHE:-~/.cache/regcred}/eso/<version>/. Idempotent: prints the binary's path and
# exits at once when it is already built. Usage: bench/eso/build.sh  (ESO_VERSION overrides v0.16.2)
set -euo pipefail

ESO_VERSION=${ESO_VERSION:-v0.16.2}
REGCRED_CACHE=${REGCRED_CACHE:-$HOME/.cache/regcred}
dir=$REGCRED_CACHE/eso/$ESO_VERSION
bin=$dir/external-secrets
crds=$dir/crds-bundle.yaml
log() { printf '[eso-build %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

if [[ -x $bin && -s $crds ]]; then
  echo "$bin"
  exit 0
fi
command -v go >/dev/null || { log "go is required"; exit 1; }

# The same Go caches as scripts/peers/install.sh.
export GOPATH=$REGCRED_CACHE/go GOMODCACHE=$REGCRED_CACHE/go/mod GOCACHE=$REGCRED_CACHE/go/build-cache
export GOFLAGS="-mod=mod -buildvcs=false" GOTOOLCHAIN=local
mkdir -p "$dir" "$GOPATH"

moddir=$(cd "$GOPATH" && go mod download -json "github.com/external-secrets/external-secrets@$ESO_VERSION" |
  python3 -c 'import json,sys; d=json.load(sys.stdin); e=d.get("Error"); sys.exit("go mod download: "+e) if e else print(d["Dir"])')

# The module's go.mod carries a `replace` directive, which only applies when the module is the main
# module: build inside a writable copy of the module directory.
src=$dir/src
rm -rf "$src"
cp -r "$moddir" "$src"
chmod -R u+w "$src"
log "building external-secrets $ESO_VERSION from $moddir (about 5 minutes on 2 cores) ..."
(cd "$src" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$bin.tmp" .)
cp "$src/deploy/crds/bundle.yaml" "$crds"
mv "$bin.tmp" "$bin"
rm -rf "$src"
log "built $bin"
echo "$bin"
