#!/usr/bin/env bash
# Builds the container image regcred:<package.json version> from ./Containerfile with Debian's buildah (no Docker
# engine), and writes it as an OCI archive to dist/image/regcred-<version>.oci.tar (for scripts/image-smoke.sh,
# `skopeo copy oci-archive:… docker://…` or `podman load`).
#
#   scripts/build-image.sh
#
# Reuses the repo's `npm run build` output (.next/standalone) when no source is newer than it, and the compiled
# controller (scripts/build-controller.mjs rebuilds it only when its inputs changed). Cached under
# ${REGCRED_CACHE:-~/.cache/regcred}/image: the Node + libraries root filesystem (keyed by the Node binary and the
# libraries' contents), the module trace (keyed by package-lock.json), and buildah's storage with its layer cache.
# Env: REGCRED_BUILDAH_DRIVER (overlay; vfs where overlay cannot mount).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CACHE=${REGCRED_CACHE:-$HOME/.cache/regcred}/image
VERSION=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' package.json)
[[ -n $VERSION ]] || { echo "build-image: no version in package.json" >&2; exit 1; }
IMAGE=regcred:$VERSION
ARCHIVE=dist/image/regcred-$VERSION.oci.tar
BUILDAH=(buildah --root "$CACHE/storage" --runroot "$CACHE/runroot" --storage-driver "${REGCRED_BUILDAH_DRIVER:-overlay}")

now_ms() { date +%s%3N; }
T0=$(now_ms)
phase() { printf '[build-image %4ss] %s\n' "$((($(now_ms) - T0) / 1000))" "$*" >&2; }
die() {
  printf 'build-image: ERROR: %s\n' "$*" >&2
  exit 1
}

mkdir -p "$CACHE"
exec 8>"$CACHE/.lock"
flock 8

phase "tools (buildah, umoci) and npm dependencies"
REGCRED_INSTALL_STEPS=image scripts/peers/install.sh 2>/dev/null || die "installing buildah and umoci failed: run REGCRED_INSTALL_STEPS=image scripts/peers/install.sh"
scripts/ensure-deps.sh
NODE=$(readlink -f node_modules/.bin/node)

# The Next.js build is current when it has standalone output and no source file is newer than it.
next_build_current() {
  [[ -f .next/standalone/server.js && -f .next/BUILD_ID ]] || return 1
  local newer
  newer=$(find app components lib db public next.config.js instrumentation.ts proxy.ts package-lock.json tsconfig.json \
    -newer .next/BUILD_ID -type f -print -quit 2>/dev/null)
  [[ -z $newer ]]
}
if next_build_current; then
  phase "reusing the Next.js build in .next ($(cat .next/BUILD_ID))"
else
  phase "npm run build (the Next.js build is missing, has no standalone output, or a source is newer)"
  npm run build
fi
phase "compiled controller (dist/controller)"
"$NODE" scripts/build-controller.mjs

# Node, its shared libraries and the few files of an operating system it reads; built once per key.
build_runtime_root() {
  local libs key dir
  mapfile -t libs < <(ldd "$NODE" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u)
  ((${#libs[@]} >= 3)) || die "ldd found only ${#libs[@]} libraries for $NODE"
  [[ -f /etc/ssl/certs/ca-certificates.crt ]] || die "/etc/ssl/certs/ca-certificates.crt is missing (apt-get install ca-certificates)"
  key=$({
    echo "recipe 2 $("$NODE" --version)"
    sha256sum "$NODE" /etc/ssl/certs/ca-certificates.crt
    readlink -f "${libs[@]}" | xargs sha256sum
    sha256sum deploy/image/base/etc/*
    printf '%s\n' "${libs[@]}"
  } | sha256sum | cut -c1-16)
  dir=$CACHE/runtime/$("$NODE" --version)-$key
  if [[ ! -d $dir/rootfs ]]; then
    phase "assembling the Node runtime root filesystem ($dir)"
    rm -rf "$dir.tmp" && mkdir -p "$dir.tmp/rootfs"
    local r=$dir.tmp/rootfs lib
    mkdir -p "$r/usr/local/bin" "$r/etc/ssl/certs" "$r/proc" "$r/dev" "$r/sys" "$r/app"
    install -d -m 1777 "$r/tmp"
    if command -v strip >/dev/null; then
      strip --strip-all -o "$r/usr/local/bin/node" "$NODE" # drops 18 MB of debug information and symbols
    else
      cp "$NODE" "$r/usr/local/bin/node"
    fi
    chmod 755 "$r/usr/local/bin/node"
    for lib in "${libs[@]}"; do
      mkdir -p "$r$(dirname "$lib")"
      cp -L "$lib" "$r$lib"
    done
    cp deploy/image/base/etc/* "$r/etc/"
    chmod 644 "$r"/etc/{passwd,group,nsswitch.conf}
    cp /etc/ssl/certs/ca-certificates.crt "$r/etc/ssl/certs/"
    printf '%s\n' "${libs[@]}" >"$dir.tmp/libraries"
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
    # Keep the current key and the one before it.
    find "$CACHE/runtime" -mindepth 1 -maxdepth 1 -type d ! -path "$dir" -printf '%T@ %p\n' | sort -rn | tail -n +2 |
      cut -d' ' -f2- | xargs -r rm -rf
  else
    phase "Node runtime root filesystem cached ($dir)"
  fi
  RUNTIME_ROOT=$dir/rootfs
}
build_runtime_root

phase "assembling the build context ($CACHE/context)"
CONTEXT=$CACHE/context
rm -rf "$CONTEXT"
mkdir -p "$CONTEXT"
cp -al "$RUNTIME_ROOT" "$CONTEXT/base" 2>/dev/null || cp -a "$RUNTIME_ROOT" "$CONTEXT/base"
install -d -m 700 "$CONTEXT/owned/data" # copied with its mode: /data is 0700, owned by 10001
"$NODE" deploy/image/assemble-app.mjs "$CONTEXT" "$CACHE/trace"

phase "buildah bud -t $IMAGE"
"${BUILDAH[@]}" bud --layers --quiet --build-arg "VERSION=$VERSION" -f Containerfile -t "$IMAGE" "$CONTEXT" >/dev/null
# Earlier builds' images that lost their tag; the layer cache of the current one stays. The context is mostly hard
# links into .next and node_modules: removed, so it keeps no replaced build alive.
"${BUILDAH[@]}" rmi --prune >/dev/null 2>&1 || true
rm -rf "$CONTEXT"

IMAGE_ID=$("${BUILDAH[@]}" images --noheading --no-trunc --format '{{.ID}}' "$IMAGE")
if [[ -f $ARCHIVE && $(cat "$ARCHIVE.id" 2>/dev/null) == "$IMAGE_ID" ]]; then
  phase "$ARCHIVE holds this image already"
else
  phase "buildah push oci-archive:$ARCHIVE"
  mkdir -p "$(dirname "$ARCHIVE")"
  rm -f "$ARCHIVE.tmp" "$ARCHIVE.id"
  "${BUILDAH[@]}" push --quiet "$IMAGE" "oci-archive:$ARCHIVE.tmp:$IMAGE"
  mv "$ARCHIVE.tmp" "$ARCHIVE"
  echo "$IMAGE_ID" >"$ARCHIVE.id"
fi

unpacked=$("${BUILDAH[@]}" images --noheading --format '{{.Size}}' "$IMAGE")
ms=$(($(now_ms) - T0))
printf '%s %s %s %s\n' "$(date -Is)" "$IMAGE" "$ms" "$(stat -c %s "$ARCHIVE")" >>"$CACHE/build-times.log"
phase "done: $IMAGE; $ARCHIVE $(du -m "$ARCHIVE" | cut -f1) MB compressed, $unpacked unpacked"
