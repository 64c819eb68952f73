/**
 * User classes as pytree nodes (registerPytreeNode, registerPytreeWithKeys, registerDataclass,
 * registerStatic): flattened and rebuilt by tree functions and every transform. Expected values
 * are closed-form derivatives of the small functions used.
 */
import { describe, expect, it } from 'vitest'
import {
  add,
  array,
  customVjp,
  grad,
  jit,
  jvp,
  lax,
  mul,
  NdArray,
  sin,
  sum,
  tree,
  TreeMismatchError,
  ValueError,
  vjp,
  vmap,
} from '../../src/index'

const f64 = (v: number | number[]): NdArray => array(v, { dtype: 'float64' })

class Point {
  constructor(
    readonly x: NdArray,
    readonly y: NdArray,
  ) {}
}
tree.registerPytreeNode(
  Point,
  (p) => [[p.x, p.y], null],
  (_aux, [x, y]) => new Point(x, y),
)

class Params {
  w!: NdArray
  b!: NdArray
  act!: string
  scale!: number
}
tree.registerDataclass(Params, ['w', 'b'], ['act', 'scale'])
const params = (w: NdArray, b: NdArray, act: string, scale: number): Params =>
  Object.assign(new Params(), { w, b, act, scale })

class Config {
  constructor(readonly depth: number) {}
}
tree.registerStatic(Config)

describe('tree functions on registered classes', () => {
  const p = new Point(f64([1, 2]), f64(3))

  it('flatten/unflatten/leaves/structure/map go through the registration', () => {
    const [ls, def] = tree.flatten({ p, n: 4 })
    expect(ls).toEqual([p.x, p.y, 4])
    expect(tree.describe(def)).toBe('{p: Point(*, *), n: *}')
    const back = tree.unflatten(def, ['a', 'b', 'c']) as { p: Point }
    expect(back.p).toBeInstanceOf(Point)
    expect(back.p.x).toBe('a')
    const doubled = tree.map((v) => mul(v, 2), p)
    expect(doubled).toBeInstanceOf(Point)
    expect(doubled.x.toArray()).toEqual([2, 4])
    expect(tree.leaves(doubled).length).toBe(2)
  })

  it('static (meta) fields are in the structure, data fields are leaves', () => {
    const a = params(f64([1]), f64(0), 'relu', 2)
    const [ls, def] = tree.flatten(a)
    expect(ls).toEqual([a.w, a.b])
    expect(tree.describe(def)).toBe('Params[a[s"relu",n2]](*, *)')
    const rebuilt = tree.unflatten(def, [f64([5]), f64(6)]) as Params
    expect(rebuilt).toBeInstanceOf(Params)
    expect([rebuilt.act, rebuilt.scale]).toEqual(['relu', 2])
    const other = tree.structure(params(f64([1]), f64(0), 'tanh', 2))
    expect(tree.sameStructure(def, other)).toBe(false)
    expect(tree.structureKey(def)).not.toBe(tree.structureKey(other))
    expect(tree.sameStructure(def, tree.structure(params(f64([9]), f64(9), 'relu', 2)))).toBe(true)
    expect(() => tree.map((u, v) => [u, v], a, params(f64([1]), f64(0), 'tanh', 2))).toThrow(TreeMismatchError)
  })

  it('static classes have no leaves and pass through untouched', () => {
    const c = new Config(3)
    expect(tree.leaves({ c, v: 1 })).toEqual([1])
    expect(tree.map((v) => v, { c }).c).toBe(c)
    expect(tree.sameStructure(tree.structure(c), tree.structure(new Config(3)))).toBe(false)
  })

  it('paths: FlattenedIndexKey for registerPytreeNode, GetAttrKey for dataclasses', () => {
    const names = tree.leavesWithPath({ p, q: params(f64([1]), f64(0), 'relu', 1) }).map(([k]) => tree.keystr(k))
    expect(names).toEqual(["['p'][<flat index 0>]", "['p'][<flat index 1>]", "['q'].w", "['q'].b"])
  })

  it('registration errors: twice, built-in classes, malformed flatten results', () => {
    expect(() =>
      tree.registerPytreeNode(
        Point,
        (q) => [[q.x], null],
        () => p,
      ),
    ).toThrow(new ValueError('registerPytreeNode: Duplicate custom pytree node registration for class Point'))
    expect(() => tree.registerStatic(NdArray)).toThrow(/NdArray is built in/)
    class Bad {}
    tree.registerPytreeNode(
      Bad,
      () => [null as unknown as [], null],
      () => new Bad(),
    )
    expect(() => tree.leaves(new Bad())).toThrow('the flatten function of Bad must return its children as an array')
    class Dup {
      a = 1
    }
    expect(() => tree.registerDataclass(Dup, ['a'], ['a'])).toThrow("the field 'a' of Dup is listed twice")
  })
})

describe('transforms on registered classes', () => {
  // f(p) = Σ sin(x)·y: ∂/∂x = cos(x)·y, ∂/∂y = Σ sin(x)
  const f = (p: Point): NdArray => sum(mul(sin(p.x), p.y))
  const p = new Point(f64([0.5, 1.5]), f64(2))

  it('grad and vjp return the gradient as a Point', () => {
    const g = grad(f)(p) as unknown as Point
    expect(g).toBeInstanceOf(Point)
    expect(g.x.toArray()).toEqual([Math.cos(0.5) * 2, Math.cos(1.5) * 2])
    expect(g.y.item()).toBeCloseTo(Math.sin(0.5) + Math.sin(1.5), 14)
    const [y, back] = vjp((q: Point) => new Point(mul(q.x, 3), q.y), p)
    expect(y).toBeInstanceOf(Point)
    const [ct] = back(new Point(f64([1, 1]), f64(1))) as unknown as [Point]
    expect(ct.x.toArray()).toEqual([3, 3])
  })

  it('jvp takes Point tangents and returns Point outputs', () => {
    const [out, t] = jvp((q: Point) => new Point(sin(q.x), q.y), [p], [new Point(f64([1, 0]), f64(0))])
    expect(out).toBeInstanceOf(Point)
    expect(t.x.toArray()).toEqual([Math.cos(0.5), 0])
  })

  it('vmap maps over the leaves of a Point, with a Point-shaped inAxes', () => {
    const ps = new Point(f64([1, 2, 3]), f64([4, 5, 6]))
    const r = vmap((q: Point) => new Point(add(q.x, q.y), q.y))(ps)
    expect(r).toBeInstanceOf(Point)
    expect(r.x.toArray()).toEqual([5, 7, 9])
    const spec = new Point(0 as unknown as NdArray, null as unknown as NdArray)
    const s = vmap((q: Point) => add(q.x, q.y), { inAxes: [spec] as never })(new Point(f64([1, 2]), f64(10)))
    expect(s.toArray()).toEqual([11, 12])
  })

  it('jit: Point arguments and results; a changed static field retraces, a changed value does not', () => {
    let traces = 0
    const g = jit((q: Params) => {
      traces++
      return new Point(mul(add(q.w, q.b), q.scale), q.b)
    })
    const r = g(params(f64([1, 2]), f64(1), 'relu', 2))
    expect(r).toBeInstanceOf(Point)
    expect(r.x.toArray()).toEqual([4, 6])
    g(params(f64([3, 4]), f64(0), 'relu', 2))
    expect(traces).toBe(1)
    const again = g(params(f64([3, 4]), f64(0), 'relu', 5))
    expect(traces).toBe(2)
    expect(again.x.toArray()).toEqual([15, 20])
    g(params(f64([3, 4]), f64(0), 'tanh', 5))
    expect(traces).toBe(3)
  })

  it('customVjp takes and returns registered classes (a rule scaled by 2 for x, to see it is used)', () => {
    const h = customVjp(
      (q: Point) => sum(mul(q.x, q.y)),
      (q: Point) => [sum(mul(q.x, q.y)), q] as const,
      (q: Point, gbar: NdArray) => [new Point(mul(add(mul(q.x, 0), mul(q.y, 2)), gbar), mul(sum(q.x), gbar))],
    )
    const g = grad(h)(new Point(f64([1, 2]), f64(3))) as unknown as Point
    expect(g).toBeInstanceOf(Point)
    expect(g.x.toArray()).toEqual([6, 6])
    expect(g.y.item()).toBe(3)
  })

  it('lax.scan carries a registered class', () => {
    const [carry, ys] = lax.scan(
      (c: Point, x: NdArray) => [new Point(add(c.x, x), mul(c.y, 2)), c.y] as const,
      new Point(f64(0), f64(1)),
      f64([1, 2, 3]),
    )
    expect(carry).toBeInstanceOf(Point)
    expect(carry.x.item()).toBe(6)
    expect(carry.y.item()).toBe(8)
    expect(ys.toArray()).toEqual([1, 2, 4])
  })

  it('an unregistered class instance is a leaf, and transforms name the class and suggest registering', () => {
    class Loose {
      constructor(readonly x: NdArray) {}
    }
    const q = new Loose(f64(1))
    expect(tree.leaves({ q })).toEqual([q])
    expect(() => grad((u: Loose) => sum(u.x))(q)).toThrow(
      'grad: argument 0 of type object is not a valid JAX type: it must be an array or a number, got Loose (an instance of a class that is not a registered pytree node: register it with tree.registerPytreeNode, tree.registerDataclass or tree.registerStatic)',
    )
    expect(() => vmap((u: Loose) => u.x)(q)).toThrow(
      /but it is a Loose \(an instance of a class that is not a registered/,
    )
  })
})

describe('tree.transpose and paths', () => {
  it('transpose swaps outer and inner levels, and checks the structure', () => {
    const outer = tree.structure([0, 0, 0])
    const inner = tree.structure({ a: 0, b: [0] })
    const t = [
      { a: 1, b: [2] },
      { a: 3, b: [4] },
      { a: 5, b: [6] },
    ]
    expect(tree.transpose(outer, inner, t)).toEqual({ a: [1, 3, 5], b: [[2, 4, 6]] })
    expect(() => tree.transpose(outer, inner, [{ a: 1, b: [2] }])).toThrow(TreeMismatchError)
    const pts = [new Point(f64(1), f64(2)), new Point(f64(3), f64(4))]
    const tp = tree.transpose(tree.structure([0, 0]), tree.structure(pts[0]), pts) as Point
    expect(tp).toBeInstanceOf(Point)
    expect((tp.x as unknown as NdArray[]).map((v) => v.item())).toEqual([1, 3])
  })

  it('mapWithPath passes each leaf its path; keystr writes it as JAX does', () => {
    const out = tree.mapWithPath(
      (path, v, w) => `${tree.keystr(path)}:${String(v)}${String(w)}`,
      [{ k: 1 }],
      [{ k: 2 }],
    )
    expect(out).toEqual([{ k: "[0]['k']:12" }])
    const [path] = tree.flattenWithPath({ "it's": [{ x: 0 }] })[0][0] ?? []
    expect(tree.keystr(path!)).toBe("['it\\'s'][0]['x']")
    expect(tree.keystr(path!, { simple: true, separator: '/' })).toBe("it's/0/x")
    expect(tree.keyPaths(tree.structure(5))).toEqual([[]])
  })
})
