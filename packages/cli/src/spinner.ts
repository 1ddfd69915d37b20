// A spinner on stderr for slow calls: only on a TTY (never in pipes, logs or --json consumers'
// captured stderr), and only after a delay so fast calls print nothing at all.
import { safeText } from "@simcel/commands";
import type { OutStream } from "./style.js";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** Options of {@link withSpinner}. */
export interface SpinnerOptions {
  /** Show the spinner only if the call is still running after this many ms. Default 300. */
  delayMs?: number;
  /** Frame interval in ms. Default 80. */
  intervalMs?: number;
}

/** Runs `task`, showing `label` with a spinner on `stream` while it takes longer than the delay. */
export async function withSpinner<T>(
  stream: OutStream,
  label: string,
  task: () => Promise<T>,
  options: SpinnerOptions = {},
): Promise<T> {
  if (stream.isTTY !== true) return task();
  // the spinner's own \r and erase sequence are the only controls it writes; a label may name API data
  const text = safeText(label);
  let frame = 0;
  let shown = false;
  let interval: ReturnType<typeof setInterval> | undefined;
  const draw = () => {
    shown = true;
    stream.write(`\r${FRAMES[frame++ % FRAMES.length]} ${text}`);
  };
  const delay = setTimeout(() => {
    draw();
    interval = setInterval(draw, options.intervalMs ?? 80);
  }, options.delayMs ?? 300);
  try {
    return await task();
  } finally {
    clearTimeout(delay);
    clearInterval(interval);
    // Erase the spinner line so the result (or error line) starts clean.
    if (shown) stream.write("\r\x1b[K");
  }
}
