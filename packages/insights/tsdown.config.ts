export { default } from "../../tsdown.library.ts";
