{{- define "regcred.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "regcred.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "regcred.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "regcred.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "regcred.selectorLabels" -}}
app.kubernetes.io/name: {{ include "regcred.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "regcred.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "regcred.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "regcred.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "regcred.keySecretName" -}}
{{- default (printf "%s-encryption-key" (include "regcred.fullname" .)) .Values.encryptionKey.existingSecret -}}
{{- end -}}

{{- define "regcred.caSecretName" -}}
{{- default (printf "%s-webhook-ca" (include "regcred.fullname" .)) .Values.webhook.ca.existingSecret -}}
{{- end -}}

{{- define "regcred.claimName" -}}
{{- default (printf "%s-data" (include "regcred.fullname" .)) .Values.persistence.existingClaim -}}
{{- end -}}

{{- define "regcred.webhookService" -}}
{{- printf "%s-webhook" (include "regcred.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "regcred.webhookHost" -}}
{{- printf "%s.%s.svc" (include "regcred.webhookService" .) .Release.Namespace -}}
{{- end -}}

{{- define "regcred.webhookUrl" -}}
{{- default (printf "https://%s:443" (include "regcred.webhookHost" .)) .Values.webhook.url -}}
{{- end -}}

{{/* PostgreSQL when database.existingSecret is set; PGlite on the PVC otherwise. */}}
{{- define "regcred.postgres" -}}
{{- if .Values.database.existingSecret }}true{{ end -}}
{{- end -}}

{{/* Refuses values the product cannot run with, naming the value (values.schema.json checks the same). */}}
{{- define "regcred.validate" -}}
{{- if not (include "regcred.postgres" .) -}}
{{- if gt (int .Values.dashboard.replicas) 1 -}}
{{- fail "dashboard.replicas > 1 needs PostgreSQL: set database.existingSecret (PGlite serves one process only)" -}}
{{- end -}}
{{- if .Values.controller.enabled -}}
{{- fail "controller.enabled needs PostgreSQL: set database.existingSecret (PGlite serves one process only; without it the dashboard runs the controller in-process)" -}}
{{- end -}}
{{- end -}}
{{- if and .Values.webhook.url (not (hasPrefix "https://" .Values.webhook.url)) -}}
{{- fail "webhook.url must be an https:// URL (the API server only calls webhooks over TLS)" -}}
{{- end -}}
{{- end -}}

{{/* The rules of files/rbac.json (generated from rbacRules() by scripts/gen-chart-rbac.ts) for rbac.wiring. */}}
{{- define "regcred.rbacRules" -}}
{{- $w := .Values.rbac.wiring -}}
{{- $modes := list -}}
{{- range $m := list "serviceaccount" "webhook" "podtemplate" -}}
{{- if has $m $w.modes }}{{ $modes = append $modes $m }}{{ end -}}
{{- end -}}
{{- $key := printf "%s/restartStuckPods=%t/cleanup=%t" (join "+" $modes) $w.restartStuckPods $w.cleanup -}}
{{- $all := (.Files.Get "files/rbac.json" | fromJson).selections -}}
{{- if not (hasKey $all $key) -}}
{{- fail (printf "rbac.wiring: no permission set for %q (modes must be a non-empty list of serviceaccount, webhook, podtemplate)" $key) -}}
{{- end -}}
{{- index $all $key | toJson -}}
{{- end -}}

{{/* The container settings every Regcred container shares: env, volumes mounts, security context, probes. */}}
{{- define "regcred.env" -}}
- name: REGCRED_DATA_DIR
  value: /data
- name: PORT
  value: "3000"
- name: REGCRED_ENCRYPTION_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "regcred.keySecretName" . }}
      key: {{ .Values.encryptionKey.key }}
{{- if include "regcred.postgres" . }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.database.existingSecret }}
      key: {{ .Values.database.key }}
{{- end }}
- name: REGCRED_INSTANCE_ID
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
{{- if .Values.webhook.enabled }}
- name: REGCRED_WEBHOOK_PORT
  value: {{ .Values.webhook.port | quote }}
- name: REGCRED_WEBHOOK_HOST
  value: {{ include "regcred.webhookHost" . | quote }}
- name: REGCRED_WEBHOOK_URL
  value: {{ include "regcred.webhookUrl" . | quote }}
- name: REGCRED_WEBHOOK_CA_DIR
  value: /etc/regcred/webhook-ca
{{- end }}
- name: REGCRED_ADMIN_EMAIL
  value: {{ .Values.admin.email | quote }}
{{- with .Values.admin.existingSecret }}
- name: REGCRED_ADMIN_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $.Values.admin.passwordKey }}
      optional: true
- name: REGCRED_BOOTSTRAP_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $.Values.admin.bootstrapTokenKey }}
      optional: true
{{- end }}
{{- with .Values.metrics.existingSecret }}
- name: REGCRED_METRICS_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $.Values.metrics.key }}
{{- end }}
{{- with .Values.trustedProxies }}
- name: REGCRED_TRUSTED_PROXIES
  value: {{ . | quote }}
{{- end }}
- name: REGCRED_SECURE_COOKIES
  value: {{ .Values.secureCookies | toString | quote }}
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "regcred.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "regcred.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "regcred.volumeMounts" -}}
- name: data
  mountPath: /data
- name: tmp
  mountPath: /tmp
{{- if .Values.webhook.enabled }}
- name: webhook-ca
  mountPath: /etc/regcred/webhook-ca
  readOnly: true
{{- end }}
{{- end -}}

{{/* `data`: the PVC for the dashboard on PGlite, else an emptyDir (the serving certificate lives there). */}}
{{- define "regcred.volumes" -}}
{{- $pvc := index . 1 -}}
{{- with index . 0 -}}
- name: data
{{- if $pvc }}
  persistentVolumeClaim:
    claimName: {{ include "regcred.claimName" . }}
{{- else }}
  emptyDir: {}
{{- end }}
- name: tmp
  emptyDir:
    medium: Memory
    sizeLimit: 64Mi
{{- if .Values.webhook.enabled }}
- name: webhook-ca
  secret:
    secretName: {{ include "regcred.caSecretName" . }}
    defaultMode: 0440
    items:
      - key: tls.crt
        path: tls.crt
      - key: tls.key
        path: tls.key
{{- end }}
{{- end -}}
{{- end -}}

{{- define "regcred.podExtras" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- end -}}
