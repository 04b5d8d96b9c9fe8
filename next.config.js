/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ["@electric-sql/pglite", "@kubernetes/client-node"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
