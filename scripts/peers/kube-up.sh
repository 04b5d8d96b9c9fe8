#!/usr/bin/env bash
# shellcheck disable=SC1091,SC2012
# Starts a real Kubernetes API server for tests: etcd + kube-apiserver on 127.0.0.1
# (no controller-manager, scheduler or kubelet), with openssl-made certs.
#
#   scripts/peers/kube-up.sh [RUN_DIR]      # default ${REGCRED_PEERS_DIR:-/tmp/regcred-peers}
#
# Env: KUBE_PORT (apiserver port; default: the one used last time in RUN_DIR, else a
# free port), ETCD_PORT (etcd client port; default free), KUBE_READY_TIMEOUT (120 s), ETCD_READY_TIMEOUT (60 s),
# KUBE_ADMISSION_CONFIG_FILE (opt-in: passed as --admission-control-config-file, e.g. an
# AdmissionConfiguration giving webhooks a kubeconfig with client-certificate or token),
# KUBE_AUDIT_POLICY_FILE + KUBE_AUDIT_LOG (opt-in: --audit-policy-file/--audit-log-path, JSON lines).
# Idempotent: if the apiserver is already up and ready, it only rewrites the files.
#
# Writes RUN_DIR/kube/:
#   env                 KUBE_API_URL, KUBECONFIG_ADMIN, KUBECONFIG_LIMITED, KUBE_LIMITED_TOKEN, ...
#   admin.kubeconfig    client-cert auth as CN=admin, O=system:masters (embedded data)
#   limited.kubeconfig  bearer token of user "limited" (group regcred:limited, no RBAC bindings)
#   pki/  ports  apiserver.args  tokens.csv  etcd-data/  logs/  *.pid
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUN_DIR=$(resolve_run_dir "${1:-}")
[[ $RUN_DIR != *[[:space:]]* ]] || die "run dir must not contain whitespace: $RUN_DIR"
K=$RUN_DIR/kube
PKI=$K/pki
mkdir -p "$PKI" "$K/logs"
T0=$(now_ms)

[[ -x $ETCD_BIN ]] || die "etcd not found at $ETCD_BIN; run scripts/peers/install.sh"
[[ -x $KUBE_APISERVER_BIN ]] || die "kube-apiserver not found at $KUBE_APISERVER_BIN; run scripts/peers/install.sh"

# --- PKI (made once per run dir) --------------------------------------------
gen_pki() {
  local tmp
  tmp=$(mktemp -d "$PKI.tmp.XXXX")
  (
    cd "$tmp"
    exec 2>openssl.log
    ca() { # ca NAME CN
      openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -keyout "$1.key" -out "$1.crt" \
        -subj "/CN=$2" -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature"
    }
    leaf() { # leaf NAME CA SUBJECT EXTFILE-TEXT
      openssl req -newkey rsa:2048 -nodes -sha256 -keyout "$1.key" -out "$1.csr" -subj "$3"
      printf '%b' "$4" >"$1.ext"
      openssl x509 -req -sha256 -days 3650 -in "$1.csr" -CA "$2.crt" -CAkey "$2.key" \
        -CAcreateserial -out "$1.crt" -extfile "$1.ext"
      rm -f "$1.csr" "$1.ext"
    }
    ca ca regcred-test-kube-ca
    ca client-ca regcred-test-kube-client-ca
    leaf apiserver ca "/CN=kube-apiserver" \
      "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost,IP:10.0.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\n"
    leaf admin client-ca "/O=system:masters/CN=admin" \
      "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n"
    openssl genrsa -out sa.key 2048
    openssl rsa -in sa.key -pubout -out sa.pub
    rm -f ./*.srl
    chmod 600 ./*.key
  ) || { cat "$tmp/openssl.log" >&2; die "openssl failed"; }
  mv "$tmp"/* "$PKI"/
  rmdir "$tmp"
  touch "$PKI/.complete"
}
[[ -f $PKI/.complete ]] || gen_pki

# Static tokens: "limited" has no RBAC bindings at all (every resource request -> 403);
# "admin-token" is in system:masters for tests that want bearer auth as admin.
if [[ ! -s $K/tokens.csv ]]; then
  rand() { openssl rand -hex 24; }
  {
    printf '%s,limited,uid-limited,"regcred:limited"\n' "$(rand)"
    printf '%s,admin-token,uid-admin-token,"system:masters"\n' "$(rand)"
  } >"$K/tokens.csv"
  chmod 600 "$K/tokens.csv"
fi
LIMITED_TOKEN=$(awk -F, '$2 == "limited" { print $1 }' "$K/tokens.csv")
ADMIN_TOKEN=$(awk -F, '$2 == "admin-token" { print $1 }' "$K/tokens.csv")

# --- ports ----------------------------------------------------------------
etcd_running() { pid_alive "$K/etcd.pid" "$ETCD_BIN"; }
api_running() { pid_alive "$K/kube-apiserver.pid" kube-apiserver; }

SAVED_KUBE_PORT='' SAVED_ETCD_PORT='' SAVED_ETCD_PEER_PORT=''
if [[ -f $K/ports ]]; then
  SAVED_KUBE_PORT=$(source "$K/ports" && echo "${KUBE_PORT:-}")
  SAVED_ETCD_PORT=$(source "$K/ports" && echo "${ETCD_PORT:-}")
  SAVED_ETCD_PEER_PORT=$(source "$K/ports" && echo "${ETCD_PEER_PORT:-}")
fi

if ! etcd_running && api_running; then
  log "kube-apiserver is running without its etcd; stopping it"
  stop_pidfile "$K/kube-apiserver.pid" kube-apiserver 30
fi
if etcd_running; then
  ETCD_PORT=$SAVED_ETCD_PORT ETCD_PEER_PORT=$SAVED_ETCD_PEER_PORT
else
  ETCD_PORT=${ETCD_PORT:-$(free_port)}
  ETCD_PEER_PORT=$(free_port)
  port_in_use "$ETCD_PORT" && die "ETCD_PORT $ETCD_PORT is already in use"
fi
if api_running; then
  KUBE_PORT=$SAVED_KUBE_PORT
elif [[ -n ${KUBE_PORT:-} ]]; then
  port_in_use "$KUBE_PORT" && die "KUBE_PORT $KUBE_PORT is already in use"
elif [[ -n $SAVED_KUBE_PORT ]] && ! port_in_use "$SAVED_KUBE_PORT"; then
  KUBE_PORT=$SAVED_KUBE_PORT # keep the same URL across down/up when possible
else
  KUBE_PORT=$(free_port)
fi
printf 'KUBE_PORT=%s\nETCD_PORT=%s\nETCD_PEER_PORT=%s\n' "$KUBE_PORT" "$ETCD_PORT" "$ETCD_PEER_PORT" >"$K/ports"

# --- etcd -----------------------------------------------------------------
if ! etcd_running; then
  log "starting etcd on 127.0.0.1:$ETCD_PORT"
  echo "=== $(date -Is) starting etcd" >>"$K/logs/etcd.log"
  start_daemon "$K/etcd.pid" "$K/logs/etcd.log" "$ETCD_BIN" \
    --name regcred-test \
    --data-dir "$K/etcd-data" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "regcred-test=http://127.0.0.1:$ETCD_PEER_PORT" \
    --unsafe-no-fsync \
    --quota-backend-bytes 4294967296 \
    --log-level warn
fi

# --- kube-apiserver flags (saved so kube-restart-apiserver.sh reuses them) ---
cat >"$K/apiserver.args" <<EOF
--bind-address=127.0.0.1
--advertise-address=127.0.0.1
--secure-port=$KUBE_PORT
--etcd-servers=http://127.0.0.1:$ETCD_PORT
--tls-cert-file=$PKI/apiserver.crt
--tls-private-key-file=$PKI/apiserver.key
--client-ca-file=$PKI/client-ca.crt
--token-auth-file=$K/tokens.csv
--service-account-issuer=https://kubernetes.default.svc.cluster.local
--service-account-key-file=$PKI/sa.pub
--service-account-signing-key-file=$PKI/sa.key
--service-cluster-ip-range=10.0.0.0/24
--authorization-mode=RBAC
--allow-privileged=true
--endpoint-reconciler-type=none
--cert-dir=$PKI/generated
--profiling=false
--v=1
EOF
[[ -z ${KUBE_ADMISSION_CONFIG_FILE:-} ]] || echo "--admission-control-config-file=$KUBE_ADMISSION_CONFIG_FILE" >>"$K/apiserver.args"
if [[ -n ${KUBE_AUDIT_POLICY_FILE:-} ]]; then
  [[ -n ${KUBE_AUDIT_LOG:-} ]] || die "KUBE_AUDIT_POLICY_FILE needs KUBE_AUDIT_LOG"
  printf -- '--audit-policy-file=%s\n--audit-log-path=%s\n--audit-log-format=json\n' "$KUBE_AUDIT_POLICY_FILE" "$KUBE_AUDIT_LOG" >>"$K/apiserver.args"
fi

await_healthy etcd "${ETCD_READY_TIMEOUT:-60}" "$K/logs/etcd.log" "$K/etcd.pid" "--data-dir $K/etcd-data( |$)" \
  curl -sf --max-time 2 "http://127.0.0.1:$ETCD_PORT/health" || die "etcd did not become healthy; log: $K/logs/etcd.log"

if api_running; then
  log "kube-apiserver already running on 127.0.0.1:$KUBE_PORT"
else
  log "starting kube-apiserver $KUBE_VERSION on 127.0.0.1:$KUBE_PORT"
  kube_start_apiserver "$K"
fi
T_START=$(now_ms)
kube_wait_ready "$K"
log "kube-apiserver ready after $(fmt_ms $(($(now_ms) - T_START))) (kube-up total $(fmt_ms $(($(now_ms) - T0))))"

# --- kubeconfigs and env ---------------------------------------------------
b64() { base64 -w0 <"$1"; }
URL=https://127.0.0.1:$KUBE_PORT
write_kubeconfig() { # write_kubeconfig FILE USER USER-YAML
  cat >"$1.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: regcred-test
  cluster:
    server: $URL
    certificate-authority-data: $(b64 "$PKI/ca.crt")
users:
- name: $2
  user:
$3
contexts:
- name: $2@regcred-test
  context:
    cluster: regcred-test
    user: $2
current-context: $2@regcred-test
EOF
  chmod 600 "$1.tmp"
  mv "$1.tmp" "$1"
}
write_kubeconfig "$K/admin.kubeconfig" admin \
  "    client-certificate-data: $(b64 "$PKI/admin.crt")
    client-key-data: $(b64 "$PKI/admin.key")"
write_kubeconfig "$K/limited.kubeconfig" limited "    token: $LIMITED_TOKEN"

cat >"$K/env.tmp" <<EOF
KUBE_API_URL=$URL
KUBE_PORT=$KUBE_PORT
KUBECONFIG_ADMIN=$K/admin.kubeconfig
KUBECONFIG_LIMITED=$K/limited.kubeconfig
KUBE_LIMITED_USER=limited
KUBE_LIMITED_TOKEN=$LIMITED_TOKEN
KUBE_ADMIN_TOKEN=$ADMIN_TOKEN
KUBE_CA_FILE=$PKI/ca.crt
KUBE_ADMIN_CERT_FILE=$PKI/admin.crt
KUBE_ADMIN_KEY_FILE=$PKI/admin.key
KUBE_VERSION=$KUBE_VERSION
ETCD_URL=http://127.0.0.1:$ETCD_PORT
EOF
mv "$K/env.tmp" "$K/env"

if [[ ${REGCRED_PEERS_QUIET:-} != 1 ]]; then
  cat <<EOF
kube-apiserver $KUBE_VERSION is ready at $URL (etcd at http://127.0.0.1:$ETCD_PORT)
  env file:   $K/env          (set -a; source $K/env; set +a)
  admin:      export KUBECONFIG=$K/admin.kubeconfig
  limited:    export KUBECONFIG=$K/limited.kubeconfig   (no RBAC bindings: expect 403)
  check:      curl --cacert $PKI/ca.crt --cert $PKI/admin.crt --key $PKI/admin.key $URL/version
  restart:    $PEERS_SCRIPTS_DIR/kube-restart-apiserver.sh $RUN_DIR
  stop:       $PEERS_SCRIPTS_DIR/kube-down.sh $RUN_DIR   (--purge also deletes etcd data and certs)
EOF
fi
