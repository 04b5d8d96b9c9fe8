"use client";

import type { ReactNode } from "react";
import { ToastHost } from "@/components/ui/toast";

export function Providers({ children }: { children: ReactNode }) {
  return (
    <>
      {children}
      <ToastHost richColors closeButton position="bottom-right" theme="system" />
    </>
  );
}
