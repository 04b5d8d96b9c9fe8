"use client";

import { useDeferredValue, useState } from "react";
import { Field } from "@/components/ui/field";
import { resolveImage } from "@/lib/images/resolve";
import type { RegistryView } from "@/lib/registries/repo";

/** "Which registry does this image use?": the kubelet's answer, computed as you type. */
export function ImageResolver({ registries }: { registries: RegistryView[] }) {
  const [image, setImage] = useState("");
  const deferred = useDeferredValue(image);
  const result = deferred.trim() ? resolveImage(deferred, registries) : null;
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
          onChange={(e) => setImage(e.target.value)}
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
