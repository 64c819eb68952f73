/**
 * The convolution/pooling reference cases of test/ops/fixtures/conv.json (written by conv.py beside
 * it from PyTorch and NumPy), read by the core and the facade tests alike.
 */
import { readFileSync } from 'node:fs'

/** A convolution: input, weight, options, output, and the gradients of a cotangent. */
export interface ConvCase {
  name: string
  x: number[]
  xShape: number[]
  w: number[]
  wShape: number[]
  kw: Record<string, number | number[]>
  y: number[]
  yShape: number[]
  cot: number[]
  gx: number[]
  gw: number[]
}
/** A 2-D max/avg pooling window and its outputs. */
export interface PoolCase {
  x: number[]
  xShape: number[]
  k: [number, number]
  s: [number, number]
  p: [number, number]
  d: [number, number]
  max: number[]
  maxShape: number[]
  avg: number[] | null
}
/** 1-D convolve/correlate in NumPy's three modes. */
export interface SeqCase {
  a: number[]
  v: number[]
  convolve: Record<'full' | 'same' | 'valid', number[]>
  correlate: Record<'full' | 'same' | 'valid', number[]>
}

/** The fixture's cases. */
export const convFixture = JSON.parse(readFileSync(new URL('../ops/fixtures/conv.json', import.meta.url), 'utf8')) as {
  convs: ConvCase[]
  pools: PoolCase[]
  seqs: SeqCase[]
}
