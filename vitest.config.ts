import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = {
  "@": path.resolve(import.meta.dirname),
  "server-only": path.resolve(import.meta.dirname, "test/server-only-stub.ts"),
};

// A committed `.only` would silently shrink the run: it fails the run instead, locally as in CI.
const allowOnly = false;

export default defineConfig({
  resolve: { alias },
  test: {
    allowOnly,
    projects: [
      {
        resolve: { alias },
        test: { name: "unit", include: ["lib/**/*.test.ts"], environment: "node", allowOnly },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          allowOnly,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          // The peers listen on 127.0.0.1, which production refuses as a check target.
          env: { REGCRED_EGRESS_ALLOW_LOOPBACK: "true", REGCRED_PASSWORD_SCRYPT_LOG_N: "12" },
        },
      },
    ],
  },
});
