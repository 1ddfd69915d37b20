import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          setupFiles: ["./scripts/test/leak-probe.ts"],
          include: ["packages/*/test/**/*.test.ts", "scripts/test/**/*.test.ts"],
          exclude: ["**/*.contract.test.ts", "**/node_modules/**"],
          environment: "node",
        },
      },
      {
        test: {
          name: "contract",
          setupFiles: ["./scripts/test/leak-probe.ts"],
          include: ["packages/*/test/**/*.contract.test.ts", "scripts/test/**/*.contract.test.ts"],
          globalSetup: ["./scripts/prism-global-setup.ts"],
          environment: "node",
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
