"use client";

import { Field } from "@/components/ui/field";
import type { FieldErrors } from "@/lib/errors";
import type { OrgDetails } from "@/lib/orgs/schema";
import { type AwsAuthMode, type RegistryFormValues, usesRole } from "@/lib/registries/form";

type Props = {
  values: RegistryFormValues;
  errors: FieldErrors;
  org: OrgDetails | undefined;
  /** editing a registry that mints without keys, whose role or external-ID use changed */
  identityChanged: boolean;
  set: (patch: Partial<RegistryFormValues>) => void;
};

const modes: Array<{ mode: AwsAuthMode; label: string; chain: boolean }> = [
  { mode: "keys", label: "Access keys", chain: false },
  { mode: "chain", label: "Server's AWS identity", chain: true },
  { mode: "role-keys", label: "Assume a role, from access keys", chain: false },
  { mode: "role-chain", label: "Assume a role, from the server's AWS identity", chain: true },
];

/** Amazon ECR: where the AWS credentials come from, the role to assume and the org's external ID. */
export function AwsAuthFields({ values, errors, org, identityChanged, set }: Props) {
  const chainAllowed = org?.aws_default_chain ?? false;
  const externalIdForced = values.awsAuth === "role-chain";
  return (
    <fieldset
      className="stack"
      style={{ gap: 10, border: "1px solid var(--border)", borderRadius: 8, padding: 12, margin: 0 }}
    >
      <legend style={{ fontWeight: 600, fontSize: 13 }}>Authentication</legend>
      {modes.map(({ mode, label, chain }) => (
        <label key={mode} className="switch">
          <input
            type="radio"
            name="aws-auth"
            value={mode}
            checked={values.awsAuth === mode}
            disabled={chain && !chainAllowed}
            onChange={() => set({ awsAuth: mode })}
          />
          {label}
        </label>
      ))}
      {chainAllowed ? null : (
        <p className="hint" style={{ margin: 0 }}>
          The server&apos;s AWS identity (IRSA / web identity, instance or container role) is off for this org: an
          instance admin can allow it under Settings → Orgs.
        </p>
      )}
      {usesRole(values.awsAuth) ? (
        <>
          <Field
            label="Role ARN"
            required
            error={errors.aws_role_arn}
            hint="The role Regcred assumes to mint tokens, e.g. arn:aws:iam::123456789012:role/regcred-pull."
          >
            <input
              type="text"
              value={values.awsRoleArn}
              autoComplete="off"
              spellCheck={false}
              placeholder="arn:aws:iam::123456789012:role/regcred-pull"
              onChange={(e) => set({ awsRoleArn: e.target.value })}
            />
          </Field>
          <label className="switch">
            <input
              type="checkbox"
              checked={externalIdForced || values.awsUseExternalId}
              disabled={externalIdForced}
              aria-describedby={externalIdForced ? "external-id-forced" : undefined}
              onChange={(e) => set({ awsUseExternalId: e.target.checked })}
            />
            Send this org&apos;s external ID
          </label>
          {externalIdForced ? (
            <p id="external-id-forced" className="hint" style={{ margin: 0 }}>
              Always sent when the server&apos;s own identity assumes a role: other orgs may use that identity too.
            </p>
          ) : null}
          {externalIdForced || values.awsUseExternalId ? (
            <p className="hint" style={{ margin: 0 }}>
              Put it in the role&apos;s trust policy as <code>sts:ExternalId</code>:{" "}
              <code data-testid="org-external-id">{org?.aws_external_id ?? "…"}</code>
            </p>
          ) : null}
          {errors.aws_use_external_id ? (
            <span className="error" role="alert">
              {errors.aws_use_external_id}
            </span>
          ) : null}
        </>
      ) : null}
      {identityChanged ? (
        <label className="switch">
          <input
            type="checkbox"
            checked={values.awsConfirmIdentity}
            onChange={(e) => set({ awsConfirmIdentity: e.target.checked })}
          />
          I confirm: tokens for this registry will be minted as this role
        </label>
      ) : null}
    </fieldset>
  );
}
