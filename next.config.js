/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ["@electric-sql/pglite", "@kubernetes/client-node"],
  poweredByHeader: false,
  typedRoutes: false,
  experimental: {
    // Load each route's server code on its first request, not all of it at start: an idle dashboard holds less.
    preloadEntriesOnStart: false,
  },
};

export default nextConfig;
