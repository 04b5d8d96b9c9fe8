#!/usr/bin/env bash
# The second README command: install what the tests need (Chromium, PostgreSQL, etcd, kube-apiserver and Helm
# built from Go modules, Debian's docker-registry, moto, schemathesis, buildah and umoci), start those peers on
# 127.0.0.1, then run typecheck, lint, unit, integration (chart tests included), the image build and its smoke
# test, and Playwright tests. Caches live in ~/.cache/regcred and ~/.npm.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
t0=$(date +%s)
step() { printf '\n== %s (%ss)\n' "$1" "$(($(date +%s) - t0))"; }

step "install test peers"
scripts/peers/install.sh
step "npm dependencies"
scripts/ensure-deps.sh

RUN_DIR=$(mktemp -d /tmp/regcred-test.XXXXXX)
chmod 755 "$RUN_DIR" # the postgres user must reach its data dir inside
trap 'scripts/peers/down.sh "$RUN_DIR" >/dev/null 2>&1 || true' EXIT
step "start peers in $RUN_DIR"
REGCRED_SKIP_INSTALL=1 scripts/peers/up.sh "$RUN_DIR"
set -a
# shellcheck disable=SC1091
source "$RUN_DIR/env"
set +a

step "typecheck"
npm run typecheck
step "lint"
npm run lint
step "format (prettier --check)"
npm run format:check
step "import graph (dependency-cruiser)"
npm run deps:check
step "unit and integration tests (vitest)"
npx vitest run
step "build"
npm run build
step "container image (buildah) and its smoke test (read-only root, UID 10001)"
scripts/build-image.sh
scripts/image-smoke.sh
step "end-to-end tests (Playwright in Debian's Chromium)"
npx playwright test
step "all tests passed"
