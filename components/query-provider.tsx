"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";

let browserClient: QueryClient | undefined;

function newClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { staleTime: 10_000, refetchOnWindowFocus: true } } });
}

// One client per server render (never shared between users); one for the browser tab, kept across pages.
function queryClient(): QueryClient {
  if (typeof window === "undefined") return newClient();
  return (browserClient ??= newClient());
}

/** react-query for the screens that use it; pages without it (registries) do not download it. */
export function QueryProvider({ children }: { children: ReactNode }) {
  return <QueryClientProvider client={queryClient()}>{children}</QueryClientProvider>;
}
