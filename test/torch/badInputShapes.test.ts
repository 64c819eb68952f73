/**
 * Issue 10 for shapes: F.* functions and nn layers given tensors of the wrong rank, mismatched
 * channels or negative sizes raise PyTorch's error class and text, naming the op PyTorch names
 * (fixtures/bad_input_shapes.py, PyTorch 1.13; 2.x differences are listed in DEVIATIONS).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from './fixtures/bad_input_shapes.json'

type Arg = string | number | boolean | ReadonlyArray<number> | { readonly kw: Readonly<Record<string, unknown>> }
interface Case {
  readonly fn?: string
  readonly module?: string
  readonly ctor?: ReadonlyArray<Arg>
  readonly args: ReadonlyArray<Arg>
  readonly error: string | null
  readonly message: string
}
const cases = fixture.cases as ReadonlyArray<Case>

/** "t:2x3" → torch.ones(2, 3), "i:2x3" → int64 zeros; other values as they are. */
const decodeOne = (a: unknown): unknown => {
  if (typeof a !== 'string' || !/^[ti]:/.test(a)) return a
  const shape = a.slice(2) === '' ? [] : a.slice(2).split('x').map(Number)
  return a[0] === 't' ? torch.ones(shape) : torch.zeros(shape, { dtype: torch.int64 })
}
/** The JS arguments: positionals, then the keywords as a trailing object. */
const decode = (args: ReadonlyArray<Arg>): unknown[] =>
  args.map((a) =>
    typeof a === 'object' && a !== null && 'kw' in a
      ? Object.fromEntries(Object.entries(a.kw).map(([k, v]) => [k, decodeOne(v)]))
      : decodeOne(a),
  )

const label = (c: Case): string =>
  c.fn !== undefined
    ? `F.${c.fn}(${c.args.map((a) => JSON.stringify(a)).join(', ')})`
    : `nn.${c.module}(${(c.ctor ?? []).map((a) => JSON.stringify(a)).join(', ')})(${c.args.join(', ')})`

const pyName = (e: unknown): string => {
  const n = (e as Error).constructor.name
  return n === 'TorchTypeError' ? 'TypeError' : n === 'TorchValueError' ? 'ValueError' : n
}

type Callable = (...a: unknown[]) => unknown
const call = (c: Case): void => {
  if (c.fn !== undefined) {
    ;(torch.nn.functional as unknown as Record<string, Callable>)[c.fn]?.(...decode(c.args))
    return
  }
  const Ctor = (torch.nn as unknown as Record<string, new (...a: unknown[]) => { call: Callable }>)[c.module as string]
  const m = new (Ctor as new (...a: unknown[]) => { call: Callable })(...decode(c.ctor ?? []))
  m.call(...decode(c.args))
}

/** The error's class and first line, as the fixture records them. */
const outcome = (c: Case): { error: string | null; message: string } => {
  try {
    call(c)
  } catch (e) {
    return { error: pyName(e), message: (e as Error).message.split('\n')[0] as string }
  }
  return { error: null, message: '' }
}

describe('bad shapes to F.* and nn layers (PyTorch 1.13 fixture)', () => {
  it.each(cases.map((c) => [label(c), c] as const))('%s', (_, c) => {
    expect(outcome(c)).toEqual({ error: c.error, message: c.message })
  })
})
