import * as W from './src/index'
const x = W.arange(6)
try { const r = W.jit((a: W.NdArray) => W.reshape(a, [W.prod(W.array(a.shape)).item() as number]))(x); console.log('jit reshape ok', r.shape) } catch (e) { console.log('threw', (e as Error).constructor.name, (e as Error).message) }
try { const r = W.jit((a: W.NdArray) => W.mul(a, W.sum(W.array([1,2,3]))))(x); console.log('const folded', r.toArray()) } catch (e) { console.log('threw', (e as Error).message) }
console.log(W.take(W.array([1,2,3]), W.array([5, -1], {dtype:'int32'})).toArray())
console.log(W.take(W.array([1,2,3], {dtype:'int32'}), W.array([5], {dtype:'int32'})).toArray())
console.log(W.where(W.array([0,1,2]) as never))
