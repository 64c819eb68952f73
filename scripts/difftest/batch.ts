/**
 * Long differential runs in resumable pieces: runs seeds in batches and appends one line per
 * program (`seed kind key`, key `agree` where the two sides agree) to a file, so a run can be
 * split into parallel parts, survive an interruption and be tabulated afterwards.
 *
 *   npx tsx scripts/difftest/batch.ts --start 310000 --n 1000 --out run.txt [--batch 100]
 *   npx tsx scripts/difftest/batch.ts --seeds seeds.txt --out rerun.txt   (a list, one seed a line)
 *   npx tsx scripts/difftest/batch.ts --table run.txt                      (classes, first difference)
 *   (an explained difference, explain.ts — a documented 1.13-vs-2.x difference, a deliberate
 *   choice of docs/porting.md, a PyTorch 1.13 failure — is written `key || verdict: reason`, an
 *   unexplained one `key || unexplained: note`; the table counts agree / explained / unexplained
 *   and lists each class with its reason. Older files' `key (1.13 vs 2.x, explained)` count too)
 *   … --torch-cache torch.jsonl   keeps PyTorch's events per seed (one JSON line each) and reuses
 *                                 them, so a rerun of the same seeds on another branch runs only
 *                                 the TypeScript side (PyTorch is most of a run's time)
 *
 * Needs PyTorch (Debian's python3-torch), as run.ts does.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs'
import { compareRuns } from './compare'
import { explain, unexplainedNote } from './explain'
import { generate } from './generate'
import { type Program, emitJs, emitPy, opsById } from './program'
import { type Event, runJs } from './record'
import { runTorch } from './run'

const opt = (name: string): string | undefined => {
  const k = process.argv.indexOf(`--${name}`)
  return k < 0 ? undefined : process.argv[k + 1]
}

const readLines = (file: string): string[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.trim().length > 0)
    : []

/** One line of a run file: its seed, kind, difference key and verdict. */
interface Row {
  readonly seed: number
  readonly kind: string
  readonly key: string
  /** 'agree', 'explained' or 'unexplained' */
  readonly verdict: string
  /** the reason (explained) or note (unexplained), '' if none */
  readonly why: string
}

/** Suffix of an explained difference's key in files written before explain.ts. */
const OLD_EXPLAINED = ' (1.13 vs 2.x, explained)'

const parseRow = (l: string): Row => {
  const [seed, kind, ...rest] = l.split(' ')
  const [key = '', why = ''] = rest.join(' ').split(' || ')
  const base = { seed: Number(seed), kind: kind as string }
  if (key === 'agree') return { ...base, key, verdict: 'agree', why: '' }
  if (key.endsWith(OLD_EXPLAINED))
    return { ...base, key: key.slice(0, -OLD_EXPLAINED.length), verdict: 'explained', why }
  const unexplained = why === '' || why.startsWith('unexplained: ')
  return { ...base, key, verdict: unexplained ? 'unexplained' : 'explained', why }
}

/** Prints agree / explained / unexplained counts, the agreement per kind, and each class with its reason and first seeds. */
const table = (file: string): void => {
  const rows = readLines(file).map(parseRow)
  const count = (v: string): number => rows.filter((r) => r.verdict === v).length
  const pct = (n: number): string => `${n}/${rows.length} = ${((100 * n) / rows.length).toFixed(2)}%`
  console.log(
    `agree: ${pct(count('agree'))}; explained: ${pct(count('explained'))}; unexplained: ${pct(count('unexplained'))}`,
  )
  const kinds = new Map<string, [number, number]>()
  for (const r of rows) {
    const [a, n] = kinds.get(r.kind) ?? [0, 0]
    kinds.set(r.kind, [a + (r.verdict === 'agree' ? 1 : 0), n + 1])
  }
  for (const [k, [a, n]] of kinds) console.log(`  ${k}: ${a}/${n}`)
  for (const verdict of ['unexplained', 'explained']) {
    const groups = new Map<string, number[]>()
    for (const r of rows.filter((x) => x.verdict === verdict)) {
      const g = `${r.key}\n          ${r.why === '' ? 'unexplained: unclassified' : r.why}`
      groups.set(g, [...(groups.get(g) ?? []), r.seed])
    }
    console.log(`\n${verdict} classes:`)
    for (const [g, seeds] of [...groups].sort((x, y) => y[1].length - x[1].length)) {
      const [key, why] = g.split('\n')
      console.log(`${String(seeds.length).padStart(6)}  ${key}   seeds ${seeds.slice(0, 8).join(' ')}\n${why}`)
    }
  }
}

/** A cached PyTorch run: the program's Python source (a seed's program changes with the generator) and its events. */
interface Cached {
  readonly py: string
  readonly events: Event[]
}

/** PyTorch's events per seed from a cache file (`{"seed":…,"py":…,"events":[…]}` lines). */
const readCache = (file: string | undefined): Map<number, Cached> =>
  new Map(
    file === undefined
      ? []
      : readLines(file).map((l) => {
          const o = JSON.parse(l) as Cached & { seed: number }
          return [o.seed, { py: o.py, events: o.events }] as const
        }),
  )

/** Each program's first difference key (`agree` where none), PyTorch's side from the cache where it has it. */
const diffKeys = (progs: ReadonlyArray<Program>, cache: Map<number, Cached>, cacheFile?: string): string[] => {
  const pys = progs.map((p) => emitPy(p))
  const missing = progs.flatMap((p, k) => (cache.get(p.seed)?.py === pys[k] ? [] : [k]))
  const fresh = missing.length > 0 ? runTorch(missing.map((k) => pys[k] as string)) : []
  const lines = missing.map((k, j) => {
    const c = { py: pys[k] as string, events: fresh[j] as Event[] }
    cache.set((progs[k] as Program).seed, c)
    return JSON.stringify({ seed: (progs[k] as Program).seed, ...c }) + '\n'
  })
  if (cacheFile !== undefined && lines.length > 0) appendFileSync(cacheFile, lines.join(''))
  return progs.map((p) => {
    const ops = opsById(p)
    const torch = (cache.get(p.seed) as Cached).events
    const ours = runJs(emitJs(p))
    const d = compareRuns(torch, ours, ops)
    if (d === null) return 'agree'
    const e = explain(d, new Set(ops.values()), { torch, ours, ops }, p)
    return `${d.key} || ${e === null ? `unexplained: ${unexplainedNote(d, new Set(ops.values()))}` : `${e.verdict}: ${e.reason}`}`
  })
}

const main = (): void => {
  const tab = opt('table')
  if (tab !== undefined) return table(tab)
  const out = opt('out')
  if (out === undefined) throw new TypeError('batch.ts: --out <file> is required')
  const list = opt('seeds')
  const start = Number(opt('start') ?? 0)
  const seeds =
    list !== undefined
      ? readLines(list).map(Number)
      : Array.from({ length: Number(opt('n') ?? 100) }, (_, k) => start + k)
  // resume: seeds already in the output file are skipped
  const done = new Set(readLines(out).map((l) => Number(l.split(' ')[0])))
  const todo = seeds.filter((s) => !done.has(s))
  const batch = Number(opt('batch') ?? 100)
  const cacheFile = opt('torch-cache')
  const cache = readCache(cacheFile)
  for (let k = 0; k < todo.length; k += batch) {
    const progs = todo.slice(k, k + batch).map((s) => generate(s))
    const lines = diffKeys(progs, cache, cacheFile).map(
      (key, j) => `${(progs[j] as Program).seed} ${(progs[j] as Program).kind} ${key}\n`,
    )
    appendFileSync(out, lines.join(''))
    process.stderr.write(`… ${Math.min(k + batch, todo.length)}/${todo.length}\n`)
  }
}

main()
