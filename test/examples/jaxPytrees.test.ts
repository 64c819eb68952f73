/**
 * JAX's "Working with pytrees" tutorial ported to tree/jit/grad: leaves of the example trees,
 * tree.map over one and several trees, an MLP's parameter shapes and an SGD step mapped over
 * them, a custom container registered with flatten/unflatten, None as an empty node, the
 * shape-as-tree pitfall, transposing a list of trees (by map and by tree.transpose) and key
 * paths. Expected values are the document's printed outputs.
 */
import { describe, expect, it } from 'vitest'
import { add, array, dot, grad, jit, mean, mul, nn, ones, random, square, sub, tree, type NdArray } from 'wengert'

describe('JAX tutorial: Working with pytrees', () => {
  it('leaves of the example trees (strings and objects are leaves, () has none)', () => {
    class Opaque {}
    const o = new Opaque()
    const exampleTrees: unknown[] = [
      [1, 'a', o],
      [1, [2, 3], []],
      [1, { k1: 2, k2: [3, 4] }, 5],
      { a: 2, b: [2, 3] },
      array([1, 2, 3]),
    ]
    const counts = exampleTrees.map((t) => tree.leaves(t).length)
    expect(counts).toEqual([3, 3, 5, 3, 1])
    expect(tree.leaves([1, 'a', o])).toEqual([1, 'a', o])
    expect(tree.leaves({ a: 2, b: [2, 3] })).toEqual([2, 2, 3])
  })

  it('tree.map over one tree and over two', () => {
    const listOfLists = [
      [1, 2, 3],
      [1, 2],
      [1, 2, 3, 4],
    ]
    expect(tree.map((x: number) => x * 2, listOfLists)).toEqual([
      [2, 4, 6],
      [2, 4],
      [2, 4, 6, 8],
    ])
    const another = listOfLists
    expect(tree.map((x: number, y: number) => x + y, listOfLists, another)).toEqual([
      [2, 4, 6],
      [2, 4],
      [2, 4, 6, 8],
    ])
  })

  it('MLP params: shapes by tree.map, an SGD update mapped over params and grads', () => {
    type Layer = { weights: NdArray; biases: NdArray }
    const initMlpParams = (layerWidths: number[]): Layer[] => {
      const params: Layer[] = []
      let key = random.key(0)
      layerWidths.slice(0, -1).forEach((nIn, i) => {
        const nOut = layerWidths[i + 1] as number
        const [k1, k2] = random.split(key) as unknown as [NdArray, NdArray]
        key = k2
        params.push({ weights: mul(random.normal(k1, [nIn, nOut]), Math.sqrt(2 / nIn)), biases: ones([nOut]) })
      })
      return params
    }
    const params = initMlpParams([1, 16, 16, 1])
    expect(tree.map((x: NdArray) => x.shape, params)).toEqual([
      { weights: [1, 16], biases: [16] },
      { weights: [16, 16], biases: [16] },
      { weights: [16, 1], biases: [1] },
    ])
    const forward = (ps: Layer[], x: NdArray): NdArray => {
      let h = x
      ps.slice(0, -1).forEach((p) => (h = nn.relu(add(dot(h, p.weights), p.biases))))
      const last = ps[ps.length - 1] as Layer
      return add(dot(h, last.weights), last.biases)
    }
    const lossFn = (ps: Layer[], x: NdArray, y: NdArray): NdArray => mean(square(sub(forward(ps, x), y)))
    const LEARNING_RATE = 0.0001
    const update = jit((ps: Layer[], x: NdArray, y: NdArray): Layer[] =>
      tree.map((p: NdArray, g: NdArray) => sub(p, mul(LEARNING_RATE, g)), ps, grad(lossFn)(ps, x, y)),
    )
    const xs = random.normal(random.key(1), [128, 1])
    const ys = square(xs)
    let ps = params
    const before = Number(lossFn(ps, xs, ys).item())
    for (let i = 0; i < 200; i++) ps = update(ps, xs, ys)
    expect(tree.structure(ps).toString()).toBe(tree.structure(params).toString())
    expect(Number(lossFn(ps, xs, ys).item())).toBeLessThan(before)
  })

  it('a custom container: name is auxiliary data, a, b, c are children', () => {
    class MyContainer {
      constructor(
        readonly name: string,
        readonly a: number,
        readonly b: number,
        readonly c: number,
      ) {}
    }
    tree.registerPytreeNode(
      MyContainer,
      (x: MyContainer) => [[x.a, x.b, x.c], x.name],
      (name: string, [a, b, c]: unknown[]) => new MyContainer(name, a as number, b as number, c as number),
    )
    const t = [new MyContainer('Alice', 1, 2, 3), new MyContainer('Bob', 4, 5, 6)]
    expect(tree.leaves(t)).toEqual([1, 2, 3, 4, 5, 6])
    const mapped = tree.map((x: unknown) => (x as number) + 1, t) as unknown as MyContainer[]
    expect(mapped[0]).toBeInstanceOf(MyContainer)
    expect(mapped.map((m) => [m.name, m.a, m.b, m.c])).toEqual([
      ['Alice', 2, 3, 4],
      ['Bob', 5, 6, 7],
    ])
  })

  it('None is a node without children; a shape is itself a tree (the ones-of-shape pitfall)', () => {
    expect(tree.leaves([null, null, null])).toEqual([])
    expect(tree.map((x: number) => x + 1, { a: null, b: 1 })).toEqual({ a: null, b: 2 })
    const aTree = [
      array([
        [0, 0, 0],
        [0, 0, 0],
      ]),
      array([
        [0, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
      ]),
    ]
    const shapes = tree.map((x: NdArray) => x.shape, aTree)
    expect(shapes).toEqual([
      [2, 3],
      [3, 4],
    ])
    // ones over the shapes maps every int: [[ones(2), ones(3)], [ones(3), ones(4)]], not two arrays
    const wrong = tree.map((n: number) => ones([n]), shapes)
    expect(tree.leaves(wrong).map((x) => (x as NdArray).shape)).toEqual([[2], [3], [3], [4]])
    // the fix: treat a shape as a leaf
    const isShape = (x: unknown): boolean => Array.isArray(x) && x.every((d) => typeof d === 'number')
    const right = tree.leaves(shapes, isShape).map((s) => ones(s as unknown as number[]))
    expect(right.map((x) => x.shape)).toEqual([
      [2, 3],
      [3, 4],
    ])
  })

  it('transposing a list of trees: by tree.map over all, and by tree.transpose', () => {
    const episodeSteps = [
      { t: 1, obs: 3 },
      { t: 2, obs: 4 },
    ]
    const [first, ...rest] = episodeSteps
    const byMap = tree.map((...xs: number[]) => xs, first, ...rest)
    expect(byMap).toEqual({ t: [1, 2], obs: [3, 4] })
    const transposed = tree.transpose(
      tree.structure(episodeSteps.map(() => 0)),
      tree.structure(episodeSteps[0]),
      episodeSteps,
    )
    expect(transposed).toEqual({ t: [1, 2], obs: [3, 4] })
  })

  it('key paths: keystr of every leaf', () => {
    class ATuple {
      constructor(readonly name: string) {}
    }
    tree.registerDataclass(ATuple, ['name'], [])
    const t = [1, { k1: 2, k2: [3, 4] }, new ATuple('foo')]
    const [flat] = tree.flattenWithPath(t)
    expect(flat.map(([path, v]) => `Value of tree${tree.keystr(path)}: ${String(v)}`)).toEqual([
      'Value of tree[0]: 1',
      "Value of tree[1]['k1']: 2",
      "Value of tree[1]['k2'][0]: 3",
      "Value of tree[1]['k2'][1]: 4",
      'Value of tree[2].name: foo',
    ])
  })
})
