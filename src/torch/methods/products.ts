/**
 * Matrix products as Tensor methods: `matmul` with PyTorch's per-rank node names (DotBackward0,
 * MvBackward0, MmBackward0; N-D products are composed as PyTorch 2.x composes them, ./matmulNd.ts),
 * `mm`, `mv`, `bmm`, `dot`, `outer`.
 *
 * @category torch
 * @since 0.1.0
 */
import * as lax from '../../core/lax'
import { isColumnMajor, markColumnMajor } from '../autograd/gradLayout'
import { op } from '../autograd/op'
import { RuntimeError } from '../errors'
import { requireTensor } from '../pyTypeName'
import { Tensor } from '../tensor'
import { mmFormula } from './gradFormulas'
import { mvFormula, mvKernel } from './reduceZeros'
import { matmulNd } from './matmulNd'
import { self_ } from './reduceExtrema'
import { resultType } from '../ops/convert'

type T = Tensor

const sameDtype = (a: T, b: T, what: string): void => {
  if (a.dtype !== b.dtype) {
    throw new RuntimeError(`expected ${what} to have the same dtype, but got: ${a.dtype.cName} != ${b.dtype.cName}`)
  }
}

/** The matrix products installed on Tensor (part of `reduceMethods`). */
export const productMethods = {
  /** Matrix product with PyTorch's rules (1-D operands promoted; batch dims broadcast). */
  matmul(this: T, other: T): T {
    const a = self_(this)
    const b = self_(requireTensor('matmul', 'other', other, 2))
    if (a.ndim === 0 || b.ndim === 0)
      throw new RuntimeError(`both arguments to matmul need to be at least 1D, but they are ${a.ndim}D and ${b.ndim}D`)
    sameDtype(this, other, 'm1 and m2')
    if (a.ndim === 1 && b.ndim === 1) return productMethods.dot.call(this, other)
    if (a.ndim === 2 && b.ndim === 1) return productMethods.mv.call(this, other)
    if (a.ndim === 1 && b.ndim === 2) {
      checkMm(1, a.shape[0] as number, b.shape[0] as number, b.shape[1] as number)
      // PyTorch: unsqueeze(0).mm(other).squeeze_(0), so the result is at version 1
      return this.unsqueeze(0).mm(other).squeeze_(0)
    }
    if (a.ndim === 2 && b.ndim === 2) return productMethods.mm.call(this, other)
    return matmulNd(this, other)
  },
  /** 2-D matrix product. */
  mm(this: T, mat2: T): T {
    const a = self_(this)
    const b = self_(requireTensor('mm', 'mat2', mat2, 2))
    if (a.ndim !== 2) throw new RuntimeError('self must be a matrix')
    if (b.ndim !== 2) throw new RuntimeError('mat2 must be a matrix')
    sameDtype(this, mat2, 'mat1 and mat2')
    checkMm(a.shape[0] as number, a.shape[1] as number, b.shape[0] as number, b.shape[1] as number)
    const col = [isColumnMajor(this), isColumnMajor(mat2)] as const
    const out = op('MmBackward0', [this, mat2], (x, y) => lax.matmul(x, y), {
      saves: (n) => [...(n[1] ? [0] : []), ...(n[0] ? [1] : [])],
      // a column-major operand's create_graph gradient is PyTorch's transposed product (seed 330341)
      ...(col[0] || col[1] ? { formula: mmFormula(col) } : {}),
    })
    markColumnMajor(out._gradFn, [this, mat2])
    return out
  },
  /** Matrix-vector product. */
  mv(this: T, vec: T): T {
    const a = self_(this)
    const b = self_(vec)
    if (a.ndim !== 2 || b.ndim !== 1)
      throw new RuntimeError(`vector + matrix @ vector expected, got 1, ${a.ndim}, ${b.ndim}`)
    if (a.shape[1] !== b.shape[0])
      throw new RuntimeError(
        `size mismatch, got input (${a.shape[0]}), mat (${a.shape[0]}x${a.shape[1]}), vec (${b.shape[0]})`,
      )
    sameDtype(this, vec, 'mat and vec')
    // PyTorch's mv backward: grad.ger(vec) and self.t().mv(grad) (reduceZeros.ts)
    return op('MvBackward0', [this, vec], mvKernel, {
      saves: (n) => [...(n[1] ? [0] : []), ...(n[0] ? [1] : [])],
      formula: mvFormula,
    })
  },
  /** Batched matrix product of 3-D tensors. */
  bmm(this: T, mat2: T): T {
    const a = self_(this)
    const b = self_(mat2)
    if (a.ndim !== 3) throw new RuntimeError(`batch1 must be a 3D tensor`)
    if (b.ndim !== 3) throw new RuntimeError(`batch2 must be a 3D tensor`)
    if (a.shape[0] !== b.shape[0] || a.shape[2] !== b.shape[1]) {
      throw new RuntimeError(
        `Expected size for first two dimensions of batch2 tensor to be: [${a.shape[0]}, ${a.shape[2]}] but got: [${b.shape[0]}, ${b.shape[1]}].`,
      )
    }
    return op('BmmBackward0', [this, mat2], (x, y) => lax.matmul(x, y), {
      saves: (n) => [...(n[1] ? [0] : []), ...(n[0] ? [1] : [])],
    })
  },
  /** Inner product of two 1-D tensors. */
  dot(this: T, other: T): T {
    const a = self_(this)
    const b = self_(requireTensor('dot', 'tensor', other, 2))
    if (a.ndim !== 1 || b.ndim !== 1)
      throw new RuntimeError(`1D tensors expected, but got ${a.ndim}D and ${b.ndim}D tensors`)
    if (a.size !== b.size) {
      throw new RuntimeError(
        `inconsistent tensor size, expected tensor [${a.size}] and src [${b.size}] to have the same number of elements, but got ${a.size} and ${b.size} elements respectively`,
      )
    }
    return op('DotBackward0', [this, other], (x, y) => lax.reduceSum(lax.mul(x, y), [0]), { saves: [0, 1] })
  },
  /** Outer product of two 1-D tensors (mixed dtypes promoted, as PyTorch's `reshape(-1, 1) * vec2`). */
  outer(this: T, vec2: T): T {
    if (vec2 instanceof Tensor && vec2.dtype !== this.dtype) {
      const dt = resultType([this, vec2])
      return (this.dtype === dt ? this : this.to(dt)).outer(vec2.dtype === dt ? vec2 : vec2.to(dt))
    }
    return op(
      'MulBackward0',
      [this, vec2],
      (x, y) => lax.mul(lax.reshape(x, [x.size, 1]), lax.reshape(y, [1, y.size])),
      { saves: [0, 1] },
    )
  },
}

const checkMm = (n: number, k: number, k2: number, m: number): void => {
  if (k !== k2) throw new RuntimeError(`mat1 and mat2 shapes cannot be multiplied (${n}x${k} and ${k2}x${m})`)
}
