import { PHASE_PRODUCTION_BUILD } from "next/constants.js";

/** @type {(phase: string) => import('next').NextConfig} */
const nextConfig = (phase) => ({
  // `next build` also writes .next/standalone, which the container image runs (scripts/build-image.sh); set only
  // for the build, because `next start` warns about standalone output.
  ...(phase === PHASE_PRODUCTION_BUILD ? { output: "standalone" } : {}),
  serverExternalPackages: ["@electric-sql/pglite", "@kubernetes/client-node"],
  poweredByHeader: false,
  typedRoutes: false,
  experimental: {
    // Load each route's server code on its first request, not all of it at start: an idle dashboard holds less.
    preloadEntriesOnStart: false,
  },
});

export default nextConfig;
