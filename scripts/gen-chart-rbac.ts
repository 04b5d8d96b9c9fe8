// Writes deploy/helm/regcred/files/rbac.json: the ClusterRole and home-namespace Role rules of lib/clusters/permissions.ts
// (rbacRules) for every selection the chart's values can make, so the chart's RBAC cannot drift from the list the
// connection test checks. `--check` writes nothing and exits 1 when the committed file differs.
// Usage: npx tsx scripts/gen-chart-rbac.ts [--check]
import fs from "node:fs";
import path from "node:path";
import { format } from "prettier";
import { rbacRules } from "@/lib/clusters/permissions";
import { type WiringMode, WiringModes } from "@/lib/sync/wiring-modes";

export const RBAC_FILE = path.resolve(import.meta.dirname, "../deploy/helm/regcred/files/rbac.json");

/** The chart's key for a selection: the modes in WiringModes order joined by "+", then the two options. */
export function selectionKey(modes: readonly WiringMode[], restartStuckPods: boolean, cleanup: boolean): string {
  const ordered = WiringModes.filter((m) => modes.includes(m));
  return `${ordered.join("+")}/restartStuckPods=${restartStuckPods}/cleanup=${cleanup}`;
}

function subsets(): WiringMode[][] {
  const out: WiringMode[][] = [];
  for (let mask = 1; mask < 1 << WiringModes.length; mask++) out.push(WiringModes.filter((_, i) => mask & (1 << i)));
  return out;
}

export function chartRbac(): Record<string, unknown> {
  const selections: Record<string, ReturnType<typeof rbacRules>> = {};
  for (const modes of subsets())
    for (const restartStuckPods of [false, true])
      for (const cleanup of [false, true])
        selections[selectionKey(modes, restartStuckPods, cleanup)] = rbacRules({ modes, restartStuckPods, cleanup });
  return {
    generatedBy: "scripts/gen-chart-rbac.ts from rbacRules() in lib/clusters/permissions.ts: do not edit",
    selections,
  };
}

export async function renderChartRbac(): Promise<string> {
  return format(JSON.stringify(chartRbac()), { parser: "json", printWidth: 120 });
}

async function main(): Promise<void> {
  const text = await renderChartRbac();
  const current = fs.existsSync(RBAC_FILE) ? fs.readFileSync(RBAC_FILE, "utf8") : "";
  if (process.argv.includes("--check")) {
    if (current !== text) {
      process.stderr.write(`${RBAC_FILE} is out of date: run npx tsx scripts/gen-chart-rbac.ts\n`);
      process.exit(1);
    }
    return;
  }
  if (current !== text) fs.writeFileSync(RBAC_FILE, text);
  process.stdout.write(`${current === text ? "unchanged" : "wrote"} ${path.relative(process.cwd(), RBAC_FILE)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) await main();
