// HTML from API text: the report page and the MCP App build their markup as strings, and every piece of API text
// goes through this one function on its way in.
import { safeText } from "../safe-text.js";

/**
 * Escapes text for HTML content and attribute values. Text is raw (it may come from the API): it is first shown
 * through safeText, so a control or bidi character appears as `\u202e` on the page instead of acting on it.
 */
export function esc(text: unknown): string {
  return safeText(String(text)).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );
}
