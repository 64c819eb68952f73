/**
 * Explained differences of the dist kind (gen-dist.ts, seeds 440000–441999), where the facade
 * follows PyTorch 2.x: D101 (multinomial drawing one sample with replacement, the draw behind
 * Categorical.sample and OneHotCategorical.sample of a single sample).
 */
import type { Difference } from './compare'
import type { Arg, Program, Stmt } from './program'

const D101 =
  "D101 torch.multinomial(probs, 1, replacement=True) — Categorical/OneHotCategorical.sample() of one sample: 1.13 takes the cumulative-distribution path (one double uniform per row, binary search); 2.x (followed by the facade, src/torch/rngKernels.ts multinomialDraw) takes the no-replacement fast path for n_sample == 1 too (Distributions.cpp multinomial_out: 'if (!with_replacement || n_sample == 1)', exponential_ keys and argmax), so the categories drawn and the generator's state after them differ"

const CATEGORICAL = /^(OneHot)?Categorical$/

const flat = (ss: ReadonlyArray<Stmt>): Stmt[] =>
  ss.flatMap((s) => (s.s === 'nograd' || s.s === 'with' ? [s, ...flat(s.body)] : [s]))

/** The number of samples a sample_shape argument asks for (1 for none). */
const count = (args: ReadonlyArray<Arg>): number => {
  const a = args[0]
  if (a === undefined) return 1
  if (a.t !== 'tuple' && a.t !== 'list') return Number.NaN
  return a.v.reduce((p, x) => p * (x.t === 'i' ? x.v : Number.NaN), 1)
}

/** True when the program samples one draw of a categorical distribution (directly or under Independent). */
const oneCategoricalDraw = (prog: Program): boolean => {
  const body = flat(prog.body)
  const cat = new Set<string>()
  for (const s of body) {
    if (s.s !== 'let' || typeof s.out !== 'string' || s.x.e !== 'call' || s.x.recv !== 'torch.distributions') continue
    const base = s.x.args[0]
    if (CATEGORICAL.test(s.x.name) || (s.x.name === 'Independent' && base?.t === 'v' && cat.has(base.v))) cat.add(s.out)
  }
  return body.some(
    (s) => s.s === 'let' && s.x.e === 'call' && s.x.name === 'sample' && cat.has(s.x.recv) && count(s.x.args) === 1,
  )
}

/** The D-number reason of a dist-kind difference, or null. */
export const distVersion = (d: Difference, prog?: Program): string | null => {
  if (prog !== undefined && d.key === 'values @ sample' && oneCategoricalDraw(prog)) return D101
  return null
}
