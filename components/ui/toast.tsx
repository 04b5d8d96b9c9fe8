"use client";

import { type ComponentType, useEffect, useState } from "react";
import type { ToasterProps } from "sonner";

type Kind = "success" | "error" | "info" | "warning";

const loadSonner = () => import("sonner");
let mountToaster: (() => void) | null = null;
let wanted = false;

/** Sonner's Toaster, downloaded the first time something is toasted: a page that never toasts does not load it. */
export function ToastHost(props: ToasterProps) {
  const [Toaster, setToaster] = useState<ComponentType<ToasterProps> | null>(null);
  useEffect(() => {
    mountToaster = () => void loadSonner().then((m) => setToaster(() => m.Toaster));
    if (wanted) mountToaster();
    return () => {
      mountToaster = null;
    };
  }, []);
  return Toaster ? <Toaster {...props} /> : null;
}

// Sonner replays active toasts to a Toaster that subscribes late, so one shown before it mounts is not lost.
function show(kind: Kind) {
  return (message: string): void => {
    wanted = true;
    mountToaster?.();
    void loadSonner().then(({ toast }) => toast[kind](message));
  };
}

/** sonner's `toast` for plain messages, loading sonner on first use. */
export const toast = { success: show("success"), error: show("error"), info: show("info"), warning: show("warning") };
