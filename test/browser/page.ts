/**
 * The script of the browser test's pages (bundled by esbuild, served with a CSP by
 * ./browser.test.ts): runs grad, jit, vmap, the large SIMD kernels and the facade, and leaves the
 * numbers in `window.__result` for the test to compare with ./cases.ts's float64 references.
 */
import { array, exp, getNumThreads, grad, jit, kernelInfo, matmul, mul, sin, sum, vmap, type NdArray } from 'wengert'
import * as torch from 'wengert/torch'
import { BIAS, matA, matB, N, ROWS, W, X, XV, type PageResult } from './cases'

const flat = (a: NdArray): number[] => Array.from(a.toTypedArray(), Number)

/** Whether this page's policy lets strings compile to code (the probe breaks no rule: it is caught). */
const probe = (f: () => unknown): boolean => {
  try {
    f()
    return true
  } catch {
    return false
  }
}

const f = (x: NdArray): NdArray => sum(mul(sin(x), x))

const run = (): PageResult['values'] => {
  const x = array(X)
  const a = array(matA(), { shape: [N, N] })
  const b = array(matB(), { shape: [N, N] })
  const big = (p: NdArray, q: NdArray): NdArray => sum(mul(exp(p), q))
  const wt = torch.tensor(W, { requires_grad: true })
  const bt = torch.tensor(BIAS, { requires_grad: true })
  const loss = torch
    .tanh(torch.mv(wt, torch.tensor(XV)).add(bt))
    .pow(2)
    .sum()
  loss.backward()
  return {
    f: flat(f(x)),
    grad: flat(grad(f)(x)),
    jitF: flat(jit(f)(x)),
    jitGrad: flat(jit(grad(f))(x)),
    vmap: flat(vmap((r: NdArray) => sum(mul(r, r)))(array(ROWS))),
    matmul: flat(matmul(a, b)),
    expMulSum: flat(big(a, b)),
    jitExpMulSum: flat(jit(big)(a, b)),
    facadeLoss: [Number(loss.item())],
    facadeGradW: (wt.grad?.tolist() as number[][]).flat(),
    facadeGradB: bt.grad?.tolist() as number[],
  }
}

const report = (): PageResult => {
  const base = {
    info: kernelInfo(),
    numThreads: getNumThreads(),
    evalAllowed: probe(() => new Function('return 1')),
    wasmAllowed: probe(() => new WebAssembly.Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]))),
    workerAvailable: typeof Worker === 'function',
  }
  try {
    return { ...base, values: run() }
  } catch (e) {
    return { ...base, values: {}, error: e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e) }
  }
}

;(globalThis as { __result?: PageResult }).__result = report()
