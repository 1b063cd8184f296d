import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "test/**/*.test.ts",
      "core/**/*.test.ts",
      "cli/**/*.test.ts",
      "actions/**/*.test.ts",
      "bot/**/*.test.ts",
    ],
    setupFiles: ["test/setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // CI prints a plain "N passed, N failed" line from this file (.ci/run).
    reporters: process.env.CI ? ["default", ["json", { outputFile: ".vitest-report.json" }]] : ["default"],
  },
});
