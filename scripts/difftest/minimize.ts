/**
 * Shrinks differing programs to minimal reproducers: greedily deletes statements while the first
 * difference keeps its key. All candidates of all programs of a round run in one batch (one
 * PyTorch process), so a round costs one Python start.
 */
import type { Difference } from './compare'
import { type Program, type Stmt, emitJs, emitPy } from './program'
import type { Event } from './record'

type Runner = (ps: ReadonlyArray<Program>) => Array<{ diff: Difference | null; torch: Event[]; ours: Event[] }>

const outputs = (s: Stmt): string[] =>
  s.s === 'let' && s.out !== null ? (typeof s.out === 'string' ? [s.out] : [...s.out]) : []

/** Deletes statement `k` of `ss` and the recordings of its outputs, unless a statement uses them. */
const drop = (ss: ReadonlyArray<Stmt>, k: number): Stmt[] | null => {
  const s = ss[k] as Stmt
  if (s.s === 'rec') return [...ss.slice(0, k), ...ss.slice(k + 1)]
  if (s.s === 'nograd' && s.op === 'init') return null
  const outs = outputs(s)
  const rest = [...ss.slice(0, k), ...ss.slice(k + 1)].filter((r) => r.s !== 'rec' || !outs.includes(r.v))
  const text = JSON.stringify(rest)
  return outs.some((o) => text.includes(`"${o}"`) || text.includes(`"${o}.`)) ? null : rest
}

/** Every way to delete one statement (at the top level or inside a no_grad block) that keeps the program well-formed. */
const deletions = (p: Program): Program[] => {
  const out: Program[] = []
  const body = p.body
  body.forEach((s, k) => {
    const d = drop(body, k)
    if (d !== null) out.push({ ...p, body: d })
    if (s.s === 'nograd' && s.op !== 'init')
      s.body.forEach((_, j) => {
        const di = drop(s.body, j)
        if (di === null) return
        const inner: Stmt = { ...s, body: di }
        out.push({ ...p, body: [...body.slice(0, k), inner, ...body.slice(k + 1)] })
      })
  })
  return out
}

const used = (p: Program): Program => {
  const text = emitPy({ ...p, leaves: [] }, { plain: true })
  const isUsed = (v: string): boolean => new RegExp(`\\b${v}\\b`).test(text)
  return { ...p, vars: p.vars.filter(isUsed), leaves: p.leaves.filter(isUsed) }
}

/** Minimizes each program (keeping its difference key); returns the reproducers as text. */
export const minimizePrograms = (
  items: ReadonlyArray<{ key: string; prog: Program }>,
  run: Runner,
): Array<{ key: string; seed: number; prog: Program; diff: Difference | null }> => {
  const cur = items.map((it) => ({ ...it, done: false, diff: null as Difference | null }))
  for (let round = 0; round < 60 && cur.some((c) => !c.done); round++) {
    const cands = cur.flatMap((c, k) => (c.done ? [] : deletions(c.prog).map((p) => ({ k, p }))))
    const results = run(cands.map((c) => c.p))
    const firstOk = new Map<number, { p: Program; diff: Difference }>()
    cands.forEach((c, j) => {
      const d = results[j]?.diff
      if (d !== null && d !== undefined && d.key === cur[c.k]?.key && !firstOk.has(c.k))
        firstOk.set(c.k, { p: c.p, diff: d })
    })
    cur.forEach((c, k) => {
      const ok = firstOk.get(k)
      if (ok === undefined) c.done = true
      else Object.assign(c, { prog: ok.p, diff: ok.diff })
    })
  }
  return cur.map((c) => ({ key: c.key, seed: c.prog.seed, prog: used(c.prog), diff: c.diff }))
}

/** Renders a reproducer: Python, TypeScript and what each side gave. */
export const reproducer = (prog: Program, diff: Difference | null): string =>
  [
    '```python',
    emitPy(prog, { plain: true }).trimEnd(),
    '```',
    '```ts',
    emitJs(prog, { plain: true }).trimEnd(),
    '```',
    `PyTorch: \`${JSON.stringify(diff?.torch)}\``,
    '',
    `wengert: \`${JSON.stringify(diff?.wengert)}\``,
  ].join('\n')

/**
 * Shrinks agreeing programs for the corpus: greedily deletes statements while the program still
 * agrees with PyTorch and still calls every op of `keep` (the op family it stands for, with the
 * statements that make it meaningful, e.g. an optimizer's step and its parameter's record), so the replayed case
 * is small. One PyTorch process a round, as minimizePrograms.
 */
export const shrinkAgreeing = (
  items: ReadonlyArray<{ keep: ReadonlyArray<string>; prog: Program }>,
  run: Runner,
): Program[] => {
  const calls = (p: Program, ops: ReadonlyArray<string>): boolean => {
    const text = JSON.stringify(p.body)
    return ops.every((op) => text.includes(`"op":${JSON.stringify(op)}`))
  }
  const cur = items.map((it) => ({ ...it, done: false }))
  for (let round = 0; round < 60 && cur.some((c) => !c.done); round++) {
    const cands = cur.flatMap((c, k) =>
      c.done ? [] : deletions(c.prog).flatMap((p) => (calls(p, c.keep) ? [{ k, p }] : [])),
    )
    const results = run(cands.map((c) => c.p))
    const firstOk = new Map<number, Program>()
    cands.forEach((c, j) => {
      if (results[j]?.diff === null && !firstOk.has(c.k)) firstOk.set(c.k, c.p)
    })
    cur.forEach((c, k) => {
      const ok = firstOk.get(k)
      if (ok === undefined) c.done = true
      else c.prog = ok
    })
  }
  return cur.map((c) => used(c.prog))
}
