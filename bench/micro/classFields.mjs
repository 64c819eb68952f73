// Construction cost of a three-level class chain (NdArray → Tracer → TapeTracer) by how the
// classes declare their fields: class fields (define semantics) or constructor assignments only,
// in the base and in the subclasses, with and without the `name` redefinition that loaders with
// keepNames (tsx) add to every class. Why NdArray and Var assign their fields in the constructor
// while their subclasses keep class fields (issue 18, W3).
//   node bench/micro/classFields.mjs [--rounds=5] [--n=2000000]
import { opt } from './benchCommon.mjs'

const rounds = Number(opt('rounds', '5'))
const n = Number(opt('n', '2000000'))
const setName = (target, value) => Object.defineProperty(target, 'name', { value, configurable: true })

/** The leaf class of one variant, built from source so each variant has its own classes. */
const chain = (keepNames, baseFields, subFields) => {
  const named = (c) => (keepNames ? `static { setName(this, '${c}') }` : '')
  return new Function(
    'setName',
    `class Base { ${named('Base')} ${baseFields ? 'shape; size;' : ''}
       constructor(s, n) { this.shape = s; this.size = n } }
     class Tr extends Base { ${named('Tr')} ${subFields ? '_level;' : ''}
       constructor(l, p) { super(p.shape, p.size); this._level = l } }
     class TT extends Tr { ${named('TT')} ${subFields ? 'primal; variable;' : ''}
       constructor(l, p, v) { super(l, p); this.primal = p; this.variable = v } }
     return TT`,
  )(setName)
}

const cells = []
for (const kn of [false, true])
  for (const [bf, sf] of [
    [true, true],
    [false, true],
    [false, false],
  ]) {
    const C = chain(kn, bf, sf)
    const p = { shape: [], size: 1 }
    let keep
    const label = `${kn ? 'keepNames' : 'plain    '} base ${bf ? 'fields' : 'assign'} subclasses ${sf ? 'fields' : 'assign'}`
    cells.push([
      label,
      () => {
        for (let i = 0; i < n; i++) keep = new C(1, p, i)
        return keep
      },
    ])
  }
const best = {}
for (let r = 0; r < rounds; r++)
  for (const [k, f] of cells) {
    const t0 = performance.now()
    f()
    best[k] = Math.min(best[k] ?? Infinity, ((performance.now() - t0) * 1e6) / n)
  }
for (const [k, v] of Object.entries(best)) console.log(`${k}: min ${v.toFixed(1)} ns per object`)
