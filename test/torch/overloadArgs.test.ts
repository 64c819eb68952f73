/**
 * A refused keyword no longer hides a missing required argument in overloaded functions and
 * methods (test/torch/fixtures/overload_args.py, PyTorch 1.13; 2.x words these errors the same):
 * the one overload that the argument count admits gives its own error (`sum() missing 1 required
 * positional arguments: "input"`), otherwise the listing with PyTorch's "didn't match because …"
 * lines.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'

const fixture = JSON.parse(readFileSync(new URL('./fixtures/overload_args.json', import.meta.url), 'utf8')) as Record<
  string,
  string
>

type Call = () => unknown
const x = torch.ones(2, 3)
const i = torch.tensor([0, 1])
const foo = { foo: 1 }
/** torch.`name`(...args). */
const fn =
  (name: string, ...args: unknown[]): Call =>
  () =>
    (torch as unknown as Record<string, (...a: unknown[]) => unknown>)[name]?.(...args)
/** x.`name`(...args). */
const method =
  (name: string, ...args: unknown[]): Call =>
  () =>
    (x as unknown as Record<string, (...a: unknown[]) => unknown>)[name]?.(...args)

const calls: Record<string, Call> = {
  'sum(foo=1)': fn('sum', foo),
  'sum(x, foo=1)': fn('sum', x, foo),
  'sum(x, 0, foo=1)': fn('sum', x, 0, foo),
  'max(foo=1)': fn('max', foo),
  'max(x, foo=1)': fn('max', x, foo),
  'max(x, 0, foo=1)': fn('max', x, 0, foo),
  'min(foo=1)': fn('min', foo),
  'min(x, x, foo=1)': fn('min', x, x, foo),
  'std(foo=1)': fn('std', foo),
  'std(x, foo=1)': fn('std', x, foo),
  'var(foo=1)': fn('var', foo),
  'var(x, 0, foo=1)': fn('var', x, 0, foo),
  'mean(foo=1)': fn('mean', foo),
  'mean(x, foo=1)': fn('mean', x, foo),
  'prod(foo=1)': fn('prod', foo),
  'prod(x, 0, foo=1)': fn('prod', x, 0, foo),
  'index_add(foo=1)': fn('index_add', foo),
  'index_add(x, foo=1)': fn('index_add', x, foo),
  'index_add(x, 0, i, x, foo=1)': fn('index_add', x, 0, i, x, foo),
  'scatter(x, foo=1)': fn('scatter', x, foo),
  'scatter(x, 0, i, foo=1)': fn('scatter', x, 0, i, foo),
  'gather(foo=1)': fn('gather', foo),
  'cumsum(foo=1)': fn('cumsum', foo),
  'cumsum(x, foo=1)': fn('cumsum', x, foo),
  'logsumexp(x, foo=1)': fn('logsumexp', x, foo),
  'argsort(foo=1)': fn('argsort', foo),
  'round(x, 1, foo=1)': fn('round', x, 1, foo),
  'max(x, x, x, foo=1)': fn('max', x, x, x, foo),
  'pow(foo=1)': fn('pow', foo),
  'sub(x, foo=1)': fn('sub', x, foo),
  'add(x, x, foo=1)': fn('add', x, x, foo),
  'clamp(x, foo=1)': fn('clamp', x, foo),
  'kthvalue(x, 1, 0, True, foo=1)': fn('kthvalue', x, 1, 0, true, foo),
  'x.sum(foo=1)': method('sum', foo),
  'x.sum(0, foo=1)': method('sum', 0, foo),
  'x.max(foo=1)': method('max', foo),
  'x.max(0, foo=1)': method('max', 0, foo),
  'x.min(x, foo=1)': method('min', x, foo),
  'x.std(foo=1)': method('std', foo),
  'x.var(0, foo=1)': method('var', 0, foo),
  'x.mean(foo=1)': method('mean', foo),
  'x.prod(foo=1)': method('prod', foo),
  'x.index_add(foo=1)': method('index_add', foo),
  'x.index_add(0, foo=1)': method('index_add', 0, foo),
  'x.scatter(foo=1)': method('scatter', foo),
  'x.scatter(0, i, foo=1)': method('scatter', 0, i, foo),
  'x.cumsum(foo=1)': method('cumsum', foo),
  'x.transpose(foo=1)': method('transpose', foo),
  'x.norm(foo=1)': method('norm', foo),
  'x.split(foo=1)': method('split', foo),
  'x.round(foo=1)': method('round', foo),
  'x.add(x, foo=1)': method('add', x, foo),
  'x.squeeze(foo=1)': method('squeeze', foo),
  'x.scatter_add(foo=1)': method('scatter_add', foo),
  'x.index_fill(0, i, 1.5, foo=1)': method('index_fill', 0, i, 1.5, foo),
  'x.index_select(foo=1)': method('index_select', foo),
  'x.index_select(0, foo=1)': method('index_select', 0, foo),
  'x.masked_fill(foo=1)': method('masked_fill', foo),
  'x.narrow(0, foo=1)': method('narrow', 0, foo),
}

const message = (f: Call): string => {
  try {
    f()
  } catch (e) {
    return e instanceof torch.TorchTypeError ? e.message : `not a TypeError: ${String(e)}`
  }
  return 'returned'
}

describe('overloaded calls with a refused keyword (PyTorch fixtures)', () => {
  it('covers every fixture call', () => {
    expect(Object.keys(calls).sort()).toEqual(Object.keys(fixture).sort())
  })
  it.each(Object.keys(fixture))('%s', (key) => {
    // Arrange
    const call = calls[key] as Call
    // Act
    const text = message(call)
    // Assert
    expect(text).toBe(fixture[key])
  })
})
