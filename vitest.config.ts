import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// Test files spend most of their time waiting (servers starting, timeouts and hangs the rig provokes, child
// processes, installs), not computing: one worker per core (vitest's default leaves one core idle) ran the suites at
// a third of the machine. Two files per core keep it busy; SIMCEL_TEST_WORKERS overrides (1 runs files one by one).
const workers = Number(process.env.SIMCEL_TEST_WORKERS) || Math.max(2, availableParallelism() * 2);

export default defineConfig({
  test: {
    maxWorkers: workers,
    projects: [
      {
        test: {
          name: "unit",
          setupFiles: ["./scripts/test/leak-probe.ts"],
          include: ["packages/*/test/**/*.test.ts", "scripts/test/**/*.test.ts"],
          exclude: ["**/*.contract.test.ts", "**/node_modules/**"],
          environment: "node",
          // vitest's 5 s is for a quick machine: here two cores run four files at once beside the typecheck, and
          // tests that start the CLI or a server took longer (each still bounds what it waits for itself)
          testTimeout: 20_000,
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
      {
        // The packages as strangers get them: packed tarballs installed offline into projects outside the
        // workspace, a real browser, the release flow. Heavier, so the Node matrix runs unit + contract only.
        test: {
          name: "release",
          setupFiles: ["./scripts/test/leak-probe.ts"],
          include: ["scripts/release/test/**/*.test.ts"],
          globalSetup: ["./scripts/prism-global-setup.ts", "./scripts/release/pack-global-setup.ts"],
          environment: "node",
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
