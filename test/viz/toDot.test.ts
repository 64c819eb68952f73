import { describe, expect, it } from 'vitest'
import { array, grad, makeTape, mul, printTape, sin, sum, add, type NdArray, ValueError } from 'wengert'
import { toDot, leafNames, toSvg, Digraph } from 'wengert/viz'

/** The edges of a DOT text, as `from -> to` pairs. */
const edges = (dot: string): string[] =>
  [...dot.matchAll(/^ {2}"([^"]+)" -> "([^"]+)"/gm)].map((m) => `${m[1]}->${m[2]}`)
/** The label of a node. */
const label = (dot: string, id: string): string | undefined =>
  new RegExp(`^  "${id}" \\[label="([^"]*)"`, 'm').exec(dot)?.[1]

describe('toDot', () => {
  const f = (p: { w: NdArray; b: NdArray }, x: NdArray) => sum(sin(add(mul(p.w, x), p.b)))
  const p = { w: array([1, 2, 3]), b: array([0.5, 0.5, 0.5]) }
  const x = array([1, 1, 1])
  const tape = makeTape(f)(p, x)

  it('draws every input, equation and output with the printed names and types', () => {
    const dot = toDot(tape)
    const printed = printTape(tape)
    expect(printed).toContain('d:f32[3] = mul a c')
    expect(label(dot, 'in0')).toBe('a\\nf32[3]')
    expect(label(dot, 'eq0')).toBe('mul\\nd:f32[3]')
    expect(label(dot, 'eq1')).toBe('add\\ne:f32[3]')
    expect(label(dot, 'eq3')).toMatch(/^reduce_sum\[axes=\(0,?\)\]\\ng:f32\[\]$/)
    expect(label(dot, 'out0')).toBe('out\\nf32[]')
    // data flow: mul(w, x), add(_, b), sin, reduce_sum, out
    expect(edges(dot)).toEqual(['in0->eq0', 'in2->eq0', 'eq0->eq1', 'in1->eq1', 'eq1->eq2', 'eq2->eq3', 'eq3->out0'])
  })

  it('names inputs and outputs from the pytree structure', () => {
    const dot = toDot(tape, { inputNames: leafNames({ p, x }), outputNames: ['loss'] })
    expect(['in0', 'in1', 'in2'].map((n) => label(dot, n))).toEqual(['p.w\\nf32[3]', 'p.b\\nf32[3]', 'x\\nf32[3]'])
    expect(label(dot, 'out0')).toBe('loss\\nf32[]')
    const g = grad(f)
    const gt = makeTape((q: typeof p) => g(q, x))(p)
    const gdot = toDot(gt, { outputNames: leafNames(g(p, x), 'grad') })
    expect(label(gdot, 'out0')).toBe('grad.w\\nf32[3]')
    expect(label(gdot, 'out1')).toBe('grad.b\\nf32[3]')
  })

  it('draws constants as their own nodes and an input returned as is', () => {
    const t = makeTape((a: NdArray) => [mul(a, 2), a])(array([1, 2]))
    const dot = toDot(t)
    expect(label(dot, 'const0')).toBe('2.0')
    expect(edges(dot)).toEqual(['in0->eq0', 'const0->eq0', 'eq0->out0', 'in0->out1'])
    expect(label(dot, 'out1')).toBe('out[1]\\nf32[2]')
  })

  it('refuses names that do not match the tape', () => {
    expect(() => toDot(tape, { inputNames: ['a'] })).toThrow(ValueError)
    expect(() => toDot(tape, { inputNames: ['a'] })).toThrow(
      'toDot: the tape has 3 inputs but 1 input names were given',
    )
  })

  it('quotes labels so any name stays valid DOT', () => {
    const g = new Digraph().node('a"b\\c\nd')
    expect(g.source).toContain('"a\\"b\\\\c\\nd"')
  })
})

describe('toSvg', () => {
  it('renders a tape to SVG with Graphviz (WebAssembly, offline)', async () => {
    const tape = makeTape((a: NdArray) => sin(mul(a, a)))(array([1, 2]))
    const svg = await toSvg(tape, { inputNames: ['x'] })
    expect(svg).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*<\/svg>\s*$/)
    // one <g class="node"> per input, equation and output
    expect(svg.match(/class="node"/g)).toHaveLength(4)
    expect(svg).toContain('>sin<')
    expect(svg).toContain('>x<')
  })

  it('renders DOT text and reports a syntax error as a ValueError', async () => {
    expect(await toSvg('digraph { a -> b }')).toContain('<svg')
    await expect(toSvg('digraph { a -> ')).rejects.toThrow(/^toSvg: Graphviz could not render the graph/)
  })
})
