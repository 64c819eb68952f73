/**
 * The `fft` program kind of seeds DIST_SEED to DIST_END (generate.ts): `torch.fft` as spectral
 * layers use it — one transform (fft, ifft, rfft, irfft, fft2, rfftn, irfftn, hfft, ihfft) of a
 * real leaf or of `torch.complex(re, im)` of two leaves, with `n`/`s`, `dim` and `norm` drawn,
 * its real part, imaginary part and magnitude recorded (complex tensors are never recorded whole),
 * its angle after a fixed complex offset (so no bin sits at the origin, where the angle and the
 * magnitude's gradient are rounding noise), fftshift/ifftshift of a result, fftfreq/rfftfreq,
 * and a backward through a sum of them; one program in ten ends in an argument error instead.
 * Input values: multiples of 1/64 in [-2, 2] (a finer grid than the other kinds', so that exact
 * cancellations in a bin are rare); lengths 3–7, batches of 2–3 rows.
 */
import type { Arg } from './program'
import { type Gen, call, f, i, ints, v } from './gen-state'
import { tensorOf } from './gen-dist-fam'

const F = 'torch.fft'
const numel = (s: ReadonlyArray<number>): number => s.reduce((a, b) => a * b, 1)

const leaf = (g: Gen, shape: ReadonlyArray<number>, rg: boolean): string =>
  tensorOf(
    g,
    Array.from({ length: numel(shape) }, () => g.rng.int(-128, 128) / 64),
    shape,
    rg,
  )

const float = (g: Gen, op: string, x: Parameters<Gen['let']>[1], rg: boolean, rec = true): string => {
  const [n] = g.let(op, x, { shape: [], dtype: g.dt, rg, leaf: !rg })
  if (rec) g.rec(n as string)
  return n as string
}

/** Transforms: [name, input ('real' | 'complex' | 'either'), output complex?, multi-dimensional?]. */
const OPS: ReadonlyArray<readonly [number, readonly [string, string, boolean, boolean]]> = [
  [4, ['fft', 'either', true, false]],
  [3, ['ifft', 'either', true, false]],
  [4, ['rfft', 'real', true, false]],
  [3, ['irfft', 'either', false, false]],
  [2, ['hfft', 'either', false, false]],
  [2, ['ihfft', 'real', true, false]],
  [3, ['fft2', 'either', true, true]],
  [2, ['rfftn', 'real', true, true]],
  [2, ['irfftn', 'complex', false, true]],
]

/** The `fft` kind: see the header. */
export const fftProgram = (g: Gen): void => {
  const [name, input, cplx, multi] = g.rng.weighted(OPS)
  const rank = multi ? 2 : g.rng.int(1, 2)
  const shape = rank === 1 ? [g.rng.int(3, 7)] : [g.rng.int(2, 3), g.rng.int(3, 6)]
  const x = leaf(g, shape, true)
  let src = x
  if (input === 'complex' || (input === 'either' && g.rng.chance(0.5))) {
    const y = leaf(g, shape, g.rng.chance(0.7))
    src = float(g, 'complex', call('torch', 'complex', [v(x), v(y)]), true, false)
  }
  const kw: Array<readonly [string, Arg]> = []
  if (multi) {
    if (g.rng.chance(0.4)) kw.push(['s', ints(shape.map((d) => d + g.rng.int(-1, 2)))])
    if (g.rng.chance(0.3)) kw.push(['dim', ints([0, 1])])
  } else {
    if (g.rng.chance(0.4)) kw.push(['n', i(g.rng.int(2, 8))])
    if (rank === 2 && g.rng.chance(0.5)) kw.push(['dim', i(g.rng.pick([0, -1]))])
  }
  if (g.rng.chance(0.6)) kw.push(['norm', { t: 'str', v: g.rng.pick(['backward', 'forward', 'ortho']) }])
  if (g.rng.chance(0.1)) return fftError(g, name, src, rank)
  const y = float(g, name, call(F, name, [v(src)], kw), true, !cplx)
  const parts: string[] = []
  if (cplx) {
    for (const fn of ['real', 'imag']) if (g.rng.chance(0.7)) parts.push(float(g, fn, call('torch', fn, [v(y)]), true))
    if (g.rng.chance(0.5)) {
      const c = float(
        g,
        'complex',
        call('torch', 'complex', [v(tensorOf(g, [0.3], [], false)), v(tensorOf(g, [-0.7], [], false))]),
        false,
        false,
      )
      const off = float(g, 'add', call(y, 'add', [v(c)]), true, false)
      const fn = g.rng.pick(['abs', 'angle'])
      parts.push(float(g, fn, call(off, fn), true))
    } else if (g.rng.chance(0.3)) float(g, 'abs', call(y, 'abs'), true)
    if (parts.length === 0) parts.push(float(g, 'real', call('torch', 'real', [v(y)]), true))
  } else parts.push(y)
  if (g.rng.chance(0.3)) {
    const sh = g.rng.pick(['fftshift', 'ifftshift'])
    const dim: Array<readonly [string, Arg]> = rank === 2 && g.rng.chance(0.5) ? [['dim', i(g.rng.pick([0, 1]))]] : []
    parts.push(float(g, sh, call(F, sh, [v(parts[0] as string)], dim), true))
  }
  if (g.rng.chance(0.25)) {
    const fr = g.rng.pick(['fftfreq', 'rfftfreq'])
    const fkw: Array<readonly [string, Arg]> = []
    if (g.rng.chance(0.5)) fkw.push(['d', f(g.rng.pick([0.5, 2, 0.1]))])
    if (g.rng.chance(0.5)) fkw.push(['dtype', { t: 'dtype', v: g.dt }])
    float(g, fr, call(F, fr, [i(g.rng.int(1, 8))], fkw), false)
  }
  let [s] = g.let('sum', call(parts[0] as string, 'sum'), { shape: [], dtype: g.dt, rg: true, leaf: false })
  for (const p of parts.slice(1))
    [s] = g.let(
      'add',
      call(s as string, 'add', [{ t: 'expr', v: call(`${p}.mul(${g.rng.pick(['0.5', '-1.5', '2'])})`, 'sum') }]),
      {
        shape: [],
        dtype: g.dt,
        rg: true,
        leaf: false,
      },
    )
  g.rec(s as string)
  g.run('backward', call(s as string, 'backward'))
}

/** An invalid argument: a bad norm, a non-positive n, a dim out of range. */
const fftError = (g: Gen, name: string, src: string, rank: number): void => {
  const multi = name === 'fft2' || name === 'rfftn' || name === 'irfftn'
  const bad = g.rng.pick(['norm', 'n', 'dim'])
  const kw: Array<readonly [string, Arg]> =
    bad === 'norm'
      ? [['norm', { t: 'str', v: 'sum' }]]
      : bad === 'n'
        ? [[multi ? 's' : 'n', multi ? ints([0, 2]) : i(g.rng.pick([0, -1]))]]
        : [['dim', multi ? ints([0, rank + 1]) : i(rank + 1)]]
  float(g, `${name}(invalid)`, call(F, name, [v(src)], kw), false)
}
