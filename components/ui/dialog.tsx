"use client";

import { type ReactNode, useId, useLayoutEffect, useRef } from "react";

type Props = {
  open: boolean;
  onClose: () => void;
  title: string;
  description?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
};

/** The element that had focus before the dialog opened, or the page's main region if it is gone. */
function returnFocus(opener: Element | null) {
  const target =
    opener instanceof HTMLElement && opener.isConnected && opener !== document.body
      ? opener
      : document.querySelector<HTMLElement>("main");
  target?.focus({ preventScroll: true });
}

/**
 * A modal on the native <dialog>: focus is trapped, Escape closes, the title labels it, and focus goes back
 * to the element that opened it when it closes or unmounts.
 */
export function Dialog({ open, onClose, title, description, children, footer }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const titleId = useId();
  const descId = useId();
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || !open) return;
    // Read before showModal moves focus into the dialog.
    opener.current = document.activeElement;
    if (!el.open) el.showModal();
    return () => {
      if (el.open) el.close();
      returnFocus(opener.current);
    };
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      aria-describedby={description ? descId : undefined}
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {open ? (
        <>
          <div className="dialog-head">
            <h2 id={titleId}>{title}</h2>
            {description ? (
              <p id={descId} className="muted" style={{ margin: 0 }}>
                {description}
              </p>
            ) : null}
          </div>
          <div className="dialog-body">{children}</div>
          {footer ? <div className="dialog-foot">{footer}</div> : null}
        </>
      ) : null}
    </dialog>
  );
}
