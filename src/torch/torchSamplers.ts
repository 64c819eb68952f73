/**
 * ATen's integer-mode forms of `F.grid_sample`: `torch.grid_sampler(input, grid,
 * interpolation_mode, padding_mode, align_corners)` and its 2-D / 3-D variants. Interpolation
 * modes are 0 bilinear, 1 nearest, 2 bicubic; padding modes 0 zeros, 1 border, 2 reflection; every
 * argument is required. Values, nodes and gradients are those of `F.grid_sample`.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([[[[1, 2], [3, 4]]]])
 * const y = torch.grid_sampler(x, torch.tensor([[[[0, 0]]]]), 0, 0, true)
 * assert.deepStrictEqual(y.tolist(), [[[[2.5]]]])
 * @category torch
 * @since 0.2.0
 */
import { atenArgs } from './atenArgs'
import { RuntimeError } from './errors'
import type { PyArgs } from './kwargs'
import { grid_sample, type GridPaddingMode, type GridSampleMode } from './nn/gridSample'
import type { Tensor } from './tensor'

type T = Tensor
/** The trailing arguments of the `torch.grid_sampler*` functions (all required). */
type SamplerArgs = PyArgs<
  [interpolation_mode: number, padding_mode: number, align_corners: boolean],
  { readonly interpolation_mode?: number; readonly padding_mode?: number; readonly align_corners?: boolean }
>

const MODES: ReadonlyArray<GridSampleMode> = ['bilinear', 'nearest', 'bicubic']
const PADDINGS: ReadonlyArray<GridPaddingMode> = ['zeros', 'border', 'reflection']

/** An enum value by its ATen integer, or a clear error naming the accepted integers. */
const pick = <K>(fn: string, what: string, table: ReadonlyArray<K>, v: number): K => {
  const k = Number.isInteger(v) ? table[v] : undefined
  if (k === undefined)
    throw new RuntimeError(
      `${fn}(): expected ${what} to be ${table.map((n, i) => `${i} (${String(n)})`).join(', ')}, but got ${v}`,
    )
  return k
}

/** Parses the arguments, checks the rank a 2-D/3-D variant demands, then samples. */
const sampler = (fn: string, dims: 2 | 3 | null, input: T, grid: T, rest: SamplerArgs): T => {
  const a = atenArgs(fn, rest, ['interpolation_mode', 'padding_mode', 'align_corners'], 3, 2)
  const mode = pick(fn, 'interpolation_mode', MODES, a.interpolation_mode as number)
  const padding_mode = pick(fn, 'padding_mode', PADDINGS, a.padding_mode as number)
  const [x, g] = [input.shape, grid.shape]
  // ATen checks batch size and the grid's last dimension first (grid_sample raises those)
  const commonOk = x[0] === g[0] && g[g.length - 1] === x.length - 2
  if (dims !== null && commonOk && (x.length !== dims + 2 || g.length !== dims + 2))
    throw new RuntimeError(
      `grid_sampler(): expected ${dims + 2}D input and grid with same number of dimensions, but got input with sizes [${x.join(', ')}] and grid with sizes [${g.join(', ')}]`,
    )
  return grid_sample(input, grid, { mode, padding_mode, align_corners: a.align_corners as boolean })
}

/** `torch.grid_sampler(input, grid, interpolation_mode, padding_mode, align_corners)` (4-D or 5-D). @category torch @since 0.2.0 */
export const grid_sampler = (input: T, grid: T, ...rest: SamplerArgs): T =>
  sampler('grid_sampler', null, input, grid, rest)
/** `torch.grid_sampler_2d(...)`: {@link grid_sampler} of a 4-D input only. @category torch @since 0.2.0 */
export const grid_sampler_2d = (input: T, grid: T, ...rest: SamplerArgs): T =>
  sampler('grid_sampler_2d', 2, input, grid, rest)
/** `torch.grid_sampler_3d(...)`: {@link grid_sampler} of a 5-D input only (no bicubic). @category torch @since 0.2.0 */
export const grid_sampler_3d = (input: T, grid: T, ...rest: SamplerArgs): T =>
  sampler('grid_sampler_3d', 3, input, grid, rest)
