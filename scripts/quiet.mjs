#!/usr/bin/env node
// Runs a tool with its telemetry and update notices off (turbo, redocly, npm's notifier), so nothing the
// project's scripts start phones home or nags a newcomer: `node scripts/quiet.mjs turbo run build`.
// The root package.json's scripts go through it; a variable already set by the user wins.
import { spawnSync } from "node:child_process";
import { quietEnv } from "./workspace.mjs";

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error("usage: node scripts/quiet.mjs <command> [args...]");
  process.exit(2);
}
const result = spawnSync(command, args, {
  stdio: "inherit",
  env: { ...quietEnv, ...process.env },
  shell: process.platform === "win32",
});
if (result.error) {
  console.error(`${command}: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
