"use client";

import { Field } from "./field";

/** A filter's select: "all" (the empty value) first, then the options; a value from the URL not among them stays selectable, so the select never lies. */
export function FilterSelect({
  label,
  value,
  options,
  all,
  onChange,
}: {
  label: string;
  value: string;
  options: string[];
  all: string;
  onChange: (v: string) => void;
}) {
  const shown = value && !options.includes(value) ? [value, ...options] : options;
  return (
    <Field label={label}>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{all}</option>
        {shown.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </Field>
  );
}
