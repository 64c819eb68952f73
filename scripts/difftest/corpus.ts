/**
 * The committed corpus (test/fixtures/difftest/): programs with PyTorch's answers, replayed by
 * test/torch/difftest.test.ts without PyTorch, and the known differences with their reasons.
 * `npm run difftest -- --corpus 400` regenerates both (it needs PyTorch); reasons already written
 * for a (seed, key) are kept, new differences get the reason of their class from REASONS.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Difference } from './compare'
import { generate } from './generate'
import { type Program, emitPy } from './program'
import type { Event } from './record'

export const FIXTURES = fileURLToPath(new URL('../../test/fixtures/difftest/', import.meta.url))
/** Corpus programs are seeds CORPUS_SEED, CORPUS_SEED + 1, … of the generator. */
export const CORPUS_SEED = 1_000_000

/** One corpus case: the program, its Python rendering (what PyTorch ran) and PyTorch's events. */
export interface Case {
  readonly seed: number
  readonly program: Program
  readonly py: string
  readonly torch: ReadonlyArray<Event>
}
/** A recorded disagreement: the case, the key of its first difference, why. */
export interface Known {
  readonly seed: number
  readonly key: string
  readonly reason: string
}

/** Reasons by difference key (filled in from the analysis in /work/notes/difftest-report.md). */
export const REASONS: Readonly<Record<string, string>> = {}

// JSON has no infinities or NaN: program constants such as masked_fill's -inf travel as { $num: '-inf' }
const replacer = (_: string, x: unknown): unknown =>
  typeof x === 'number' && !Number.isFinite(x) ? { $num: String(x) } : x
const reviver = (_: string, x: unknown): unknown =>
  typeof x === 'object' && x !== null && '$num' in x ? Number((x as { $num: string }).$num) : x

type Runner = (ps: ReadonlyArray<Program>) => Array<{ diff: Difference | null; torch: Event[]; ours: Event[] }>

export const readCorpus = (): { cases: Case[]; known: Known[] } => ({
  cases: readFileSync(`${FIXTURES}cases.jsonl`, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l, reviver) as Case),
  known: existsSync(`${FIXTURES}known-differences.json`)
    ? (JSON.parse(readFileSync(`${FIXTURES}known-differences.json`, 'utf8')) as Known[])
    : [],
})

export const writeCorpus = (n: number, run: Runner): void => {
  const progs = Array.from({ length: n }, (_, k) => generate(CORPUS_SEED + k))
  // programs that crash PyTorch itself (a 1.13 segfault) have no answer to keep
  const all = run(progs).map((r, k) => ({ ...r, p: progs[k] as Program }))
  const results = all.filter((r) => !r.torch.some((e) => e.k === 'crash'))
  const cases = results.map(({ p, torch }) => ({ seed: p.seed, program: p, py: emitPy(p), torch }))
  writeFileSync(`${FIXTURES}cases.jsonl`, cases.map((c) => JSON.stringify(c, replacer)).join('\n') + '\n')
  const old = existsSync(`${FIXTURES}known-differences.json`) ? readCorpus().known : []
  const known = results.flatMap(({ diff, p }) => {
    if (diff === null) return []
    const seed = p.seed
    const prev = old.find((o) => o.seed === seed && o.key === diff.key)
    return [{ seed, key: diff.key, reason: prev?.reason ?? REASONS[diff.key] ?? 'unclassified' }]
  })
  writeFileSync(`${FIXTURES}known-differences.json`, JSON.stringify(known, null, 1) + '\n')
  console.log(`corpus: ${n} cases, ${known.length} known differences`)
}
