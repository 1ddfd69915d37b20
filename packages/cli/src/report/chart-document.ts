// The DOM the report's charts are drawn into in Node: a linkedom document, one per report build (the MCP App draws
// the same charts into the browser's own document).
import { parseHTML } from "linkedom";

/** A fresh document for Observable Plot to draw into. */
export function createChartDocument(): Document {
  return parseHTML("<!doctype html><html><body></body></html>").document as unknown as Document;
}
