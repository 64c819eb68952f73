/**
 * Long differential runs in resumable pieces: runs seeds in batches and appends one line per
 * program (`seed kind key`, key `agree` where the two sides agree) to a file, so a run can be
 * split into parallel parts, survive an interruption and be tabulated afterwards.
 *
 *   npx tsx scripts/difftest/batch.ts --start 310000 --n 1000 --out run.txt [--batch 100]
 *   npx tsx scripts/difftest/batch.ts --seeds seeds.txt --out rerun.txt   (a list, one seed a line)
 *   npx tsx scripts/difftest/batch.ts --table run.txt                      (classes, first difference)
 *   (a documented 1.13-vs-2.x difference, corpus.ts versionDifference, is keyed `… (1.13 vs 2.x,
 *   explained)` and counted apart from the disagreements)
 *   … --torch-cache torch.jsonl   keeps PyTorch's events per seed (one JSON line each) and reuses
 *                                 them, so a rerun of the same seeds on another branch runs only
 *                                 the TypeScript side (PyTorch is most of a run's time)
 *
 * Needs PyTorch (Debian's python3-torch), as run.ts does.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs'
import { compareRuns } from './compare'
import { reasonFor, versionDifference } from './corpus'
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

/** The reason of a class whose key alone classifies it (corpus.ts `reasonFor`), as a suffix; else ''. */
const known = (key: string): string => {
  const [field = '', op = ''] = key.split(' @ ')
  const reason = reasonFor({ key, field, op, event: 0, torch: null, wengert: null })
  return reason === 'unclassified' ? '' : `\n          known: ${reason}`
}

/** Prints the agreement rate per kind and the classes with their first seeds (and the reason of known ones). */
const table = (file: string): void => {
  const rows = readLines(file).map((l) => {
    const [seed, kind, ...key] = l.split(' ')
    return { seed: Number(seed), kind: kind as string, key: key.join(' ') }
  })
  const agree = rows.filter((r) => r.key === 'agree').length
  const explained = rows.filter((r) => r.key.endsWith(EXPLAINED)).length
  const pct = (n: number): string => `${n}/${rows.length} = ${((100 * n) / rows.length).toFixed(2)}%`
  console.log(
    `agreement: ${pct(agree)}; with the ${explained} documented 1.13-vs-2.x differences: ${pct(agree + explained)}`,
  )
  const kinds = new Map<string, [number, number]>()
  const groups = new Map<string, number[]>()
  for (const r of rows) {
    const [a, n] = kinds.get(r.kind) ?? [0, 0]
    kinds.set(r.kind, [a + (r.key === 'agree' ? 1 : 0), n + 1])
    if (r.key !== 'agree') groups.set(r.key, [...(groups.get(r.key) ?? []), r.seed])
  }
  for (const [k, [a, n]] of kinds) console.log(`  ${k}: ${a}/${n}`)
  for (const [key, seeds] of [...groups].sort((x, y) => y[1].length - x[1].length))
    console.log(`${String(seeds.length).padStart(6)}  ${key}   seeds ${seeds.slice(0, 8).join(' ')}${known(key)}`)
}

/** Suffix of the key of a documented 1.13-vs-2.x difference (corpus.ts versionDifference): explained, not a disagreement. */
const EXPLAINED = ' (1.13 vs 2.x, explained)'

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
    const d = compareRuns((cache.get(p.seed) as Cached).events, runJs(emitJs(p)), opsById(p))
    if (d === null) return 'agree'
    const t = d.torch as { msg?: unknown } | undefined
    return versionDifference(d.key, typeof t?.msg === 'string' ? t.msg : '') === null ? d.key : `${d.key}${EXPLAINED}`
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
