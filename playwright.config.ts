import { defineConfig } from "@playwright/test";
import { BASE_URL, STORAGE_STATES } from "./e2e/env";

const chromium = {
  browserName: "chromium" as const,
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  },
};

const API_SPECS = /api\/.*\.spec\.ts/;
// These start servers of their own on PGlite: against the PostgreSQL-backed server they would only run again.
const OWN_SERVER_SPECS = /api\/(bootstrap-token|egress-policy|backup|key-rotation|lifecycle|sign-in|startup)\.spec\.ts/;

export default defineConfig({
  testDir: "./e2e",
  globalSetup: "./e2e/global-setup.ts",
  // A committed `.only` would silently shrink the run.
  forbidOnly: true,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  outputDir: `test-results/${process.env.E2E_PORT ?? "default"}`,
  // BASE_URL follows E2E_TARGET_PORT, which e2e/postgres.setup.ts hands to the *-postgres projects.
  use: { baseURL: BASE_URL, trace: "retain-on-failure" },
  projects: [
    { name: "api", testMatch: API_SPECS },
    { name: "setup", testMatch: /auth\.setup\.ts/, use: chromium },
    {
      name: "ui",
      testMatch: /ui\/.*\.spec\.ts/,
      dependencies: ["setup"],
      use: { ...chromium, storageState: STORAGE_STATES.pglite },
    },
    // The same app on PostgreSQL (a fresh database per run) instead of PGlite.
    { name: "postgres-server", testMatch: /postgres\.setup\.ts/, teardown: "postgres-server-stop" },
    { name: "postgres-server-stop", testMatch: /postgres\.teardown\.ts/ },
    { name: "api-postgres", testMatch: API_SPECS, testIgnore: OWN_SERVER_SPECS, dependencies: ["postgres-server"] },
    { name: "setup-postgres", testMatch: /auth\.setup\.ts/, dependencies: ["postgres-server"], use: chromium },
    {
      name: "ui-postgres",
      testMatch: /ui\/registries\.spec\.ts/,
      dependencies: ["setup-postgres"],
      use: { ...chromium, storageState: STORAGE_STATES.postgres },
    },
  ],
});
