// The host side of an MCP App for the browser test: ext-apps' own AppBridge (what a host such as Claude or VS Code
// runs), bundled by the test with esbuild. `window.showApp` puts the app page in a sandboxed iframe (srcdoc, scripts
// only, no same origin), answers its handshake with a theme, sends it a tool result and follows its size.
import { AppBridge, PostMessageTransport } from "@modelcontextprotocol/ext-apps/app-bridge";

declare global {
  interface Window {
    showApp(html: string, result: Record<string, unknown>, theme: "light" | "dark"): Promise<void>;
  }
}

window.showApp = async (html, result, theme) => {
  const iframe = document.createElement("iframe");
  iframe.setAttribute("sandbox", "allow-scripts");
  iframe.style.cssText = "width: 760px; height: 200px; border: 1px solid #999; display: block; margin: 8px;";
  iframe.srcdoc = html;
  document.body.append(iframe);
  const bridge = new AppBridge(null, { name: "simcel-test-host", version: "0.0.0" }, {}, { hostContext: { theme } });
  bridge.onsizechange = ({ height }) => {
    if (height) iframe.style.height = `${height}px`;
  };
  const initialized = new Promise<void>((done) => {
    bridge.oninitialized = () => done();
  });
  await bridge.connect(new PostMessageTransport(iframe.contentWindow!, iframe.contentWindow!));
  await initialized;
  await bridge.sendToolResult(result as Parameters<AppBridge["sendToolResult"]>[0]);
};
