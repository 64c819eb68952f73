/**
 * Run by test/ndarray/anyPolicy.test.ts in child processes (plain, with
 * `--disallow-code-generation-from-strings`, and with `--jitless` as well, where there is no
 * WebAssembly): every element-wise kernel over every broadcasting case, reductions, matrix
 * products, grad, vmap, jit and the facade, first on the automatic kernel choice, then with the
 * TypeScript kernels forced. Prints one JSON line: the kernel info and a digest of every value's
 * exact text.
 */
import { createHash } from 'node:crypto'
import {
  array,
  grad,
  jit,
  kernelInfo,
  matmul,
  reshape,
  sin,
  sum,
  tanh,
  mul,
  vmap,
  type NdArray,
  type DType,
} from '../../../src/index'
import * as torch from '../../../src/torch/index'
import { binary, select, setElementwiseBackend, unary } from '../../../src/ndarray/kernels/elementwise'
import { BINARY_EXPR, UNARY_EXPR, type BinaryOp, type UnaryOp } from '../../../src/ndarray/kernels/expressions'
import { reduce, type ReduceOp } from '../../../src/ndarray/kernels/reduce'
import { setGemmBackend } from '../../../src/ndarray/kernels/gemm'

/** A digest of the exact text of every element (-0 and NaN kept), the dtype and the shape. */
const bits = (x: NdArray): string =>
  createHash('sha256')
    .update(Array.from(x._data, (v) => (Object.is(v, -0) ? '-0' : String(v))).join(','))
    .update(`|${x.dtype}[${x.shape.join(',')}]`)
    .digest('hex')
    .slice(0, 16)

/** n values in [-3, 3) with some specials, deterministic. */
const values = (n: number, seed: number): number[] =>
  Array.from({ length: n }, (_, i) => {
    if (i % 97 === 3) return [0, -0, NaN, Infinity, -Infinity, 0.5, 2.5, -1.5][(i + seed) % 8] as number
    return Math.sin(i * 12.9898 + seed * 78.233) * 3
  })

const arr = (shape: number[], dtype: DType, seed: number): NdArray => {
  const n = shape.reduce((a, b) => a * b, 1)
  const v = values(n, seed).map((x) => (dtype === 'int32' ? Math.trunc(Number.isFinite(x) ? x * 10 : 7) || 1 : x))
  return reshape(array(v, { dtype }), shape)
}

const run = (): Record<string, string> => {
  const out: Record<string, string> = {}
  const big = [48, 64] // 3072 elements: past the WebAssembly threshold
  for (const dtype of ['float64', 'float32'] as const) {
    const x = arr(big, dtype, 1)
    for (const op of Object.keys(UNARY_EXPR) as UnaryOp[]) out[`unary:${op}:${dtype}`] = bits(unary(op, x))
    // same shape, scalar left, scalar right, row, column, general strided
    const cases: ReadonlyArray<[string, number[], number[]]> = [
      ['same', big, big],
      ['scalarL', [1], big],
      ['scalarR', big, [1]],
      ['row', big, [64]],
      ['col', big, [48, 1]],
      ['strided', [6, 1, 8], [1, 5, 8]],
    ]
    for (const op of Object.keys(BINARY_EXPR) as BinaryOp[]) {
      for (const [name, sa, sb] of cases) {
        const isCmp = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'and', 'or'].includes(op)
        out[`binary:${op}:${name}:${dtype}`] = bits(
          binary(op, arr(sa, dtype, 2), arr(sb, dtype, 3), isCmp ? 'bool' : dtype),
        )
      }
    }
    const cond = binary('gt', x, arr(big, dtype, 4), 'bool')
    out[`select:${dtype}`] = bits(select(cond, x, arr(big, dtype, 5)))
    for (const op of ['sum', 'max', 'min', 'prod'] as ReduceOp[]) {
      out[`reduce:${op}:rows:${dtype}`] = bits(reduce(op, x, [1]))
      out[`reduce:${op}:cols:${dtype}`] = bits(reduce(op, x, [0]))
      out[`reduce:${op}:all:${dtype}`] = bits(reduce(op, x, [0, 1]))
    }
    out[`matmul:${dtype}`] = bits(matmul(arr([40, 48], dtype, 6), arr([48, 32], dtype, 7)))
    out[`matvec:${dtype}`] = bits(matmul(arr([64, 48], dtype, 6), arr([48], dtype, 7)))
  }
  const xi = arr([8, 9], 'int32', 8)
  for (const op of ['add', 'sub', 'mul', 'floordiv', 'mod', 'max', 'lt'] as BinaryOp[])
    out[`binary:${op}:int32`] = bits(binary(op, xi, arr([9], 'int32', 9), op === 'lt' ? 'bool' : 'int32'))
  out['reduce:any/all'] = bits(reduce('any', binary('gt', xi, arr([9], 'int32', 9), 'bool'), [1], 'bool'))
  // transforms on the public API
  const f = (v: NdArray): NdArray => sum(mul(tanh(v), sin(v)))
  const x = arr([3000], 'float64', 10)
  out['grad'] = bits(grad(f)(x))
  out['grad32'] = bits(grad(f)(arr([3000], 'float32', 10)))
  out['vmap'] = bits(vmap(grad(f))(arr([4, 700], 'float64', 11)))
  out['jit'] = bits(jit(grad(f))(x))
  out['jit-scalar'] = bits(jit(grad(f))(array(0.7, { dtype: 'float64' })))
  // the facade
  const t = torch.tensor(values(2048, 12), { requires_grad: true })
  t.tanh().mul(t.sin()).pow(2).sum().backward()
  out['torch'] = createHash('sha256')
    .update(JSON.stringify((t.grad as torch.Tensor).tolist()))
    .digest('hex')
    .slice(0, 16)
  return out
}

const auto = run()
setElementwiseBackend('js')
setGemmBackend('ts')
const ts = run()
console.log(JSON.stringify({ info: kernelInfo(), auto, ts }))
