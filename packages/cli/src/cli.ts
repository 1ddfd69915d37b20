#!/usr/bin/env node
// The `simcel` executable: process glue around run().
import { run } from "./run.js";

process.exitCode = await run(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});
