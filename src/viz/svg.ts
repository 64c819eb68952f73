/**
 * `toSvg`: renders a graph to SVG with Graphviz compiled to WebAssembly (`@viz-js/viz`, which
 * carries its WebAssembly inside the package: no native Graphviz, no network). Loaded only by the
 * `wengert/viz` entry point, so `wengert` and `wengert/torch` never load it.
 *
 * @category viz
 * @since 0.2.0
 */
import type { Viz } from '@viz-js/viz'
import type { Tape } from '../core/equation'
import { ValueError } from '../ndarray/errors'
import { Digraph } from './dot'
import { toDot, type ToDotOptions } from './toDot'

let viz: Promise<Viz> | undefined

/** What `toSvg` draws: a tape, a `Digraph` (e.g. from `torch.autograd.graph.make_dot`), or DOT text. */
export type Drawable = Tape | Digraph | string

const dotOf = (what: Drawable, options: ToDotOptions): string =>
  typeof what === 'string' ? what : what instanceof Digraph ? what.source : toDot(what, options)

/**
 * Renders a tape (through `toDot`), a `Digraph` (from the facade's `make_dot`) or DOT text as an
 * SVG document. The first call instantiates Graphviz's WebAssembly module (about 0.1 s); it
 * needs `WebAssembly` (a Content-Security-Policy must allow `'wasm-unsafe-eval'`).
 *
 * @example
 * import { toSvg } from 'wengert/viz'
 * import { makeTape, array, sin, type NdArray } from 'wengert'
 * const svg = await toSvg(makeTape((x: NdArray) => sin(x))(array([1, 2])))
 * assert.ok(svg.includes('<svg') && svg.includes('sin'))
 * @category viz
 * @since 0.2.0
 */
export const toSvg = async (what: Drawable, options: ToDotOptions = {}): Promise<string> => {
  const dot = dotOf(what, options)
  // NOTE: loaded on first use, so importing wengert/viz (or the CommonJS bundle that carries it)
  // never requires the optional peer until a picture is drawn
  viz ??= import('@viz-js/viz').then((m) => m.instance())
  const result = (await viz).render(dot, { format: 'svg' })
  if (result.status !== 'success') {
    const why = result.errors.map((e) => e.message).join('; ')
    throw new ValueError(`toSvg: Graphviz could not render the graph: ${why}`)
  }
  return result.output
}
