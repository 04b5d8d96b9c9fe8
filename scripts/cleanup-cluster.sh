#!/usr/bin/env bash
# Removes what a Regcred installation wrote into a cluster, for after `helm uninstall`: its regcred-* pull
# secrets, the imagePullSecrets entries it recorded on ServiceAccounts, its MutatingWebhookConfigurations and
# Leases. Needs Node and this repository (npm ci); talks to the cluster of the kubeconfig's current context.
#   scripts/cleanup-cluster.sh [--kubeconfig FILE]                       # lists the installations found
#   scripts/cleanup-cluster.sh [--kubeconfig FILE] --installation ID [--dry-run]
#   scripts/cleanup-cluster.sh [--kubeconfig FILE] --all [--dry-run]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/ensure-deps.sh
exec node_modules/.bin/node node_modules/.bin/tsx --conditions=react-server scripts/cleanup-cluster.ts "$@"
