#!/usr/bin/env bash
# Fuzzes Regcred's REST API with schemathesis, driven by the server's own /api/openapi.json.
# Exit 0: every check passed; 1: a check failed (each failure is printed with a curl line to
# replay it); anything else: the run could not start.
#
#   scripts/fuzz-api.sh BASE_URL TOKEN [ORG_ID]     # e.g. http://127.0.0.1:3000 rgc_… default
#
# Run it against a throw-away server: it creates, changes and deletes registries, tokens, members
# and clusters in ORG_ID (default $REGCRED_FUZZ_ORG, else "default", the server's default org).
# TOKEN should be an admin token of that org. Point the server's AWS_ENDPOINT_URL_ECR at moto, as
# the e2e server does: /creds of a fuzzed amazon_ecr registry mints a token there.
#
# Env: FUZZ_MAX_EXAMPLES (8 per operation and phase), FUZZ_MAX_TIME (hard stop in seconds, 80),
# FUZZ_SEED (random; printed, pass it back to replay a run), FUZZ_WORKERS (1), FUZZ_SCHEMA (the
# document, default BASE_URL/api/openapi.json; a file tries a changed document without a rebuild),
# FUZZ_ARGS (extra `schemathesis run` arguments), REGCRED_CACHE (venv location, see peers/lib.sh).
#
# Every check runs (schemathesis's default), except where noted here, and why:
# - Operations that make the server connect to a host taken from the request: the credential
#   checks (POST /registries/test, POST /registries/{regId}/test) dial the registry a fuzzed body
#   names, which may be any address; the fuzzer must not aim the server at other machines.
# - Link inference from response bodies (stateful `dependency-analysis`, and reusing response
#   values as test data): it would feed ids from GET /tokens and GET /users into DELETE
#   /tokens/{id} and PATCH /users/{id}, revoking the caller's own token or demoting the org's
#   admin, after which every request is a 401 or 403 and nothing more is tested. The document's
#   explicit links (create → get, update, delete, revoke) and Location headers still drive the
#   stateful phase.
# - positive_data_acceptance ("a body the schema accepts gets a 2xx") where validity depends on
#   something JSON Schema cannot say: a kubeconfig must be YAML with a usable context
#   (createCluster, updateCluster, inspectKubeconfig), the context must exist in the server's
#   KUBECONFIG (importCluster), an image reference must parse like distribution/reference
#   (resolveImage), a google_gcr password must be a service-account JSON key (createRegistry),
#   and a patch is merged into the stored registry before the per-type rules apply
#   (updateRegistry), an audit cursor is valid only as the server returned it and `until` must be
#   later than `since` (listAudit). Those answer a documented 400.
# - unsupported_method ("an undeclared method gets 405 with an Allow header"): the 405 Next.js
#   sends for a method a route file does not export has no Allow header, and no app code runs to
#   add one. Undeclared methods are still sent, so not_a_server_error still covers them.
# - TRACE is not among those methods: Node's fetch Request refuses to construct one, so Next.js
#   answers 500 before any app code (proxy.ts included) runs. Block TRACE at the reverse proxy.
# - negative_data_rejection also accepts 413: a string over its maxLength can make the whole
#   body exceed REGCRED_MAX_BODY_BYTES, which is refused before it is parsed.
# - not_a_server_error on GET /registries/{regId}/creds accepts 502: it is the documented answer
#   when AWS (moto) refuses to mint an ECR token for the fuzzed, fake access keys.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=peers/lib.sh
source "$ROOT/scripts/peers/lib.sh"

if [[ $# -lt 2 || $# -gt 3 ]]; then
  echo "usage: $0 BASE_URL TOKEN [ORG_ID]" >&2
  exit 2
fi
BASE=${1%/}
TOKEN=$2
ORG=${3:-${REGCRED_FUZZ_ORG:-default}}
SEED=${FUZZ_SEED:-$((RANDOM * 32768 + RANDOM))}
MAX_TIME=${FUZZ_MAX_TIME:-80}

if [[ ! -x $SCHEMATHESIS_BIN ]]; then
  REGCRED_INSTALL_STEPS=schemathesis "$ROOT/scripts/peers/install.sh"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/regcred-fuzz.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cat >"$WORK/schemathesis.toml" <<EOF
[parameters]
"path.orgId" = "$ORG"

[checks.unsupported_method]
enabled = false

[checks.negative_data_rejection]
expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429", "5xx"]

[phases.coverage]
unexpected-methods = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "PATCH"]

[phases.stateful.inference]
algorithms = ["location-headers"]

[phases.examples.extra-data-sources]
responses = false

[phases.coverage.extra-data-sources]
responses = false

[phases.fuzzing.extra-data-sources]
responses = false

[[operations]]
include-operation-id = ["createCluster", "updateCluster", "inspectKubeconfig", "importCluster", "resolveImage", "createRegistry", "updateRegistry", "listAudit"]
checks.positive_data_acceptance.enabled = false

[[operations]]
include-operation-id = "getRegistryCreds"
checks.not_a_server_error.expected-statuses = ["2xx", "3xx", "4xx", "502"]
EOF

SCHEMA=${FUZZ_SCHEMA:-$BASE/api/openapi.json}
[[ $SCHEMA == /* || $SCHEMA == *://* ]] || SCHEMA=$PWD/$SCHEMA
log "fuzzing $BASE (org $ORG) with schemathesis $SCHEMATHESIS_VERSION, seed $SEED, at most ${MAX_TIME}s"
cd "$WORK"
rc=0
# shellcheck disable=SC2086 # FUZZ_ARGS is a list of arguments
timeout --kill-after=5 "$MAX_TIME" "$SCHEMATHESIS_BIN" --config-file "$WORK/schemathesis.toml" run "$SCHEMA" \
  --url "$BASE" \
  -H "Authorization: Bearer $TOKEN" \
  --exclude-operation-id testRegistryBody --exclude-operation-id testRegistry \
  --max-examples "${FUZZ_MAX_EXAMPLES:-8}" \
  --workers "${FUZZ_WORKERS:-1}" \
  --seed "$SEED" \
  --generation-database none \
  --request-timeout 20 \
  --wait-for-schema 30 \
  --no-color \
  ${FUZZ_ARGS:-} || rc=$?
if ((rc == 124 || rc == 137)); then log "schemathesis did not finish within ${MAX_TIME}s (seed $SEED)"; fi
exit "$rc"
