import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

// Not part of the test run: writes the PNGs under docs/screenshots/. Run with
//   npx playwright test -c playwright.screenshots.config.ts
const ui = base.projects!.find((p) => p.name === "ui")!;
export default defineConfig({
  ...base,
  projects: [
    base.projects!.find((p) => p.name === "setup")!,
    { name: "screenshots", testMatch: /screenshots\/.*\.spec\.ts/, dependencies: ["setup"], use: ui.use },
  ],
});
