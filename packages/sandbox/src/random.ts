// The sandbox's one source of chance: a small seeded generator (mulberry32), so the same seed gives the same
// plans, figures, ids, keys and probabilistic faults on every machine and every run.

/** A generator of numbers in [0, 1), seeded. */
export type Random = () => number;

/** mulberry32: 32 bits of state, fast, and good enough for figures and fault draws (not for secrets). */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed for one named part of the world (`plan 2`, `keys`), so adding a part never shifts another's figures. */
export function derive(seed: number, label: string): number {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** A normal draw (Box–Muller), mean 0 and deviation 1. */
export function normal(random: Random): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

const ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** `length` characters of an unambiguous alphabet (no 0/O, 1/l/I): ids people read aloud. */
export function token(random: Random, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return out;
}
