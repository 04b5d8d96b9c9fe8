"use client";

import { useDeferredValue, useState } from "react";
import { Field } from "@/components/ui/field";
import type { ImageResolution } from "@/lib/images/resolve";
import type { RegistryView } from "@/lib/registries/repo";

type Resolve = (image: string, registries: RegistryView[]) => ImageResolution;

/** "Which registry does this image use?": the kubelet's answer, computed as you type (its code loads on first input). */
export function ImageResolver({ registries }: { registries: RegistryView[] }) {
  const [image, setImage] = useState("");
  const [resolve, setResolve] = useState<Resolve | null>(null);
  const deferred = useDeferredValue(image);
  const result = deferred.trim() && resolve ? resolve(deferred, registries) : null;
  const onInput = (value: string) => {
    setImage(value);
    if (!resolve) void import("@/lib/images/resolve").then((m) => setResolve(() => m.resolveImage));
  };
  return (
    <section className="card stack" aria-labelledby="resolver-title" style={{ gap: 10 }}>
      <h2 id="resolver-title">Which registry does this image use?</h2>
      <Field
        label="Image reference"
        hint="For example nginx, ghcr.io/acme/api:1.4 or 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:…"
        error={result && !result.ok ? result.reason : undefined}
      >
        <input
          type="search"
          value={image}
          onChange={(e) => onInput(e.target.value)}
          spellCheck={false}
          autoComplete="off"
        />
      </Field>
      {result?.ok ? (
        <output aria-live="polite" className="stack" style={{ gap: 4 }} data-testid="resolver-answer">
          <span>
            Normalized: <code>{result.normalized}</code> (registry host <code>{result.domain}</code>, repository{" "}
            <code>{result.path}</code>)
          </span>
          {result.registry ? (
            <span>
              Uses registry <strong className="mono">{result.registry.id}</strong> (
              <code>{result.registry.registry}</code>)
              {result.secret ? (
                <>
                  {" "}
                  with pull secret <code>{result.secret}</code>
                </>
              ) : (
                <> — public, no secret needed</>
              )}
            </span>
          ) : (
            <span className="muted">No registry matches: the kubelet would pull it without credentials.</span>
          )}
        </output>
      ) : null}
    </section>
  );
}
