"use client";

import { usePathname } from "next/navigation";
import { flushSync } from "react-dom";
import { type KeyboardEvent, type ReactNode, useId, useRef, useState } from "react";
import { Brand } from "./brand";

type Props = {
  /** The org switcher, the navigation and the account block: a column on wide screens, a menu on phones. */
  menu: ReactNode;
  children: ReactNode;
};

/** The signed-in page frame: skip link, brand, the menu (a disclosure on phones) and the main region. */
export function Shell({ menu, children }: Props) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const pathname = usePathname();

  const [shownPath, setShownPath] = useState(pathname);
  if (shownPath !== pathname) {
    setShownPath(pathname);
    setOpen(false);
  }
  // Focus moves in the same task as the tap that opens the menu, so nothing rendered later can race it.
  const toggle = () => {
    flushSync(() => setOpen((o) => !o));
    if (panel.current?.dataset.open === "true")
      // The current page's link: a menu is for moving on (focusing the org select on a tap did not stick).
      (
        panel.current.querySelector<HTMLElement>("nav a[aria-current='page']") ??
        panel.current.querySelector<HTMLElement>("nav a[href], a[href], button")
      )?.focus();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== "Escape" || !open) return;
    setOpen(false);
    button.current?.focus();
  };

  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="sidebar" onKeyDown={onKeyDown}>
        <div className="sidebar-top">
          <Brand />
          <button
            ref={button}
            type="button"
            className="btn menu-button"
            aria-expanded={open}
            aria-controls={panelId}
            onClick={toggle}
          >
            <span aria-hidden="true" className="menu-icon" />
            Menu
          </button>
        </div>
        {/* Switching org or signing out reloads the frame: the menu closes as on a link. */}
        <div id={panelId} ref={panel} className="sidebar-panel" data-open={open} onSubmit={() => setOpen(false)}>
          {menu}
        </div>
      </header>
      <main className="main" id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
