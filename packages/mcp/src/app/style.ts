// The MCP App's stylesheet: system fonts, readable in light and dark (the host's theme when it gives one, else
// the system's), the host's colour variables when it sends them.

/** The CSS of the app page. */
export const APP_CSS = `
:root { color-scheme: light; --bg: var(--color-background-primary, #ffffff); --ink: var(--color-text-primary, #1b2230); --muted: var(--color-text-secondary, #5c6678); --line: var(--color-border-primary, #e3e6ec); --soft: var(--color-background-secondary, #f5f6f9); }
:root[data-theme="dark"] { color-scheme: dark; --bg: var(--color-background-primary, #16191f); --ink: var(--color-text-primary, #e6e9ef); --muted: var(--color-text-secondary, #a4adbd); --line: var(--color-border-primary, #353b47); --soft: var(--color-background-secondary, #1f232b); }
@media (prefers-color-scheme: dark) { :root:not([data-theme="light"]) { color-scheme: dark; --bg: var(--color-background-primary, #16191f); --ink: var(--color-text-primary, #e6e9ef); --muted: var(--color-text-secondary, #a4adbd); --line: var(--color-border-primary, #353b47); --soft: var(--color-background-secondary, #1f232b); } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; font-variant-numeric: tabular-nums; }
main { padding: 12px 16px; max-width: 760px; }
h1 { font-size: 18px; margin: 0 0 4px; }
.eyebrow { margin: 0; text-transform: uppercase; letter-spacing: .08em; font-size: 11px; font-weight: 600; color: var(--muted); }
.muted, figcaption { color: var(--muted); }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
figure { margin: 16px 0; }
figcaption { margin-bottom: 6px; }
figcaption strong { color: var(--ink); }
svg[class^="plot"] { --plot-background: var(--bg); max-width: 100%; height: auto; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 6px 0; font-size: 12px; color: var(--muted); }
.legend span { display: inline-flex; align-items: center; gap: 5px; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; }
.note { padding: 8px 10px; background: var(--soft); border-left: 3px solid var(--line); }
.note.error { border-left-color: #D55E00; }
`;
