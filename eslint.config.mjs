// The linter guards the layer boundaries (docs/decisions/0017-lint-boundaries.md) and runs
// typescript-eslint's type-aware recommended rules. `npm run lint`; CI runs it before the tests.
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";
import { importX } from "eslint-plugin-import-x";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";

// The data/feature layer: the only code that may import the Prisma client, the generated Prisma
// runtime or @prisma/* at run time (type-only imports are allowed everywhere). A new feature folder
// that reads or writes the database (issue 17, item 5) is added here.
export const PRISMA_LAYER = [
  "lib/db.ts",
  "lib/prisma-client.ts",
  "lib/db-replica.ts",
  "lib/storage/**",
  "lib/generated/**",
  "lib/data/**",
  // The read API (docs/decisions/0025-read-api.md): tokens, the call audit and its queries.
  "lib/api/**",
  // Feature folders (docs/decisions/0018-feature-folders.md). Their rules and schemas are pure and
  // stay outside: lib/returns/rules.ts, lib/returns/schema.ts, lib/notices/schema.ts, the import
  // planners and file readers in lib/imports.
  "lib/returns/{commands,queries,attachments}.ts",
  "lib/portfolio/**",
  "lib/evaluation/queries.ts",
  // More than one plan (docs/decisions/0028): the plan selector and the plan rules in SQL; lib/plans/rules.ts stays pure.
  "lib/plans/{plans,sql}.ts",
  "lib/notices/{commands,queries}.ts",
  // Baseline changes (docs/decisions/0030); lib/baselines/{rules,schema}.ts stay pure.
  "lib/baselines/{commands,queries}.ts",
  "lib/notifications/**",
  "lib/imports/batches.ts",
  "lib/audit/**",
  "lib/auth/**",
  "lib/system/**",
  "lib/jobs/**",
  "lib/policy/**",
  "prisma/**",
  "scripts/**",
  "bench/**",
  "tests/**",
  "e2e/**",
];

const TS_FILES = ["**/*.ts", "**/*.tsx"];

// CJK characters and the full-width punctuation used as Chinese separators (，、：（）etc.).
const CJK = String.raw`/[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/u`;

// Where Chinese literals are the data itself, not UI text: Excel/CSV headers and sheet layouts,
// the plan's own text and seed data, the audit export's headers, scripts and tests.
export const CJK_ALLOWED = [
  "lib/import/**",
  "lib/export/**",
  "lib/imports/**",
  "lib/audit/export*.ts",
  "lib/data/audit-export.ts",
  // Download file names of the Excel/CSV exports and templates.
  "app/api/report/route.ts",
  "app/api/evaluation/route.ts",
  "app/api/reconciliation/export/route.ts",
  "app/api/projects/export/route.ts",
  "app/api/audit/export/route.ts",
  "app/api/import/template/route.ts",
  // The read API's contract: the unit literal 万元 (its descriptions are English; translations in messages apiReference.text).
  "lib/api/schemas.ts",
  "lib/generated/**",
  "prisma/**",
  "scripts/**",
  "bench/**",
  "tests/**",
  "e2e/**",
];

export default defineConfig(
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      ".data/**",
      "lib/generated/**",
      "coverage/**",
      "test-results/**",
      "playwright-report/**",
      "bench/out/**",
      "next-env.d.ts",
    ],
  },
  {
    files: TS_FILES,
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // A leading underscore marks a value left unused on purpose (a destructured-away field).
      // Pending as below: "warn" until the unused imports in lib/data/{imports,returns}.ts go.
      "@typescript-eslint/no-unused-vars": [
        "warn",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      // Off by choice: an async function that implements a Promise-returning interface (next.config's
      // headers(), a stub's stop()) reads better than one returning Promise.resolve(…).
      "@typescript-eslint/require-await": "off",
      // Pending (docs/decisions/0017): these flag code in files other issue-17 branches are
      // rewriting. They warn until those branches merge; then the sites listed in the record are
      // fixed and each goes back to "error".
      "@typescript-eslint/no-unnecessary-type-assertion": "warn",
      "@typescript-eslint/no-base-to-string": "warn",
      "@typescript-eslint/restrict-template-expressions": "warn",
      "@typescript-eslint/no-unused-expressions": "warn",
    },
  },
  {
    // Tests, end-to-end specs, benchmarks and scripts read untyped JSON (response bodies, raw SQL
    // rows) and pass methods to expect(): the `any` and unbound-method rules do not fit them.
    files: ["{tests,e2e,bench,scripts}/**/*.{ts,tsx}"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/unbound-method": "off",
      // A test server's async request handler is awaited by nobody, on purpose.
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { arguments: false } }],
    },
  },
  {
    // JavaScript and .mts config files are outside tsconfig.json: lint them without type information.
    files: ["**/*.mjs", "**/*.mts"],
    extends: [tseslint.configs.recommended],
  },
  {
    // No import cycles. The resolver follows tsconfig.json's "@/…" paths.
    files: [...TS_FILES, "**/*.mjs", "**/*.mts"],
    plugins: { "import-x": importX },
    settings: {
      // import-x must parse .ts/.tsx itself to follow the graph (without this no-cycle sees nothing).
      "import-x/extensions": importX.flatConfigs.typescript.settings["import-x/extensions"],
      "import-x/parsers": importX.flatConfigs.typescript.settings["import-x/parsers"],
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "./tsconfig.json" })],
    },
    rules: {
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      // components/ is shared UI: it never reaches into a route. Paths are resolved, so both
      // "@/app/…" and "../../app/…" are caught.
      "import-x/no-restricted-paths": [
        "error",
        {
          zones: [
            {
              target: "./components",
              from: "./app",
              message: "components/ never imports app/: move the shared code to components/ or lib/, or pass it in as a prop.",
            },
            // lib/domain is pure shared logic: it depends on nothing else in lib/ (Prisma enum types
            // from lib/generated excepted), app/ or components/. Unlike import-x/no-cycle, this also
            // counts type-only imports, so it caught lib/domain/returns.ts ↔ lib/validations/return.ts.
            {
              target: "./lib/domain",
              from: "./lib",
              except: ["./domain", "./generated"],
              message: "lib/domain depends only on lib/domain: move the shared type into lib/domain.",
            },
            {
              target: "./lib/domain",
              from: ["./app", "./components"],
              message: "lib/domain depends only on lib/domain.",
            },
            // A feature's rules are pure like lib/domain: lib/returns/rules.ts depends only on lib/domain.
            {
              target: "./lib/returns/rules.ts",
              from: "./lib",
              except: ["./domain", "./generated"],
              message: "lib/returns/rules.ts is pure: it depends only on lib/domain.",
            },
            {
              target: "./lib/returns/rules.ts",
              from: ["./app", "./components"],
              message: "lib/returns/rules.ts is pure: it depends only on lib/domain.",
            },
          ],
        },
      ],
    },
  },
  {
    // Audit events are written through the typed appendAuditEvent (docs/decisions/0021): the unchecked
    // writer exists for tests that need made-up events, and only tests/helpers/untyped-audit-event.ts uses it.
    files: TS_FILES,
    // Links go through components/link.tsx (no automatic prefetch: docs/decisions/0037).
    ignores: ["lib/audit/**", "tests/helpers/untyped-audit-event.ts", "components/link.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@/lib/audit/log",
              importNames: ["appendUncheckedAuditEvent"],
              message: "Write audit events with appendAuditEvent (typed by lib/audit/events.ts); tests use tests/helpers/untyped-audit-event.ts.",
            },
            {
              name: "next/link",
              message: "Use Link from @/components/link: it does not prefetch every visible link (docs/decisions/0037).",
            },
          ],
        },
      ],
    },
  },
  {
    // No Prisma outside the data/feature layer.
    files: [...TS_FILES, "**/*.mjs", "**/*.mts"],
    ignores: PRISMA_LAYER,
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(@/|(\\.\\.?/)+)lib/(db|prisma-client|generated/prisma)(/.*)?$",
              allowTypeImports: true,
              message:
                "Prisma is used only in the data/feature layer (lib/data, lib/audit, lib/auth, …): call a lib/data or feature-folder function. Type-only imports are fine.",
            },
            {
              regex: "^@prisma/",
              allowTypeImports: true,
              message: "Prisma is used only in the data/feature layer (see PRISMA_LAYER in eslint.config.mjs).",
            },
          ],
        },
      ],
    },
  },
  {
    // No Chinese UI text outside messages/ (docs/decisions/0024-ui-text.md): every string a user reads
    // comes from messages/zh-CN.json and messages/en.json. Comments are free. Allowed: the Excel/CSV
    // headers and plan data (import, export, seed and data scripts) and tests, listed in CJK_ALLOWED.
    files: TS_FILES,
    ignores: CJK_ALLOWED,
    rules: {
      "no-restricted-syntax": [
        "error",
        ...[
          ["Literal", "value"],
          ["TemplateElement", "value.raw"],
          ["JSXText", "value"],
        ].map(([node, field]) => ({
          selector: `${node}[${field}=${CJK}]`,
          message: "Chinese text belongs in messages/zh-CN.json (with its English in messages/en.json): use t(…). Proper names come from data.",
        })),
      ],
    },
  },
);
