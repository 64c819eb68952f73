/**
 * `wengert/viz`: pictures of programs. `toDot` (also exported by `wengert`) writes a tape as
 * Graphviz DOT; `toSvg` renders a tape, a facade `make_dot` graph or DOT text to SVG with
 * Graphviz compiled to WebAssembly (the optional peer dependency `@viz-js/viz`).
 *
 * @since 0.2.0
 */
export { toSvg, type Drawable } from './svg'
export { toDot, leafNames, type ToDotOptions } from './toDot'
export { Digraph, type DotAttrs } from './dot'
