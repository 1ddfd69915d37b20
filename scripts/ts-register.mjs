// `node --import ./scripts/ts-register.mjs …`: registers ts-hooks.mjs (TypeScript helpers run by plain node).
import { register } from "node:module";

register("./ts-hooks.mjs", import.meta.url);
