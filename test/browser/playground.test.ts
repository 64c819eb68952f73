/**
 * The playground (`npm run playground`) in headless Chromium, opened from file:// as a user
 * would open it: both graphs render as non-empty SVG (Graphviz node groups), the tape, gradient
 * and Hessian are shown for the default function, typing another function and pressing Run
 * updates them, and a screenshot goes to test/.artifacts/playground.png.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launch, ROOT, skipReason } from './harness'

const OUT = join(ROOT, 'test/.artifacts/playground')
const text = (page: Page, id: string): Promise<string> => page.locator(`#${id}`).innerText()
const svgNodes = (page: Page, id: string): Promise<number> => page.locator(`#${id} svg g.node`).count()

describe.skipIf(skipReason !== undefined)('the playground in headless Chromium', () => {
  let browser: Browser
  let page: Page
  const errors: string[] = []

  beforeAll(async () => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/playground.mjs'), OUT], { cwd: ROOT, stdio: 'ignore' })
    browser = await launch()
    page = await browser.newPage({ viewport: { width: 1280, height: 1400 } })
    page.on('pageerror', (e) => errors.push(String(e)))
    await page.goto(pathToFileURL(join(OUT, 'index.html')).href)
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 })
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
  })

  it('renders the default function: value, tape, gradient, Hessian and a non-empty graph', async () => {
    expect(errors).toEqual([])
    expect(await text(page, 'fn-error')).toBe('')
    // x => sum(mul(sin(x), x)): the tape is sin, mul, reduce_sum over three inputs
    const tape = await text(page, 'fn-tape')
    for (const prim of ['sin', 'mul', 'reduce_sum']) expect(tape).toContain(prim)
    // grad = sin(x) + x·cos(x) at [0.5, 1, 1.5]
    const want = [0.5, 1, 1.5].map((x) => Math.sin(x) + x * Math.cos(x))
    const got = (await text(page, 'fn-grad')).match(/-?\d+\.\d+/g)?.map(Number) ?? []
    expect(got.length).toBe(3)
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i] as number, 5))
    expect(await text(page, 'fn-hess')).toContain('[[')
    // one input, three equations, one output
    expect(await svgNodes(page, 'fn-graph')).toBe(5)
  })

  it('renders the facade snippet: grad_fn graph and the leaves .grad', async () => {
    expect(await text(page, 'torch-error')).toBe('')
    expect(await text(page, 'torch-value')).toContain('grad_fn=<SumBackward0>')
    const grads = await text(page, 'torch-grads')
    expect(grads).toContain('w.grad = tensor(')
    expect(grads).toContain('b.grad = tensor(')
    const graph = await page.locator('#torch-graph svg').innerHTML()
    for (const name of ['SumBackward0', 'PowBackward0', 'TanhBackward0']) expect(graph).toContain(name)
    expect(await svgNodes(page, 'torch-graph')).toBeGreaterThan(4)
  })

  it('runs what the user types, and shows errors in the page', async () => {
    await page.fill('#fn', 'x => mul(x, x)')
    await page.fill('#point', '[1, 2]')
    await page.click('#run')
    expect(await text(page, 'fn-grad')).toContain('not a scalar')
    expect(await text(page, 'fn-jac')).toMatch(/\[\[2\.?,\s+0\.?\],\s+\[0\.?,\s+4\.?\]\]/)
    await page.fill('#fn', 'x => sum(')
    await page.click('#run')
    expect(await text(page, 'fn-error')).toContain('SyntaxError')
    await page.fill('#fn', 'x => sum(mul(sin(x), x))')
    await page.fill('#point', '[0.5, 1, 1.5]')
    await page.click('#run')
    expect(await text(page, 'fn-error')).toBe('')
  })

  it('takes a screenshot (test/.artifacts/playground.png)', async () => {
    mkdirSync(join(ROOT, 'test/.artifacts'), { recursive: true })
    const png = await page.screenshot({ path: join(ROOT, 'test/.artifacts/playground.png'), fullPage: true })
    expect(png.length).toBeGreaterThan(10_000)
  })
})
