// The authorization page, self-contained: no script at all, one inline style allowed by a nonce, framed by
// nobody (CSP frame-ancestors 'none'). Every text that a host or SIMCEL chose (the host's registered name, its
// redirect address, SIMCEL's reason for a refusal) is escaped as untrusted text. The credential fields are
// password inputs posted in the body; the page never echoes what was typed.
import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { NO_STORE } from "./http-io.js";

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
h1{font-size:1.4rem}label{display:block;margin-top:.8rem;font-weight:600}input{width:100%;padding:.4rem;font:inherit;box-sizing:border-box}
fieldset{border:1px solid #ccd;border-radius:6px;margin:1rem 0}.error{background:#fde8e8;border:1px solid #e0a0a0;padding:.6rem;border-radius:6px}
.buttons{display:flex;gap:1rem;margin-top:1.2rem}button{font:inherit;padding:.5rem 1.4rem}code{background:#eef;padding:0 .2rem}`;

/** What a page needs to say where its forms go. */
export interface PageContext {
  /** The origin of the host's redirect URI: forms may lead there (a 303 after "Allow" or "Deny"). */
  redirectOrigin?: string | undefined;
  secureCookie: boolean;
}

function headers(nonce: string, context: PageContext, extra: Record<string, string> = {}) {
  const formAction = ["'self'", context.redirectOrigin].filter(Boolean).join(" ");
  return {
    "content-type": "text/html; charset=utf-8",
    ...NO_STORE,
    "content-security-policy": `default-src 'none'; style-src 'nonce-${nonce}'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    // not no-referrer: with it Chromium sends `Origin: null` on the page's own form post, which the Origin check refuses
    "referrer-policy": "same-origin",
    ...extra,
  };
}

function page(title: string, nonce: string, body: string) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style nonce="${nonce}">${STYLE}</style></head><body>${body}</body></html>`;
}

export function sendPage(
  res: ServerResponse,
  status: number,
  title: string,
  body: string,
  context: PageContext,
  extra: Record<string, string> = {},
) {
  const nonce = randomBytes(16).toString("base64url");
  res.writeHead(status, headers(nonce, context, extra));
  res.end(page(title, nonce, body));
}

const hidden = (requestId: string, csrf: string) =>
  `<input type="hidden" name="request" value="${escapeHtml(requestId)}"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}">`;

/** The consent form: who asks, what it will be able to do, the credential fields, Allow and Deny. */
export function consentBody(view: {
  clientName: string;
  redirectUri: string;
  requestId: string;
  csrf: string;
  action: string;
  error?: string | undefined;
}): string {
  const { clientName, redirectUri, requestId, csrf, action, error } = view;
  return `<main><h1>Sign in to SIMCEL for <q>${escapeHtml(clientName)}</q></h1>
<p>The MCP host that registered as <strong>${escapeHtml(clientName)}</strong> asks to use your SIMCEL access.
It will be able to <strong>read</strong> your plans and scenarios, P&amp;L, demand forecasts, CO2 figures and scenario comparisons,
as far as the credential's scopes allow. It cannot change anything, and it never sees the credential you enter here.</p>
<p>After this page you return to <code>${escapeHtml(redirectUri)}</code>.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="${escapeHtml(action)}" autocomplete="off">${hidden(requestId, csrf)}
<fieldset><legend>With an API key</legend>
<label for="api_key">SIMCEL API key</label><input id="api_key" name="api_key" type="password" spellcheck="false"></fieldset>
<fieldset><legend>Or with OAuth client credentials</legend>
<label for="simcel_client_id">Client ID</label><input id="simcel_client_id" name="simcel_client_id" type="text" spellcheck="false">
<label for="simcel_client_secret">Client secret</label><input id="simcel_client_secret" name="simcel_client_secret" type="password"></fieldset>
<p>Grant the credential <code>insights:read</code> and <code>plans:read</code> only; never <code>admin</code>.</p>
<div class="buttons"><button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button></div></form></main>`;
}

/** After SIMCEL took the credential: the scopes its token carries, and the step back to the host. */
export function signedInBody(view: {
  clientName: string;
  scopes: readonly string[];
  requestId: string;
  csrf: string;
  action: string;
}): string {
  const { clientName, scopes, requestId, csrf, action } = view;
  const list = scopes.length
    ? `<ul>${scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join("")}</ul>`
    : "<p>SIMCEL's token does not say which scopes it carries.</p>";
  return `<main><h1>Signed in to SIMCEL</h1>
<p><strong>${escapeHtml(clientName)}</strong> will act with the scopes this credential's token carries:</p>${list}
${scopes.includes("admin") ? '<p class="error" role="alert">This credential has <code>admin</code>: make one with <code>insights:read plans:read</code> only for an agent.</p>' : ""}
<form method="post" action="${escapeHtml(action)}">${hidden(requestId, csrf)}
<div class="buttons"><button type="submit" name="decision" value="continue">Continue</button>
<button type="submit" name="decision" value="deny">Deny</button></div></form></main>`;
}

/** A page that only says what went wrong (no form: the request cannot go on). */
export function problemBody(title: string, message: string): string {
  return `<main><h1>${escapeHtml(title)}</h1><p class="error" role="alert">${escapeHtml(message)}</p></main>`;
}
