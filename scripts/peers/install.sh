#!/usr/bin/env bash
# Installs every test peer Regcred's tests need. Idempotent; a warm run does no
# apt, no pip and no go build, and takes a second or two.
#
#   scripts/peers/install.sh                 # everything
#   REGCRED_INSTALL_STEPS="etcd kube" scripts/peers/install.sh   # a subset
#
# Steps: apt (chromium, postgresql, openssl, curl, python3-venv when missing),
# registry (Debian docker-registry, extracted, never installed as a service),
# moto (venv with moto[server]), schemathesis (venv, the API fuzzer of
# scripts/fuzz-api.sh), etcd (built from go.etcd.io/etcd/server/v3),
# kube (kube-apiserver built from k8s.io/kubernetes), helm (built from
# helm.sh/helm/v4, for the chart tests), image (Debian's buildah and umoci, which
# scripts/build-image.sh and scripts/image-smoke.sh use; apt, no Docker engine).
#
# Everything downloaded or built lives under ${REGCRED_CACHE:-$HOME/.cache/regcred}:
#   kube/$KUBE_VERSION/kube-apiserver   etcd/$ETCD_VERSION/etcd
#   docker-registry/root/usr/bin/docker-registry   moto/$MOTO_VERSION/venv/bin/moto_server
#   schemathesis/$SCHEMATHESIS_VERSION/venv/bin/schemathesis   helm/$HELM_VERSION/helm
#   go/ (GOPATH, module and build caches for the Go builds)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STEPS=${REGCRED_INSTALL_STEPS:-"apt registry moto schemathesis etcd kube helm image"}
mkdir -p "$REGCRED_CACHE"
SUMMARY=()

# One install of a step at a time per cache (parallel test runs may call this).
step_lock() {
  exec 9>"$REGCRED_CACHE/.lock-$1"
  if ! flock -n 9; then
    log "another install.sh is doing step $1 ($REGCRED_CACHE/.lock-$1); waiting"
    flock 9
  fi
}

record() { # record STEP START_MS WHAT
  local ms=$(($(now_ms) - $2))
  SUMMARY+=("$(printf '%-12s %8s  %s' "$1" "$(fmt_ms "$ms")" "$3")")
  printf '%s %s %s %s\n' "$(date -Is)" "$1" "$ms" "$3" >>"$REGCRED_CACHE/install-times.log"
}

apt_install() { # apt_install pkg... ; runs apt-get update only if the install fails without it
  local -a cmd=(apt-get install -y --no-install-recommends "$@")
  local created_policy=0
  # Keep package scripts from starting daemons (postgresql would start a cluster).
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    created_policy=1
  fi
  local rc=0
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive "${cmd[@]}" || {
    log "install failed; running apt-get update and retrying"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${cmd[@]}"
  } || rc=$?
  ((created_policy)) && rm -f /usr/sbin/policy-rc.d
  return $rc
}

step_apt() {
  local t0 missing=()
  t0=$(now_ms)
  [[ -x $CHROMIUM_PATH ]] || missing+=(chromium)
  if ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null ||
    ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null ||
    ! command -v psql >/dev/null || ! id postgres >/dev/null 2>&1; then
    missing+=(postgresql postgresql-client)
  fi
  command -v openssl >/dev/null || missing+=(openssl)
  command -v curl >/dev/null || missing+=(curl ca-certificates)
  command -v runuser >/dev/null || missing+=(util-linux)
  command -v flock >/dev/null || missing+=(util-linux)
  # The venv module needs ensurepip; Debian's python3 splits it into python3-venv.
  if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    missing+=(python3-venv)
  fi
  if ((${#missing[@]})); then
    apt_install "${missing[@]}"
    record apt "$t0" "installed: ${missing[*]}"
  else
    record apt "$t0" "nothing to do (chromium, postgresql, openssl, curl, python3 venv present)"
  fi
}

step_registry() {
  local t0
  t0=$(now_ms)
  if [[ -x $REGISTRY_BIN ]]; then
    record registry "$t0" "cached $(cat "$REGCRED_CACHE/docker-registry/VERSION" 2>/dev/null) $REGISTRY_BIN"
    return
  fi
  local dl=$REGCRED_CACHE/docker-registry/download
  rm -rf "$dl" "$REGISTRY_ROOT.tmp"
  mkdir -p "$dl"
  # apt fetches as user _apt when it can write the target folder (else it warns)
  id _apt >/dev/null 2>&1 && chown _apt "$dl"
  (cd "$dl" && { apt-get download docker-registry || { apt-get update -qq && apt-get download docker-registry; }; })
  local deb
  deb=$(ls "$dl"/docker-registry_*.deb)
  dpkg-deb -f "$deb" Version >"$REGCRED_CACHE/docker-registry/VERSION"
  dpkg -x "$deb" "$REGISTRY_ROOT.tmp"
  rm -rf "$REGISTRY_ROOT"
  mv "$REGISTRY_ROOT.tmp" "$REGISTRY_ROOT"
  rm -rf "$dl"
  [[ -x $REGISTRY_BIN ]] || die "docker-registry binary not found at $REGISTRY_BIN after dpkg -x"
  record registry "$t0" "extracted $(cat "$REGCRED_CACHE/docker-registry/VERSION") -> $REGISTRY_BIN"
}

step_moto() {
  local t0 stamp=$MOTO_VENV/.regcred-installed
  t0=$(now_ms)
  if [[ -x $MOTO_SERVER_BIN && -f $stamp ]]; then
    record moto "$t0" "cached moto $MOTO_VERSION $MOTO_SERVER_BIN"
    return
  fi
  rm -rf "$MOTO_VENV"
  mkdir -p "$(dirname "$MOTO_VENV")"
  python3 -m venv "$MOTO_VENV"
  "$MOTO_VENV/bin/pip" install -q --disable-pip-version-check "moto[server]==$MOTO_VERSION"
  "$MOTO_VENV/bin/python" -c 'import moto, flask; print(moto.__version__)' >"$stamp"
  record moto "$t0" "venv with moto[server]==$MOTO_VERSION -> $MOTO_SERVER_BIN"
}

step_schemathesis() {
  local t0 stamp=$SCHEMATHESIS_VENV/.regcred-installed
  t0=$(now_ms)
  if [[ -x $SCHEMATHESIS_BIN && -f $stamp ]]; then
    record schemathesis "$t0" "cached schemathesis $SCHEMATHESIS_VERSION $SCHEMATHESIS_BIN"
    return
  fi
  rm -rf "$SCHEMATHESIS_VENV"
  mkdir -p "$(dirname "$SCHEMATHESIS_VENV")"
  python3 -m venv "$SCHEMATHESIS_VENV"
  "$SCHEMATHESIS_VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  "$SCHEMATHESIS_BIN" --version >"$stamp"
  record schemathesis "$t0" "venv with schemathesis==$SCHEMATHESIS_VERSION -> $SCHEMATHESIS_BIN"
}

go_env() {
  export GOPATH=$REGCRED_CACHE/go
  export GOMODCACHE=$REGCRED_CACHE/go/mod
  export GOCACHE=$REGCRED_CACHE/go/build-cache
  export GOFLAGS="-mod=mod -buildvcs=false"
  export GO111MODULE=on
  export CGO_ENABLED=0
  export GOTOOLCHAIN=${GOTOOLCHAIN:-local}
}

# mod_gomod MODULE@VERSION -> path of that module's go.mod file in the module cache
mod_gomod() {
  (cd "$REGCRED_CACHE/go" && go mod download -json "$1") |
    python3 -c 'import json,sys; d=json.load(sys.stdin); e=d.get("Error"); sys.exit("go mod download: "+e) if e else print(d["GoMod"])'
}

step_etcd() {
  local t0
  t0=$(now_ms)
  if [[ -x $ETCD_BIN ]]; then
    record etcd "$t0" "cached $ETCD_BIN"
    return
  fi
  command -v go >/dev/null || die "go is required to build etcd"
  go_env
  local dir=$REGCRED_CACHE/etcd/$ETCD_VERSION/build
  rm -rf "$dir"
  mkdir -p "$dir"
  cat >"$dir/go.mod" <<EOF
module regcred.local/peers/etcd-build

go 1.24.0

require go.etcd.io/etcd/server/v3 $ETCD_VERSION
EOF
  log "building etcd $ETCD_VERSION (go.etcd.io/etcd/server/v3) ..."
  (cd "$dir" && go build -trimpath \
    -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=regcred-$ETCD_VERSION" \
    -o "$ETCD_BIN.tmp" go.etcd.io/etcd/server/v3)
  mv "$ETCD_BIN.tmp" "$ETCD_BIN"
  "$ETCD_BIN" --version | head -1 >&2
  record etcd "$t0" "built $ETCD_VERSION -> $ETCD_BIN"
}

step_kube() {
  local t0
  t0=$(now_ms)
  if [[ -x $KUBE_APISERVER_BIN ]]; then
    record kube "$t0" "cached $KUBE_APISERVER_BIN"
    return
  fi
  command -v go >/dev/null || die "go is required to build kube-apiserver"
  go_env
  local ver=${KUBE_VERSION#v} major minor patch
  IFS=. read -r major minor patch <<<"$ver"
  local staging_ver=v0.$minor.$patch
  local dir=$REGCRED_CACHE/kube/$KUBE_VERSION/build
  rm -rf "$dir"
  mkdir -p "$dir" "$REGCRED_CACHE/go"
  local gomod
  gomod=$(mod_gomod "k8s.io/kubernetes@$KUBE_VERSION")
  # Every staging module k8s.io/kubernetes replaces with ./staging/src/... is
  # published on its own as v0.<minor>.<patch>; replace each with that.
  local -a staging
  mapfile -t staging < <(awk '$2 == "=>" && $3 ~ /^\.\/staging\// { print $1 }' "$gomod" | sort -u)
  ((${#staging[@]} > 10)) || die "found only ${#staging[@]} staging modules in $gomod"
  {
    printf 'module regcred.local/peers/kube-apiserver-build\n\ngo 1.24.0\n\n'
    printf 'require k8s.io/kubernetes %s\n\nreplace (\n' "$KUBE_VERSION"
    local m
    for m in "${staging[@]}"; do printf '\t%s => %s %s\n' "$m" "$m" "$staging_ver"; done
    printf ')\n'
  } >"$dir/go.mod"
  log "building kube-apiserver $KUBE_VERSION (${#staging[@]} staging modules at $staging_ver); takes many minutes on 2 cores ..."
  local pkg=k8s.io/component-base/version
  local ldflags="-s -w -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
  ldflags+=" -X $pkg.gitCommit=0000000000000000000000000000000000000000 -X $pkg.gitTreeState=clean"
  ldflags+=" -X $pkg.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  (cd "$dir" && go build -trimpath -ldflags "$ldflags" -o "$KUBE_APISERVER_BIN.tmp" k8s.io/kubernetes/cmd/kube-apiserver)
  mv "$KUBE_APISERVER_BIN.tmp" "$KUBE_APISERVER_BIN"
  "$KUBE_APISERVER_BIN" --version >&2
  record kube "$t0" "built $KUBE_VERSION -> $KUBE_APISERVER_BIN"
}

step_helm() {
  local t0
  t0=$(now_ms)
  if [[ -x $HELM_BIN ]]; then
    record helm "$t0" "cached $HELM_BIN"
    return
  fi
  command -v go >/dev/null || die "go is required to build helm"
  go_env
  local dir=$REGCRED_CACHE/helm/$HELM_VERSION/build
  rm -rf "$dir"
  mkdir -p "$dir"
  printf 'module regcred.local/peers/helm-build\n\ngo 1.24.0\n' >"$dir/go.mod"
  log "building helm $HELM_VERSION (helm.sh/helm/v4/cmd/helm); takes a few minutes on 2 cores ..."
  local pkg=helm.sh/helm/v4/internal/version
  (cd "$dir" && go get -tool "helm.sh/helm/v4/cmd/helm@$HELM_VERSION" &&
    go build -trimpath -ldflags "-s -w -X $pkg.version=$HELM_VERSION" -o "$HELM_BIN.tmp" helm.sh/helm/v4/cmd/helm)
  mv "$HELM_BIN.tmp" "$HELM_BIN"
  "$HELM_BIN" version --short >&2
  record helm "$t0" "built $HELM_VERSION -> $HELM_BIN"
}

step_image() {
  local t0 missing=()
  t0=$(now_ms)
  command -v buildah >/dev/null || missing+=(buildah)
  command -v umoci >/dev/null || missing+=(umoci)
  if ((${#missing[@]})); then
    apt_install "${missing[@]}"
    record image "$t0" "installed: ${missing[*]} ($(buildah --version), umoci $(umoci --version | awk '{print $3}'))"
  else
    record image "$t0" "nothing to do (buildah, umoci present)"
  fi
}

T_ALL=$(now_ms)
for s in $STEPS; do
  case $s in
    apt | registry | moto | schemathesis | etcd | kube | helm | image)
      step_lock "$s"
      "step_$s"
      exec 9>&-
      ;;
    *) die "unknown step '$s' (apt registry moto schemathesis etcd kube helm image)" ;;
  esac
done

{
  echo "== scripts/peers/install.sh summary (cache: $REGCRED_CACHE) =="
  printf '%s\n' "${SUMMARY[@]}"
  printf "%-12s %8s\n" total "$(fmt_ms $(($(now_ms) - T_ALL)))"
} >&2
