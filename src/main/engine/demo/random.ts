// The demo's deterministic randomness: one seeded generator drives every choice, so that a seed
// always writes the same home, byte for byte; and ids shaped as codex makes them.

/** Deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(r: () => number, a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
export const hex = (r: () => number, n: number): string => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');

/** A UUIDv7 whose time part is `ms` (as codex's ids are). */
export function uuidV7(ms: number, r: () => number): string {
  const t = Math.floor(ms).toString(16).padStart(12, '0');
  const variant = (8 + Math.floor(r() * 4)).toString(16);
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${hex(r, 3)}-${variant}${hex(r, 3)}-${hex(r, 12)}`;
}

export function uuidV4(r: () => number): string {
  const variant = (8 + Math.floor(r() * 4)).toString(16);
  return `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-${variant}${hex(r, 3)}-${hex(r, 12)}`;
}
