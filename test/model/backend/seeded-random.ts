/** Deterministic uniform values in [-1, 1) (mulberry32), so a failing case can be re-run as is. */
export function seededValues(count: number, seed: number): Float32Array {
  let state = seed >>> 0
  const values = new Float32Array(count)
  for (let i = 0; i < count; i++) {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    values[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1
  }
  return values
}
