import { defineConfig } from "vitest/config";

// One root run holds every suite: unit tests beside the code, end-to-end suites under test/.
export default defineConfig({
  test: {
    // CI reads the counts from the JSON report; people read the default one.
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    outputFile: { json: ".vitest-results.json" },
    projects: [
      {
        test: {
          name: "unit",
          include: ["packages/*/src/**/*.test.ts", "apps/*/src/**/*.test.ts"],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/**/*.test.ts"],
          exclude: ["test/chaos/**"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Faults on purpose, each file with its own Postgres, Redis and processes; `npm run chaos`.
        test: {
          name: "chaos",
          include: ["test/chaos/**/*.test.ts"],
          testTimeout: 300_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
