// The import graph's rules, checked by `npm run deps:check` (scripts/test.sh runs it after the format check).
// Type-only imports count: a circle through `import type` still ties the modules' meanings together.

// lib/<folder>/ is a domain concept (registries, clusters, sync, controller, webhook…) unless it is one of these.
const infrastructure = ["integrations", "crypto", "net"];
const concept = `^lib/(?!(?:${infrastructure.join("|")})/)[^/]+/`;

/** @type {import("dependency-cruiser").IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "No import circle, type-only imports included: split the shared part into its own module instead.",
      from: {},
      to: { circular: true },
    },
    {
      name: "integrations-import-no-concept",
      severity: "error",
      comment:
        "lib/integrations speaks wire protocols and SDKs for the concepts; it must not depend on them (move shared types down into the integration).",
      from: { path: "^lib/integrations/" },
      to: { path: concept },
    },
    {
      name: "ui-imports-no-domain",
      severity: "error",
      comment: "components/ui holds primitives only: no lib/<concept> code and no domain components.",
      from: { path: "^components/ui/" },
      to: { path: [concept, "^components/(?!ui/)[^/]+/"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|\\.next)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
