// The MCP App's script (bundled with ext-apps' App into the page at build time): it receives the tool's result
// from the host and draws it, and follows the host's theme.
import { App, applyDocumentTheme, applyHostStyleVariables } from "@modelcontextprotocol/ext-apps";
import { renderResult } from "./render.js";

const root = document.getElementById("app") as HTMLElement;
const app = new App({ name: "SIMCEL charts", version: "1.0.0" }, {}, { autoResize: true });

/** The host context (theme, style variables), as the host sends it at the handshake and on each change. */
type HostContext = Parameters<NonNullable<App["onhostcontextchanged"]>>[0];

function follow(context: HostContext | undefined) {
  if (context?.theme) applyDocumentTheme(context.theme);
  if (context?.styles?.variables) applyHostStyleVariables(context.styles.variables);
}

// Set before connecting: a host may send the result right after the handshake.
app.ontoolresult = (result) => {
  const { html, charts } = renderResult(document, result);
  root.innerHTML = html;
  root.dataset.charts = String(charts);
};
app.onhostcontextchanged = follow;
app.connect().then(
  () => follow(app.getHostContext()),
  (error: unknown) => {
    root.textContent = `Could not connect to the host: ${String(error)}`;
  },
);
