{{/*
Names are fixed, not derived from the release: the webhook configuration, the Lease and the Service are part of the
operator's contract (its flag defaults), and the CRDs allow one installation per cluster anyway.
*/}}

{{- define "proxysql-operator.labels" -}}
app.kubernetes.io/name: proxysql-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end }}

{{/* Pod and selector labels: the same as the kustomize base, so a kubectl-installed operator can move to Helm. */}}
{{- define "proxysql-operator.selectorLabels" -}}
app.kubernetes.io/name: proxysql-operator
app.kubernetes.io/component: operator
{{- end }}

{{- define "proxysql-operator.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{/* The operator generates its webhook certificate and patches the CA into the webhook configuration. */}}
{{- define "proxysql-operator.publishesCaBundle" -}}
{{- if and .Values.webhook.enabled (not .Values.webhook.certSecretName) }}true{{ end }}
{{- end }}

{{- define "proxysql-operator.validate" -}}
{{- if and (gt (int .Values.replicaCount) 1) (not .Values.leaderElection.enabled) }}
{{- fail "replicaCount > 1 needs leaderElection.enabled: without it every replica would act on every ProxySQL" }}
{{- end }}
{{- if and (gt (int .Values.replicaCount) 1) (include "proxysql-operator.publishesCaBundle" .) }}
{{- fail "replicaCount > 1 needs webhook.certSecretName (a certificate shared by all replicas) or webhook.enabled=false: each replica would generate its own certificate and overwrite the others' CA in the webhook configurations" }}
{{- end }}
{{- if and .Values.webhook.certSecretName (not .Values.webhook.caBundle) (not (index .Values.webhook.annotations "cert-manager.io/inject-ca-from")) }}
{{- fail "webhook.certSecretName needs the CA that signed it: set webhook.caBundle, or let cert-manager inject it with webhook.annotations.\"cert-manager.io/inject-ca-from\"" }}
{{- end }}
{{- range $key := list "failurePolicy" "queueStampFailurePolicy" }}
{{- if not (has (index $.Values.webhook $key) (list "Fail" "Ignore")) }}
{{- fail (printf "webhook.%s: %q is not a failure policy: use Fail or Ignore" $key (toString (index $.Values.webhook $key))) }}
{{- end }}
{{- end }}
{{- range .Values.watchNamespaces }}
{{- if not (regexMatch "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$" .) }}
{{- fail (printf "watchNamespaces: %q is not a namespace name" .) }}
{{- end }}
{{- end }}
{{- end }}
