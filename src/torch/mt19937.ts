/**
 * The 32-bit Mersenne Twister (Matsumoto & Nishimura, "Mersenne Twister: a 623-dimensionally
 * equidistributed uniform pseudo-random number generator", ACM TOMACS 8(1), 1998), seeded and
 * drawn the way PyTorch's CPU generator does: the seed's low 32 bits seed the standard
 * initialisation, `random()` is one tempered 32-bit word and `random64()` is two words, the first
 * as the high half. The generator also keeps PyTorch's cached second Box–Muller sample, which a
 * reseed clears. With these, the facade's samplers reproduce PyTorch's CPU numbers for a seed.
 *
 * @category torch
 * @since 0.2.0
 */

const N = 624
const M = 397
const UPPER = 0x80000000
const LOWER = 0x7fffffff
const MATRIX_A = 0x9908b0df

/** A Mersenne Twister stream with PyTorch's seeding and draws. */
export class MT19937 {
  private readonly state = new Uint32Array(N)
  private next = 0
  /** True from seeding until the first twist (PyTorch's saved position is then 0, not 624). */
  private untwisted = true
  /** The cached second sample of the last Box–Muller pair drawn in double precision, or null. */
  nextDoubleNormal: number | null = null

  constructor(seed: number) {
    this.reseed(seed)
  }

  /** Restarts the stream from `seed` (an integer; its low 32 bits, two's complement for negatives). */
  reseed(seed: number): void {
    const s = this.state
    s[0] = Number(BigInt.asUintN(32, BigInt(seed)))
    for (let j = 1; j < N; j++) {
      const prev = s[j - 1] as number
      const x = (prev ^ (prev >>> 30)) >>> 0
      // 1812433253 · x + j modulo 2³², split so that no product exceeds 2⁵³
      s[j] = ((((x & 0xffff0000) >>> 16) * 1812433253) << 16) + (x & 0x0000ffff) * 1812433253 + j
    }
    this.next = N
    this.untwisted = true
    this.nextDoubleNormal = null
  }

  private twist(): void {
    const s = this.state
    for (let k = 0; k < N; k++) {
      const y = ((s[k] as number) & UPPER) | ((s[(k + 1) % N] as number) & LOWER)
      s[k] = (s[(k + M) % N] as number) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0)
    }
    this.next = 0
    this.untwisted = false
  }

  /** One tempered 32-bit word, as an unsigned number. */
  random(): number {
    if (this.next >= N) this.twist()
    let y = this.state[this.next++] as number
    y ^= y >>> 11
    y ^= (y << 7) & 0x9d2c5680
    y ^= (y << 15) & 0xefc60000
    y ^= y >>> 18
    return y >>> 0
  }

  /** The low 53 bits of `random64()` (high word first), as an exact number: a double's mantissa. */
  random53(): number {
    const hi = this.random()
    const lo = this.random()
    return (hi & 0x1fffff) * 4294967296 + lo
  }

  /** `random64()` (high word first) as a bigint, for draws that need all 64 bits. */
  random64(): bigint {
    const hi = this.random()
    const lo = this.random()
    return (BigInt(hi) << 32n) | BigInt(lo)
  }

  /**
   * The stream's full state, for saving: the 624 words, the position (0 when freshly seeded,
   * else the number of words read since the last twist) and the cached normal.
   */
  snapshot(): { readonly words: Uint32Array; readonly next: number; readonly nextDoubleNormal: number | null } {
    return { words: this.state.slice(), next: this.untwisted ? 0 : this.next, nextDoubleNormal: this.nextDoubleNormal }
  }

  /** Restores a `snapshot()`. */
  restore(snap: {
    readonly words: Uint32Array
    readonly next: number
    readonly nextDoubleNormal: number | null
  }): void {
    this.state.set(snap.words)
    this.untwisted = snap.next === 0
    this.next = snap.next === 0 ? N : snap.next
    this.nextDoubleNormal = snap.nextDoubleNormal
  }
}
