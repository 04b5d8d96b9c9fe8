"use client";

import { useId, useRef } from "react";
import { toast } from "@/components/ui/toast";
import { Button } from "@/components/ui/button";

type Props = { label: string; value: string; notice: string };

/** A value shown a single time, with a Copy button; falls back to selecting the text. */
export function SecretOnce({ label, value, notice }: Props) {
  const ref = useRef<HTMLElement>(null);
  const labelId = useId();
  const noticeId = useId();

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      toast.success("Copied");
    } catch {
      const el = ref.current;
      if (el) window.getSelection()?.selectAllChildren(el);
      toast.error("The browser blocked copying; the text is selected, press Ctrl+C (⌘C).");
    }
  };

  return (
    <div className="stack" style={{ gap: 8 }}>
      <span id={labelId} style={{ fontWeight: 600, fontSize: 13 }}>
        {label}
      </span>
      <div
        className="row"
        role="group"
        aria-labelledby={labelId}
        aria-describedby={noticeId}
        style={{ alignItems: "stretch" }}
      >
        <code ref={ref} className="secret-once" data-testid="secret-once" style={{ flex: 1 }}>
          {value}
        </code>
        <Button onClick={copy} autoFocus aria-label={`Copy ${label.toLowerCase()}`}>
          Copy
        </Button>
      </div>
      <p id={noticeId} className="callout" role="note" style={{ margin: 0 }}>
        <strong>You won&apos;t see it again.</strong> {notice}
      </p>
    </div>
  );
}
