/**
 * The batching law: `vmap` of a function equals the function applied to each example, stacked.
 *
 * @category laws
 * @since 0.1.0
 */
import * as fc from 'fast-check'
import { isFloat } from '../src/ndarray/dtype'
import type { NdArray } from '../src/ndarray/NdArray'
import { moveBatchAxis } from '../src/core/batching'
import { flip, stack } from '../src/ops/layout'
import { vmap } from '../src/transforms/vmap'
import type { Law } from './derivatives'
import { data, describeProbe, LawViolation, probes } from './probe'

/** Batch size of the law's batches. */
const SIZE = 3

/**
 * Where each input's batch axis goes in one configuration (null: not batched), for inputs of
 * ranks `ranks`: all at 0; all at the last axis; every other one batched; only the first one;
 * only the last one (at its last axis).
 */
const configurations = (ranks: ReadonlyArray<number>): ReadonlyArray<ReadonlyArray<number | null>> => [
  ranks.map(() => 0),
  ranks.map((r) => r),
  ranks.map((_, i) => (i % 2 === 0 ? 0 : null)),
  ranks.map((_, i) => (i === 0 ? 0 : null)),
  ranks.map((r, i) => (i === ranks.length - 1 ? r : null)),
]

/**
 * **Batching.** For inputs batched along various axes (and some not batched at all), `vmap(f)`
 * equals `f` applied to every example, stacked along axis 0 — exactly for integer and bool
 * outputs, up to float64 roundoff for floats (a batched reduction may add in another order).
 * The examples differ (the middle one has every input flipped along all its axes), so a rule
 * that mixes up examples fails.
 *
 * @example
 * import * as fc from 'fast-check'
 * import { batching, ndarray } from 'wengert/laws'
 * import { exp, sum, type NdArray } from 'wengert'
 * assert.doesNotThrow(() => fc.assert(batching((x: NdArray) => sum(exp(x)), fc.tuple(ndarray())), { numRuns: 10 }))
 * @category laws
 * @since 0.1.0
 */
export const batching: Law = (target, instances) =>
  fc.property(probes(target, instances), (p) => {
    const inputs = p.instance.inputs
    const examples = [inputs, inputs.map((x) => (x.ndim === 0 ? x : flip(x))), inputs]
    for (const bdims of configurations(inputs.map((x) => x.ndim))) {
      const batched = inputs.map((x, i) => {
        const b = bdims[i]
        return b === null || b === undefined
          ? x
          : moveBatchAxis(stack(examples.map((e) => e[i] as NdArray)), 0, b, SIZE)
      })
      const want = stack(
        examples.map((e) => p.call(...inputs.map((x, i) => (bdims[i] === null ? x : (e[i] as NdArray))))),
      )
      const got = vmap(p.call, { inAxes: [...bdims], axisSize: SIZE })(...batched)
      const where = `inputs batched along axes (${bdims.map((b) => (b === null ? 'null' : String(b))).join(', ')})`
      if (got.dtype !== want.dtype || got.shape.join() !== want.shape.join()) {
        throw new LawViolation(
          'batching',
          describeProbe(p),
          `${where}: vmap gives ${got.dtype}[${got.shape.join(',')}], the stacked examples ${want.dtype}[${want.shape.join(',')}]`,
        )
      }
      const a = data(got)
      const b = data(want)
      const float = isFloat(got.dtype)
      a.forEach((v, k) => {
        const w = b[k] as number
        const ok = float
          ? (Number.isNaN(v) && Number.isNaN(w)) || v === w || Math.abs(v - w) <= 1e-9 * (1 + Math.abs(w))
          : v === w
        if (!ok)
          throw new LawViolation(
            'batching',
            describeProbe(p),
            `${where}: element ${k} is ${v} under vmap, ${w} from the stacked examples`,
          )
      })
    }
  })
