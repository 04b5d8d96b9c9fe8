"use client";

import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import type { CheckResult, CheckStepName } from "@/lib/credential-checks/types";

const tones = { valid: "ok", invalid: "bad", unreachable: "warn", unsupported: "neutral" } as const;

const stepNames: Record<CheckStepName, string> = {
  dns: "DNS lookup",
  policy: "Egress policy",
  connect: "Connect",
  tls: "TLS",
  http: "HTTP",
  challenge: "Login challenge",
  auth: "Login",
  token: "Token",
  sts: "Assume role (STS)",
  aws: "AWS",
  cluster: "Cluster",
  secret: "Source secret",
};

/** What to check when a step fails: the next thing a user can do about it. */
export const checkHints: Record<CheckStepName, string> = {
  dns: "Check the registry URL for typos, and that the Regcred server can resolve the host (its DNS, a private zone or /etc/hosts).",
  policy:
    "Regcred's egress policy refuses this address. Ask the operator to allow it (REGCRED_EGRESS_DENY_CIDRS, or REGCRED_EGRESS_ALLOW_LOOPBACK for 127.0.0.1).",
  connect:
    "Check the port in the URL, that the registry is running, and that firewalls, proxies or security groups let the Regcred server reach it.",
  tls: "If the registry uses a private CA, paste its certificate under “Private CA certificate”; otherwise check the certificate's host names and dates.",
  http: "Something answered, but not a Docker Registry v2 API: check that the URL points at the registry itself (not its web UI) and the port.",
  challenge:
    "The registry's login challenge is not one Regcred understands: check that the URL points at the registry's API.",
  auth: "Check the username and password (or token), retype the password, and make sure the account may pull from this registry.",
  token:
    "The registry's token service refused or failed: check the credentials, that the account may pull, and that the token service is reachable from the Regcred server.",
  sts: "Check the role ARN, that the access key (or the server's AWS identity) may call sts:AssumeRole on it, and that the role's trust policy admits it (with this org's external ID when that is on).",
  aws: "Check the access key ID and secret access key (or the role's permissions), that the key is active, and that its IAM policy allows ecr:GetAuthorizationToken in this region.",
  cluster: "Use a cluster name from the Clusters page (or *), and check that Regcred can reach that cluster.",
  secret:
    "Check the namespace and secret name, that the secret is a kubernetes.io/dockerconfigjson with an entry for this registry, and that the cluster allows this namespace as a secret_ref source.",
};

/** The summary without the "connect: " prefix that names the step the badge and the steps already show. */
function headline(result: CheckResult): string {
  const prefix = result.failedStep ? `${result.failedStep}: ` : "";
  const text = prefix && result.summary.startsWith(prefix) ? result.summary.slice(prefix.length) : result.summary;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The outcome of a credential check: status, one sentence, what to check, and each step with its time. */
export function CheckResultView({ result, ref }: { result: CheckResult; ref?: React.Ref<HTMLDivElement> }) {
  const summary = headline(result);
  const hint = result.status !== "valid" && result.failedStep ? checkHints[result.failedStep] : null;
  return (
    <div
      ref={ref}
      className="callout stack"
      style={{ gap: 6 }}
      role="status"
      aria-live="polite"
      data-check-status={result.status}
    >
      <div className="row" style={{ flexWrap: "wrap" }}>
        <Badge tone={tones[result.status]}>{result.status}</Badge>
        <span data-testid="check-summary">{summary}</span>
      </div>
      {hint ? (
        <p style={{ margin: 0 }} data-testid="check-hint">
          <strong>What to check:</strong> {hint}
        </p>
      ) : null}
      {result.expiresAt ? (
        <span className="muted">
          Token expires <RelativeTime iso={result.expiresAt} kind="deadline" />
        </span>
      ) : null}
      {result.steps.length > 0 ? (
        <ol style={{ margin: 0, paddingLeft: 18 }} aria-label="Check steps">
          {result.steps.map((s, i) => (
            <li key={i} className={s.ok ? "muted" : undefined}>
              <span aria-hidden="true">{s.ok ? "✓" : "✗"}</span> <strong>{stepNames[s.step]}</strong>{" "}
              {/* A failed step the summary already quotes is named, not repeated. */}
              {s.ok || !result.summary.includes(s.detail) ? s.detail : "failed"}{" "}
              <span className="muted">({s.ms} ms)</span>
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}
