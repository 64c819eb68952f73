/**
 * wengert in a real browser (issue 16): the library bundled by esbuild runs in headless Chromium
 * under three Content-Security-Policies, and grad, jit, vmap, the facade and the WebAssembly
 * SIMD kernels compute the float64 references of ./cases.ts in each:
 *
 * - no policy: generated loops (`new Function`) and WebAssembly SIMD;
 * - `script-src 'self' 'wasm-unsafe-eval'`: no code generation (closures, jit interprets its
 *   programs), WebAssembly still allowed;
 * - `script-src 'self'`: neither, so the TypeScript kernels run.
 *
 * In the browser wengert is single-threaded (the thread pool is Node's worker_threads; pages get
 * no helper threads), which kernelInfo().threads reports.
 * Run by `npm run test:browser` (and CI), which builds dist/ first; without Chromium it skips (not under CI).
 */
import type { Server } from 'node:http'
import { resolve } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { refExpMulSum, refF, refFacade, refGrad, refMatmul, refRowNorms, type PageResult } from './cases'
import { bundle, launch, serve, skipReason } from './harness'

const POLICIES = {
  open: undefined,
  noeval: "script-src 'self' 'wasm-unsafe-eval'",
  strict: "script-src 'self'",
} as const
type Policy = keyof typeof POLICIES

/** Results of the large kernels, whose float32 sums the SIMD and TypeScript versions order differently. */
const LARGE = { matmul: 1, expMulSum: 1, jitExpMulSum: 1 }

if (skipReason !== undefined) console.warn(skipReason)

describe.skipIf(skipReason !== undefined)('in headless Chromium', () => {
  let browser: Browser
  let server: Server
  const results = {} as Record<Policy, PageResult>

  beforeAll(async () => {
    const script = await bundle(resolve(__dirname, 'page.ts'))
    const sites = Object.fromEntries(Object.entries(POLICIES).map(([name, csp]) => [name, { csp, script }]))
    const served = await serve(sites)
    server = served.server
    browser = await launch()
    for (const name of Object.keys(POLICIES) as Policy[]) {
      const page = await browser.newPage()
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(String(e)))
      await page.goto(`${served.url}/${name}/`)
      await page.waitForFunction(() => '__result' in globalThis, undefined, { timeout: 30_000 })
      results[name] = (await page.evaluate(() => (globalThis as { __result?: unknown }).__result)) as PageResult
      expect(errors, `uncaught errors on the ${name} page`).toEqual([])
      await page.close()
    }
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await new Promise((ok) => server?.close(ok))
  })

  it('each policy is in force: the page itself can or cannot compile strings and WebAssembly', () => {
    expect([results.open.evalAllowed, results.open.wasmAllowed]).toEqual([true, true])
    expect([results.noeval.evalAllowed, results.noeval.wasmAllowed]).toEqual([false, true])
    expect([results.strict.evalAllowed, results.strict.wasmAllowed]).toEqual([false, false])
  })

  it('kernelInfo() reports the paths each policy allows', () => {
    expect(results.open.info).toEqual({ codegen: true, wasm: true, simd: true, threads: 1 })
    expect(results.noeval.info).toEqual({ codegen: false, wasm: true, simd: true, threads: 1 })
    expect(results.strict.info).toEqual({ codegen: false, wasm: false, simd: false, threads: 1 })
  })

  it('is single-threaded in the browser: one thread, though the page has Worker', () => {
    for (const r of Object.values(results)) {
      expect(r.workerAvailable).toBe(true)
      expect([r.info.threads, r.numThreads]).toEqual([1, 1])
    }
  })

  describe.each(Object.keys(POLICIES) as Policy[])('under the %s policy', (name) => {
    const v = (key: string): ReadonlyArray<number> => results[name].values[key] ?? []
    /** Every element within rtol·max(1, |want|); reports the worst one. */
    const close = (key: string, want: ReadonlyArray<number>, rtol: number): void => {
      const got = v(key)
      expect(got.length, key).toBe(want.length)
      let worst = { i: -1, excess: 0 }
      want.forEach((w, i) => {
        const excess = Math.abs((got[i] as number) - w) - rtol * Math.max(1, Math.abs(w))
        if (excess > worst.excess) worst = { i, excess }
      })
      const at = worst.i < 0 ? 'none' : `${key}[${worst.i}] = ${got[worst.i]}, want ${want[worst.i]}`
      expect(at, `${key}: elements beyond rtol ${rtol}`).toBe('none')
    }

    it('runs without an error', () => {
      expect(results[name].error).toBeUndefined()
    })

    it('grad, jit and jit(grad) give Σ sin(x)·x and sin(x) + x·cos(x)', () => {
      close('f', [refF()], 1e-6)
      close('grad', refGrad(), 1e-6)
      close('jitF', [refF()], 1e-6)
      close('jitGrad', refGrad(), 1e-6)
    })

    it('vmap maps over rows', () => {
      close('vmap', refRowNorms(), 1e-6)
    })

    it('large matrix product and element-wise ops and reduction (the SIMD kernels where allowed)', () => {
      close('matmul', refMatmul(), 1e-5)
      close('expMulSum', [refExpMulSum()], 1e-5)
      close('jitExpMulSum', [refExpMulSum()], 1e-5)
    })

    it('the facade: loss.backward() fills .grad', () => {
      const ref = refFacade()
      close('facadeLoss', [ref.loss], 1e-6)
      close('facadeGradW', ref.gradW.flat(), 1e-6)
      close('facadeGradB', ref.gradB, 1e-6)
    })

    it('computes what the unrestricted page computes (bit for bit where the kernels are the same)', () => {
      const open = results.open.values
      // closures compute what generated loops compute; the TypeScript kernels sum in another order than SIMD's
      if (name !== 'strict') expect(results[name].values).toEqual(open)
      else for (const [key, want] of Object.entries(open)) close(key, want, key in LARGE ? 1e-5 : 1e-6)
    })
  })
})
