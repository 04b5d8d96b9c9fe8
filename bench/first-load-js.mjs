// First-load JavaScript of a dashboard page, as the browser downloads it.
// Usage: BASE=http://127.0.0.1:3000 EMAIL=admin@regcred.local PASSWORD=… npx node bench/first-load-js.mjs [/registries]
import zlib from "node:zlib";
import { chromium } from "playwright-core";

const base = process.env.BASE ?? "http://127.0.0.1:3000";
const path = process.argv[2] ?? "/registries";
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const login = await browser.newPage();
await login.goto(`${base}/login`);
await login.getByLabel("Email").fill(process.env.EMAIL ?? "admin@regcred.local");
await login.getByLabel("Password").fill(process.env.PASSWORD ?? "");
await login.getByRole("button", { name: "Sign in" }).click();
await login.waitForURL(/registries/);
const context = await browser.newContext({ storageState: await login.context().storageState() });
const page = await context.newPage();
const sizes = [];
page.on("response", async (r) => {
  if (r.request().resourceType() === "script") sizes.push(await r.body());
});
await page.goto(`${base}${path}`, { waitUntil: "networkidle" });
const raw = sizes.reduce((n, b) => n + b.length, 0);
const gzip = sizes.reduce((n, b) => n + zlib.gzipSync(b).length, 0);
console.log(
  JSON.stringify({
    page: path,
    scripts: sizes.length,
    rawKiB: +(raw / 1024).toFixed(1),
    gzipKiB: +(gzip / 1024).toFixed(1),
  }),
);
await browser.close();
