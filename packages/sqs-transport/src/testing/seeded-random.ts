import type { RandomSource } from '../clock.js';

/**
 * A deterministic pseudo-random sequence in [0, 1) (mulberry32): the same `seed` gives the same sequence, so a test
 * or a chaos run that draws from it can be replayed. `seed` is taken as an unsigned 32-bit integer.
 */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
