/**
 * torch.save / torch.load against files written by PyTorch 1.13 (test/fixtures/torch/checkpoints,
 * from scripts/fixtures/checkpoints.py): state dicts, nested values, views, optimizer state,
 * Parameters; refusal of code (os.system), int64 values beyond 32 bits loaded exactly, refusal of
 * truncated files; round trips of both formats; and the other direction: wengert_written.pt was
 * loaded by PyTorch's torch.load (its contents are wengert_written.json, printed by the script),
 * and the writer still produces exactly those bytes.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const DIR = new URL('../fixtures/torch/checkpoints/', import.meta.url)
const file = (name: string): string => new URL(name, DIR).pathname
const EXPECTED = JSON.parse(readFileSync(file('expected.json'), 'utf8')) as Record<string, Record<string, unknown>>

type Desc = { tensor: unknown; dtype: string; shape: number[]; requires_grad: boolean }
/** The same description the Python script prints. */
const describe_ = (v: unknown): unknown => {
  if (v instanceof torch.Tensor)
    return { tensor: v.tolist(), dtype: String(v.dtype), shape: [...v.shape], requires_grad: v.requires_grad }
  if (Array.isArray(v)) return v.map(describe_)
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, describe_(e)]))
  return v
}
/** Float32 values printed by Python are float64 renderings of float32 numbers: compare as float32. */
const close = (got: unknown, want: unknown): void => {
  const flat = (u: unknown): unknown[] => (Array.isArray(u) ? u.flatMap(flat) : [u])
  const [g, w] = [flat(got), flat(want)]
  expect(g.length).toBe(w.length)
  g.forEach((v, i) => expect(Math.fround(v as number)).toBe(Math.fround(w[i] as number)))
}

describe('torch.load of PyTorch 1.13 files', () => {
  it('a state dict loads into the same model and gives PyTorch outputs', () => {
    // Arrange
    const sd = torch.load(file('linear.pt')) as Record<string, torch.Tensor>
    const want = EXPECTED.linear as { state_dict: Record<string, Desc>; input: number[][]; output: number[][] }
    // Act
    const model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    model.load_state_dict(sd)
    const out = model.call(torch.tensor(want.input)).tolist()
    // Assert
    expect(Object.keys(sd)).toEqual(Object.keys(want.state_dict))
    for (const [k, d] of Object.entries(want.state_dict)) {
      expect(String(sd[k]!.dtype)).toBe(d.dtype)
      close(sd[k]!.tolist(), d.tensor)
    }
    const flatOut = (out as number[][]).flat()
    want.output.flat().forEach((v, i) => expect(Math.abs(flatOut[i]! - v)).toBeLessThan(1e-6))
  })
  it('nested values, dtypes, views of one storage and a transposed tensor', () => {
    const got = describe_(torch.load(file('mixed.pt')))
    expect(got).toEqual(EXPECTED.mixed)
  })
  it('an optimizer state dict resumes Adam (0-d step tensors become numbers)', () => {
    const sd = torch.load(file('optim.pt')) as torch.optim.OptimizerStateDict<
      torch.optim.AdamOptions,
      torch.optim.AdamState
    >
    expect(describe_(sd)).toEqual(EXPECTED.optim)
    const w = torch.tensor([1, 2], { requires_grad: true })
    const opt = torch.optim.Adam([w], { lr: 0.5 })
    opt.load_state_dict(sd)
    expect(opt.param_groups[0]!.lr).toBe(0.1)
    expect((opt.state.get(w) as { step: number }).step).toBe(2)
  })
  it('a bare Parameter loads as a tensor requiring grad', () => {
    const p = torch.load(file('param.pt')) as torch.Tensor
    expect(p.requires_grad).toBe(true)
    expect(p.tolist()).toEqual([[1, 2]])
  })
})

describe('torch.load refuses what it must', () => {
  it('pickled code is refused, naming the global, and never run', () => {
    expect(() => torch.load(file('evil.pt'))).toThrow(torch.UnpicklingError)
    expect(() => torch.load(file('evil.pt'))).toThrow(/refusing the global 'posix\.system'/)
  })
  it('int64 values beyond 32 bits load exactly (int64 holds integers to 2**53 - 1)', () => {
    // this file was refused while int64 was stored as int32; now it must load exactly
    const t = (torch.load(file('int_big.pt')) as Record<string, torch.Tensor>)['big'] as torch.Tensor
    expect(t.dtype).toBe(torch.int64)
    expect(t.tolist()).toEqual([2 ** 40])
  })
  it('truncated and damaged files raise', () => {
    const bytes = readFileSync(file('linear.pt'))
    for (const cut of [10, 100, bytes.length - 30, bytes.length - 1])
      expect(() => torch.load(new Uint8Array(bytes.subarray(0, cut)))).toThrow(torch.RuntimeError)
    const damaged = new Uint8Array(bytes)
    damaged[100] = (damaged[100]! + 1) % 256
    expect(() => torch.load(damaged)).toThrow(/crc32 mismatch/)
    const st = torch.safetensors.save({ w: torch.ones(4) })
    expect(() => torch.load(st.subarray(0, st.length - 3))).toThrow(torch.RuntimeError)
  })
  it('unknown options and unsupported locations raise', () => {
    expect(() => torch.load(file('param.pt'), { map_location: 'cuda' })).toThrow(torch.AssertionError)
    expect(() => torch.load(file('param.pt'), { mmap: true })).toThrow(torch.RuntimeError)
    expect(() => torch.load(file('param.pt'), { pickle_module: 1 } as never)).toThrow(
      "load() got an unexpected keyword argument 'pickle_module'",
    )
    expect(() => torch.save({ f: () => 1 })).toThrow(torch.TorchTypeError)
  })
})

describe('torch.save', () => {
  const sample = (): Record<string, unknown> => ({
    w: torch.tensor([
      [1.5, -2],
      [0.25, 4],
    ]),
    d: torch.tensor([1e-300, 2], { dtype: torch.float64 }),
    i: torch.tensor([1, -2, 2147483647]),
    b: torch.tensor([true, false]),
    nested: { list: [1, 2.5, 'x', null, true], state: { 0: { step: 3 } } },
  })
  it.each(['pt', 'safetensors'] as const)('round-trips nested values (%s)', (format) => {
    const back = torch.load(torch.save(sample(), null, { format }))
    expect(describe_(back)).toEqual(describe_(sample()))
  })
  it('writes atomically to a path (no temporary file left; a failed write leaves nothing)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wengert-save-'))
    torch.save(sample(), join(dir, 'model.pt'))
    torch.save({ w: torch.ones(2) }, join(dir, 'model.safetensors'))
    expect(readdirSync(dir).sort()).toEqual(['model.pt', 'model.safetensors'])
    expect(describe_(torch.load(join(dir, 'model.pt')))).toEqual(describe_(sample()))
    expect(torch.safetensors.load_file(join(dir, 'model.safetensors'))).toHaveProperty('w')
    expect(() => torch.save(sample(), join(dir, 'missing', 'x.pt'))).toThrow()
    expect(existsSync(join(dir, 'missing'))).toBe(false)
  })
  it('writes the bytes PyTorch 1.13 was checked to read (wengert_written.pt)', () => {
    const obj = {
      weight: torch.tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
      bias: torch.tensor([0.5, -0.5], { dtype: torch.float64 }),
      steps: torch.tensor([7, 8], { dtype: torch.int64 }),
      mask: torch.tensor([true, false]),
      meta: { epoch: 3, lr: 0.01, name: 'run', 0: [1, 2] },
    }
    const dir = mkdtempSync(join(tmpdir(), 'wengert-save-'))
    torch.save(obj, join(dir, 'wengert_written.pt'))
    expect(new Uint8Array(readFileSync(join(dir, 'wengert_written.pt')))).toEqual(
      new Uint8Array(readFileSync(file('wengert_written.pt'))),
    )
    const python = JSON.parse(readFileSync(file('wengert_written.json'), 'utf8')) as Record<string, unknown>
    expect(python.meta).toEqual({ epoch: 3, lr: 0.01, name: 'run', '0': [1, 2] })
    expect(python.weight).toEqual({
      tensor: [
        [1, 2, 3],
        [4, 5, 6],
      ],
      dtype: 'torch.float32',
      shape: [2, 3],
      requires_grad: false,
    })
    expect(python.steps).toEqual({ tensor: [7, 8], dtype: 'torch.int64', shape: [2], requires_grad: false })
  })
})
