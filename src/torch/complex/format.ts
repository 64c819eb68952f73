/**
 * The repr body of a complex tensor as PyTorch prints it (`[1.+2.j, 3.-1.j]`): one formatter over
 * the real parts and one over the imaginary parts (each as a real tensor's), the real text padded
 * to its formatter's width, the imaginary text unpadded with its sign and a `j`.
 *
 * @category torch
 * @since 0.7.0
 */
import type { NdArray } from '../../ndarray/NdArray'
import { PRINT_OPTS, makeFormatter, summarisedValues } from '../format'

/** The body of a complex tensor's repr from its (…, 2) real values. */
export const complexBody = (ri: NdArray, indent: number): string => {
  const data = ri._values('print')
  const shape = ri.shape.slice(0, -1)
  const size = shape.reduce((a, b) => a * b, 1)
  const reals = new Array<number>(size)
  const imags = new Array<number>(size)
  for (let k = 0; k < size; k++) {
    reals[k] = data[2 * k] as number
    imags[k] = data[2 * k + 1] as number
  }
  const summarise = size > PRINT_OPTS.threshold
  const fr = makeFormatter(summarisedValues(reals, shape, summarise), 'float')
  const fi = makeFormatter(summarisedValues(imags, shape, summarise), 'float')
  const elem = (k: number): string => {
    const imag = `${fi.format(imags[k] as number)}j`.trimStart()
    const sign = imag.startsWith('-') || imag.startsWith('+') ? '' : '+'
    return `${fr.format(reals[k] as number)}${sign}${imag}`
  }
  const width = fr.width + fi.width + 2
  if (shape.length === 0) return elem(0)
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1))
  const e = PRINT_OPTS.edgeitems
  const rec = (axis: number, off: number, ind: number): string => {
    const n = shape[axis] as number
    const st = strides[axis] as number
    const cut = summarise && n > 2 * e
    const idx = cut ? [...Array(e).keys(), -1, ...Array.from({ length: e }, (_, i) => n - e + i)] : [...Array(n).keys()]
    if (axis === shape.length - 1) {
      const perLine = Math.max(1, Math.floor((PRINT_OPTS.linewidth - ind) / (width + 2)))
      const items = idx.map((i) => (i < 0 ? ' ...' : elem(off + i * st)))
      const lines: string[] = []
      for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '))
      return `[${lines.join(`,\n${' '.repeat(ind + 1)}`)}]`
    }
    const parts = idx.map((i) => (i < 0 ? '...' : rec(axis + 1, off + i * st, ind + 1)))
    return `[${parts.join(`,${'\n'.repeat(shape.length - axis - 1)}${' '.repeat(ind + 1)}`)}]`
  }
  return rec(0, 0, indent)
}
