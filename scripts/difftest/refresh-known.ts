/**
 * Refreshes test/fixtures/difftest/known-differences.json after a fix, without PyTorch: replays
 * the committed corpus on wengert/torch, drops the cases that now agree, and re-keys (and
 * re-classifies with `reasonFor`) the cases whose first difference moved. Prints what changed.
 * Run: `npx tsx scripts/difftest/refresh-known.ts`, then review the diff.
 */
import { writeFileSync } from 'node:fs'
import { compareRuns } from './compare'
import { FIXTURES, type Known, readCorpus, reasonFor } from './corpus'
import { emitJs, opsById } from './program'
import { runJs } from './record'

const { cases, known } = readCorpus()
const previous = new Map(known.map((k) => [k.seed, k]))
const next: Known[] = []
for (const c of cases) {
  const diff = compareRuns(c.torch, runJs(emitJs(c.program)), opsById(c.program))
  const was = previous.get(c.seed)
  if (diff === null) {
    if (was !== undefined) console.log(`seed ${c.seed} agrees now (was ${was.key})`)
    continue
  }
  if (was !== undefined && was.key === diff.key) next.push(was)
  else {
    const reason = reasonFor(diff)
    console.log(`seed ${c.seed}: ${diff.key}${was === undefined ? ' (new)' : ` (was ${was.key})`}: ${reason}`)
    next.push({ seed: c.seed, key: diff.key, reason })
  }
}
writeFileSync(`${FIXTURES}known-differences.json`, JSON.stringify(next, null, 2) + '\n')
console.log(`${cases.length - next.length} / ${cases.length} agree; ${next.length} known differences`)
