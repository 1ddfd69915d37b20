// A stream the in-process CLI (`run()`) writes to in tests: it keeps what was written.
export function sink(isTTY = false) {
  let text = "";
  return {
    isTTY,
    write: (chunk: string) => {
      text += chunk;
      return true;
    },
    get text() {
      return text;
    },
  };
}
