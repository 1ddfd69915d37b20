// Types of install-once.mjs.
export function installOnce(prefix: string, marker: string, install: (dir: string) => void): string;
