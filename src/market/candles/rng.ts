/**
 * Seeded pseudo-random numbers for the synthetic market. Hand-written (sfc32, seeded through splitmix32)
 * because the generated candles must be identical on every machine and Node version: Math.random cannot
 * be seeded. The synthetic market uses only operations whose results are fixed by IEEE 754 (32-bit
 * integer ops, + - * /, sqrt, toFixed), never Math.log, exp, pow or cos, whose last bits ECMAScript
 * leaves to the implementation.
 */
export interface Rng {
  /** Uniform in [0, 1), 32 bits of resolution. */
  next(): number;
  /** Approximately standard normal: mean 0, variance 1, bounded to ±6 (Irwin-Hall, 12 uniforms). */
  normal(): number;
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
}

export function createRng(seed: number | string): Rng {
  let s = typeof seed === 'string' ? hashString(seed) : seed >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // Discard the first outputs: sfc32 mixes its state over its first few rounds.
  for (let i = 0; i < 12; i++) next();
  return {
    next,
    normal: () => {
      let sum = 0;
      for (let i = 0; i < 12; i++) sum += next();
      return sum - 6;
    },
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
  };
}

/** FNV-1a, for deriving independent streams from a seed and a name (e.g. one per symbol). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
