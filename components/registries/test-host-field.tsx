"use client";

import { Field } from "@/components/ui/field";
import { registryHostPart } from "@/lib/images/registry-host";

const testHostHint = (registry: string) =>
  `${registryHostPart(registry)} has a wildcard, so it names no single host: the test connects to this one, which it must match.`;

/** "Host to test", for a registry whose host has a glob: Enter runs the test instead of submitting a surrounding form. */
export function TestHostField(props: {
  registry: string;
  value: string;
  error?: string;
  onChange: (v: string) => void;
  onEnter?: () => void;
}) {
  return (
    <Field label="Host to test" required error={props.error} hint={testHostHint(props.registry)}>
      <input
        type="text"
        value={props.value}
        placeholder={registryHostPart(props.registry).replace(/\*/g, "registry")}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => props.onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key !== "Enter" || !props.onEnter) return;
          e.preventDefault();
          props.onEnter();
        }}
      />
    </Field>
  );
}
