/**
 * The CTC loss kernels, in float64 over plain arrays, following Graves, Fernández, Gomez and
 * Schmidhuber, "Connectionist Temporal Classification: Labelling Unsegmented Sequence Data with
 * Recurrent Neural Networks", ICML 2006 (https://www.cs.toronto.edu/~graves/icml_2006.pdf), in
 * log space. The target `l` of length L is extended with blanks to `l'` of length 2L+1
 * (blank, l₁, blank, l₂, …, blank). Forward: the α recursion (eqs. 6–7),
 * α_t(s) = (α_{t−1}(s) + α_{t−1}(s−1) + [l'_s ≠ l'_{s−2}]·α_{t−1}(s−2))·y_t(l'_s), and the loss
 * −log(α_{T−1}(2L) + α_{T−1}(2L−1)) (eq. 8). Backward: the β recursion (eqs. 10–11) and eq. 16,
 * γ_t(c) = Σ_{s: l'_s = c} α_t(s)β_t(s)/y_t(c); the gradient PyTorch returns for the
 * log-probabilities is `(exp(lp) − γ/p(l|x))·grad`, the gradient with respect to the logits when
 * `lp` is their log_softmax (its extra `exp(lp)` term vanishes through log_softmax's backward).
 * Log-sum-exps subtract the maximum, taken as 0 when it is −∞, as PyTorch's CPU kernel does, so
 * infeasible alignments give an infinite loss and NaN gradients (unless `zero_infinity`).
 *
 * @category torch
 * @since 0.2.0
 */

/** One CTC problem: log-probabilities `(T, N, C)` row-major, each batch entry's target and lengths. */
export interface CtcProblem {
  readonly T: number
  readonly N: number
  readonly C: number
  readonly lp: ArrayLike<number>
  readonly targets: ReadonlyArray<ReadonlyArray<number>>
  readonly inputLengths: ReadonlyArray<number>
  readonly blank: number
}

/** What the forward keeps for the backward: the loss and the log α table of each batch entry. */
export interface CtcForward {
  readonly nll: Float64Array
  readonly logAlpha: ReadonlyArray<Float64Array>
}

const NEG_INF = Number.NEGATIVE_INFINITY

/** log(e^a + e^b + e^c), the maximum taken as 0 when all are −∞ (then the result is −∞). */
const logSumExp3 = (a: number, b: number, c: number): number => {
  let m = Math.max(a, b, c)
  if (m === NEG_INF) m = 0
  return Math.log(Math.exp(a - m) + Math.exp(b - m) + Math.exp(c - m)) + m
}

/** log(e^a + e^b), accumulating into a log-space sum that starts at −∞. */
const logAddExp = (acc: number, v: number): number => {
  if (acc === NEG_INF) return v
  const m = Math.max(acc, v)
  return Math.log(Math.exp(acc - m) + Math.exp(v - m)) + m
}

/** l'_s: blank at even s, the target's (s−1)/2-th label at odd s. */
const prime = (target: ReadonlyArray<number>, s: number, blank: number): number =>
  s % 2 === 0 ? blank : (target[(s - 1) / 2] as number)

/** The log α table (input length × (2L+1)) of batch entry n, and its negative log-likelihood. */
const alphaOf = (p: CtcProblem, n: number): [Float64Array, number] => {
  const { N, C, lp, blank } = p
  const target = p.targets[n] as ReadonlyArray<number>
  const L = target.length
  const S = 2 * L + 1
  const Tn = p.inputLengths[n] as number
  const la = new Float64Array(Math.max(Tn, 0) * S).fill(NEG_INF)
  const y = (t: number, c: number): number => lp[(t * N + n) * C + c] as number
  if (Tn <= 0) return [la, L === 0 ? 0 : Number.POSITIVE_INFINITY]
  la[0] = y(0, blank)
  if (L > 0) la[1] = y(0, target[0] as number)
  for (let t = 1; t < Tn; t++) {
    const prev = (t - 1) * S
    for (let s = 0; s < S; s++) {
      const c = prime(target, s, blank)
      const a1 = la[prev + s] as number
      const a2 = s > 0 ? (la[prev + s - 1] as number) : NEG_INF
      const a3 = s > 1 && prime(target, s - 2, blank) !== c ? (la[prev + s - 2] as number) : NEG_INF
      la[t * S + s] = logSumExp3(a1, a2, a3) + y(t, c)
    }
  }
  const last = (Tn - 1) * S
  if (L === 0) return [la, -(la[last] as number)]
  const l1 = la[last + S - 1] as number
  const l2 = la[last + S - 2] as number
  let m = Math.max(l1, l2)
  if (m === NEG_INF) m = 0
  return [la, -(Math.log(Math.exp(l1 - m) + Math.exp(l2 - m)) + m)]
}

/** The negative log-likelihood of each batch entry, with the α tables for the backward. */
export const ctcForward = (p: CtcProblem): CtcForward => {
  const nll = new Float64Array(p.N)
  const logAlpha: Float64Array[] = []
  for (let n = 0; n < p.N; n++) {
    const [la, v] = alphaOf(p, n)
    nll[n] = v
    logAlpha.push(la)
  }
  return { nll, logAlpha }
}

/** The log β table of batch entry n (same layout as α). */
const betaOf = (p: CtcProblem, n: number): Float64Array => {
  const { N, C, lp, blank } = p
  const target = p.targets[n] as ReadonlyArray<number>
  const S = 2 * target.length + 1
  const Tn = p.inputLengths[n] as number
  const lb = new Float64Array(Math.max(Tn, 0) * S).fill(NEG_INF)
  if (Tn <= 0) return lb
  const y = (t: number, c: number): number => lp[(t * N + n) * C + c] as number
  const last = (Tn - 1) * S
  lb[last + S - 1] = y(Tn - 1, blank)
  if (S > 1) lb[last + S - 2] = y(Tn - 1, prime(target, S - 2, blank))
  for (let t = Tn - 2; t >= 0; t--) {
    const next = (t + 1) * S
    for (let s = S - 1; s >= 0; s--) {
      const c = prime(target, s, blank)
      const b1 = lb[next + s] as number
      const b2 = s < S - 1 ? (lb[next + s + 1] as number) : NEG_INF
      const b3 = s < S - 2 && prime(target, s + 2, blank) !== c ? (lb[next + s + 2] as number) : NEG_INF
      lb[t * S + s] = logSumExp3(b1, b2, b3) + y(t, c)
    }
  }
  return lb
}

/**
 * The gradient with respect to the log-probabilities `(T, N, C)` for output gradients `gOut`
 * (one per batch entry): PyTorch's `(exp(lp) − exp(log γ + nll − lp))·grad` for t below the
 * entry's input length, 0 after it; all 0 for an infinite loss with `zeroInfinity`.
 */
export const ctcBackward = (
  p: CtcProblem,
  fwd: CtcForward,
  gOut: ArrayLike<number>,
  zeroInfinity: boolean,
): Float64Array => {
  const { T, N, C, lp, blank } = p
  const grad = new Float64Array(T * N * C)
  const lcab = new Float64Array(C)
  for (let n = 0; n < N; n++) {
    const nll = fwd.nll[n] as number
    const Tn = p.inputLengths[n] as number
    if ((zeroInfinity && nll === Number.POSITIVE_INFINITY) || Tn <= 0) continue
    const target = p.targets[n] as ReadonlyArray<number>
    const S = 2 * target.length + 1
    const la = fwd.logAlpha[n] as Float64Array
    const lb = betaOf(p, n)
    const gr = gOut[n] as number
    for (let t = 0; t < Tn; t++) {
      lcab.fill(NEG_INF)
      for (let s = 0; s < S; s++) {
        const c = prime(target, s, blank)
        lcab[c] = logAddExp(lcab[c] as number, (la[t * S + s] as number) + (lb[t * S + s] as number))
      }
      for (let c = 0; c < C; c++) {
        const i = (t * N + n) * C + c
        const l = lp[i] as number
        grad[i] = (Math.exp(l) - Math.exp((lcab[c] as number) + nll - l)) * gr
      }
    }
  }
  return grad
}
