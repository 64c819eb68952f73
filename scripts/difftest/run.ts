/**
 * The differential tester: generates programs, runs their Python rendering on real PyTorch (one
 * `/usr/bin/python3` process per batch, scripts/difftest/harness.py) and their JavaScript rendering
 * on wengert/torch (in this process), compares, and prints the agreement rate and the differences
 * grouped by their first differing field and op.
 *
 *   npm run difftest -- --n 10000 [--start 0] [--batch 500] [--minimize 3] [--json out.json]
 *   npm run difftest -- --corpus 400      (rewrites test/fixtures/difftest/cases.json)
 *   npm run difftest -- --corpus-add seeds.txt   (appends those seeds' programs to the corpus)
 *   npm run difftest -- --corpus-add-min lines.txt   (`seed op…` lines: agreeing programs shrunk around the ops)
 *
 * Needs PyTorch (Debian's python3-torch); the replay test (test/torch/difftest.test.ts) does not.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type Difference, compareRuns } from './compare'
import { generate } from './generate'
import { type Program, emitJs, emitPy, opsById } from './program'
import { type Event, runJs } from './record'
import { minimizePrograms, reproducer, shrinkAgreeing } from './minimize'
import { addPrograms, addToCorpus, writeCorpus } from './corpus'

const HARNESS = fileURLToPath(new URL('./harness.py', import.meta.url))
const PYTHON = process.env['DIFFTEST_PYTHON'] ?? '/usr/bin/python3'

/**
 * Runs Python renderings on PyTorch in one process; returns each program's events. If PyTorch
 * itself dies (a signal, not a Python exception), the batch is halved until the program that
 * kills it is alone, and that program gets a `crash` event.
 */
export const runTorch = (sources: ReadonlyArray<string>): Event[][] => {
  const input = JSON.stringify(sources.map((py, id) => ({ id, py })))
  const r = spawnSync('nice', ['-n', '10', PYTHON, HARNESS], { input, maxBuffer: 1 << 30, encoding: 'utf8' })
  if (r.status === 0) return (JSON.parse(r.stdout) as Array<{ id: number; events: Event[] }>).map((o) => o.events)
  if (sources.length === 1) {
    const msg = `python died: status ${r.status}, signal ${r.signal}: ${r.stderr.slice(-300)}`
    return [[{ k: 'crash', cls: 'TorchCrash', msg }]]
  }
  const half = Math.ceil(sources.length / 2)
  return [...runTorch(sources.slice(0, half)), ...runTorch(sources.slice(half))]
}

/** Runs programs on both sides and returns their differences (null where they agree). */
export const diffPrograms = (
  progs: ReadonlyArray<Program>,
): Array<{ diff: Difference | null; torch: Event[]; ours: Event[] }> => {
  const torchEvents = runTorch(progs.map((p) => emitPy(p)))
  return progs.map((p, k) => {
    const ours = runJs(emitJs(p))
    const te = torchEvents[k] as Event[]
    return { diff: compareRuns(te, ours, opsById(p)), torch: te, ours }
  })
}

const arg = (name: string, dflt: number): number => {
  const k = process.argv.indexOf(`--${name}`)
  return k < 0 ? dflt : Number(process.argv[k + 1])
}

interface Group {
  count: number
  seeds: number[]
  example: Difference
}

const main = (): void => {
  const show = arg('show', -1)
  if (show >= 0) {
    const [r] = diffPrograms([generate(show)])
    const key = r?.diff?.key
    const [m] =
      key !== undefined && arg('minimize', 0) > 0 ? minimizePrograms([{ key, prog: generate(show) }], diffPrograms) : []
    console.log(reproducer(m?.prog ?? generate(show), m?.diff ?? r?.diff ?? null))
    console.log(`key: ${key ?? 'agree'}`)
    return
  }
  const minAt = process.argv.indexOf('--corpus-add-min')
  if (minAt >= 0) {
    const items = readFileSync(process.argv[minAt + 1] as string, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => {
        const [seed, ...ops] = l.trim().split(/\s+/)
        return { keep: ops, prog: generate(Number(seed)) }
      })
    addPrograms(shrinkAgreeing(items, diffPrograms), diffPrograms)
    return
  }
  const addAt = process.argv.indexOf('--corpus-add')
  if (addAt >= 0) {
    const file = readFileSync(process.argv[addAt + 1] as string, 'utf8')
    addToCorpus(
      file
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map(Number),
      diffPrograms,
    )
    return
  }
  const corpus = arg('corpus', 0)
  if (corpus > 0) {
    writeCorpus(corpus, diffPrograms)
    return
  }
  const [n, start, batch, nMin] = [arg('n', 1000), arg('start', 0), arg('batch', 500), arg('minimize', 0)]
  const groups = new Map<string, Group>()
  const kinds = new Map<string, { n: number; agree: number }>()
  let agree = 0
  for (let s = start; s < start + n; s += batch) {
    const progs = Array.from({ length: Math.min(batch, start + n - s) }, (_, k) => generate(s + k))
    diffPrograms(progs).forEach(({ diff }, k) => {
      const p = progs[k] as Program
      const kind = kinds.get(p.kind) ?? { n: 0, agree: 0 }
      kinds.set(p.kind, { n: kind.n + 1, agree: kind.agree + (diff === null ? 1 : 0) })
      if (diff === null) return void agree++
      const g = groups.get(diff.key) ?? { count: 0, seeds: [], example: diff }
      g.count++
      if (g.seeds.length < 20) g.seeds.push(p.seed)
      groups.set(diff.key, g)
    })
    process.stderr.write(`… ${s + batch - start}/${n}\n`)
  }
  const sorted = [...groups].sort((a, b) => b[1].count - a[1].count)
  console.log(`agreement: ${agree}/${n} = ${((100 * agree) / n).toFixed(2)}% (seeds ${start}..${start + n - 1})`)
  for (const [k, c] of kinds) console.log(`  ${k}: ${c.agree}/${c.n}`)
  for (const [key, g] of sorted)
    console.log(`${String(g.count).padStart(6)}  ${key}   seeds ${g.seeds.slice(0, 8).join(' ')}`)
  const items = sorted.flatMap(([key, g]) => g.seeds.slice(0, nMin).map((s) => ({ key, prog: generate(s) })))
  const minimized = nMin > 0 ? minimizePrograms(items, diffPrograms) : []
  for (const m of minimized) console.log(`\n### ${m.key} (seed ${m.seed})\n${reproducer(m.prog, m.diff)}`)
  const jsonAt = process.argv.indexOf('--json')
  if (jsonAt >= 0) {
    const summary = {
      n,
      start,
      agree,
      kinds: Object.fromEntries(kinds),
      groups: sorted.map(([key, g]) => ({ key, ...g })),
      minimized,
    }
    writeFileSync(process.argv[jsonAt + 1] as string, JSON.stringify(summary, null, 1))
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main()
