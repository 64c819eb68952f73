/**
 * Long differential runs in resumable pieces: runs seeds in batches and appends one line per
 * program (`seed kind key`, key `agree` where the two sides agree) to a file, so a run can be
 * split into parallel parts, survive an interruption and be tabulated afterwards.
 *
 *   npx tsx scripts/difftest/batch.ts --start 310000 --n 1000 --out run.txt [--batch 100]
 *   npx tsx scripts/difftest/batch.ts --seeds seeds.txt --out rerun.txt   (a list, one seed a line)
 *   npx tsx scripts/difftest/batch.ts --table run.txt                      (classes, first difference)
 *
 * Needs PyTorch (Debian's python3-torch), as run.ts does.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs'
import { generate } from './generate'
import { diffPrograms } from './run'

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

/** Prints the agreement rate per kind and the classes with their first seeds. */
const table = (file: string): void => {
  const rows = readLines(file).map((l) => {
    const [seed, kind, ...key] = l.split(' ')
    return { seed: Number(seed), kind: kind as string, key: key.join(' ') }
  })
  const agree = rows.filter((r) => r.key === 'agree').length
  console.log(`agreement: ${agree}/${rows.length} = ${((100 * agree) / rows.length).toFixed(2)}%`)
  const kinds = new Map<string, [number, number]>()
  const groups = new Map<string, number[]>()
  for (const r of rows) {
    const [a, n] = kinds.get(r.kind) ?? [0, 0]
    kinds.set(r.kind, [a + (r.key === 'agree' ? 1 : 0), n + 1])
    if (r.key !== 'agree') groups.set(r.key, [...(groups.get(r.key) ?? []), r.seed])
  }
  for (const [k, [a, n]] of kinds) console.log(`  ${k}: ${a}/${n}`)
  for (const [key, seeds] of [...groups].sort((x, y) => y[1].length - x[1].length))
    console.log(`${String(seeds.length).padStart(6)}  ${key}   seeds ${seeds.slice(0, 8).join(' ')}`)
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
  for (let k = 0; k < todo.length; k += batch) {
    const progs = todo.slice(k, k + batch).map((s) => generate(s))
    const lines = diffPrograms(progs).map(({ diff }, j) => {
      const p = progs[j] as (typeof progs)[number]
      return `${p.seed} ${p.kind} ${diff?.key ?? 'agree'}\n`
    })
    appendFileSync(out, lines.join(''))
    process.stderr.write(`… ${Math.min(k + batch, todo.length)}/${todo.length}\n`)
  }
}

main()
