"use client";

import { Field } from "@/components/ui/field";
import type { FieldErrors } from "@/lib/errors";
import type { RegistryFormValues } from "@/lib/registries/form";
import { credentialLabels } from "@/lib/registries/types";

type Props = {
  values: RegistryFormValues;
  errors: FieldErrors;
  stored: boolean;
  set: (patch: Partial<RegistryFormValues>) => void;
};

export function CredentialFields({ values, errors, stored, set }: Props) {
  const keep = stored ? "Stored and hidden. Leave blank to keep it." : undefined;
  if (values.type === "google_gcr") {
    return (
      <Field
        label={credentialLabels.google_gcr!.password}
        required={!stored}
        error={errors["creds.password"]}
        hint={keep ?? "Paste the key or upload the .json file."}
      >
        <textarea
          value={values.password}
          placeholder={stored ? "•••••••• (stored)" : '{"type": "service_account", ...}'}
          onChange={(e) => set({ password: e.target.value })}
          spellCheck={false}
        />
      </Field>
    );
  }
  const labels = credentialLabels[values.type];
  if (!labels?.username) return null;
  return (
    <>
      <Field
        label={labels.username}
        required={!stored}
        error={errors["creds.username"]}
        hint={stored ? "Stored. Leave blank to keep it." : undefined}
      >
        <input
          type="text"
          autoComplete="off"
          spellCheck={false}
          value={values.username}
          placeholder={stored ? "•••••••• (stored)" : undefined}
          onChange={(e) => set({ username: e.target.value })}
        />
      </Field>
      <Field label={labels.password} required={!stored} error={errors["creds.password"]} hint={keep}>
        <input
          type="password"
          autoComplete="new-password"
          value={values.password}
          placeholder={stored ? "•••••••• (stored)" : undefined}
          onChange={(e) => set({ password: e.target.value })}
        />
      </Field>
    </>
  );
}

export function GcrUpload({ onLoad }: { onLoad: (text: string) => void }) {
  return (
    <div className="field">
      <label htmlFor="gcr-upload">Or upload the key file</label>
      <input
        id="gcr-upload"
        type="file"
        accept="application/json,.json"
        onChange={async (e) => {
          const file = e.target.files?.[0];
          if (file) onLoad(await file.text());
        }}
      />
    </div>
  );
}
