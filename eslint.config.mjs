import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      "data/**",
      "dist/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: "Read configuration through lib/env.ts.",
        },
      ],
    },
  },
  { files: ["e2e/**"], rules: { "react-hooks/rules-of-hooks": "off" } },
  {
    files: [
      "lib/env.ts",
      "lib/log.ts",
      "instrumentation.ts",
      "e2e/**",
      "test/**",
      "scripts/**",
      "playwright.config.ts",
      "vitest.config.ts",
      "drizzle.config.ts",
      "bench/**",
    ],
    rules: { "no-restricted-syntax": "off" },
  },
];

export default config;
