/**
 * The byte layout of PyTorch's CPU generator state (`torch.get_rng_state()`), little-endian:
 * the initial seed (u64), the twister's `left` counter and a seeded flag (i32 each), its `next`
 * index (u64), the 624 state words (u64 each), three doubles of the cached Box–Muller sample
 * (the second is the sample), its valid flag (i32), then a cached float sample and its flag.
 *
 * @category torch
 * @since 0.2.0
 */
import { TorchValueError } from './errors'
import type { MT19937 } from './mt19937'

/** Bytes of a state. */
export const STATE_BYTES = 5056

const WORDS = 624
const AT_LEFT = 8
const AT_SEEDED = 12
const AT_NEXT = 16
const AT_STATE = 24
const AT_NORMAL_Y = AT_STATE + 8 * WORDS + 8
const AT_NORMAL_VALID = AT_STATE + 8 * WORDS + 24

/** The state of `mt`, last seeded with `seed`, as PyTorch's bytes. */
export const encodeState = (seed: number, mt: MT19937): Uint8Array => {
  const bytes = new Uint8Array(STATE_BYTES)
  const view = new DataView(bytes.buffer)
  const snap = mt.snapshot()
  view.setBigUint64(0, BigInt.asUintN(64, BigInt(seed)), true)
  // the twister reads word `next` next; PyTorch counts the words `left` before its next twist
  view.setInt32(AT_LEFT, snap.next === 0 || snap.next >= WORDS ? 1 : WORDS + 1 - snap.next, true)
  view.setInt32(AT_SEEDED, 1, true)
  view.setBigUint64(AT_NEXT, BigInt(snap.next), true)
  for (let i = 0; i < WORDS; i++) view.setBigUint64(AT_STATE + 8 * i, BigInt(snap.words[i] as number), true)
  if (snap.nextDoubleNormal !== null) {
    view.setFloat64(AT_NORMAL_Y, snap.nextDoubleNormal, true)
    view.setInt32(AT_NORMAL_VALID, 1, true)
  }
  return bytes
}

/** Restores `mt` from PyTorch's bytes and returns the seed they hold. */
export const decodeState = (bytes: Uint8Array, mt: MT19937): number => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const left = view.getInt32(AT_LEFT, true)
  if (left < 1 || left > WORDS)
    throw new TorchValueError(`set_rng_state: invalid generator state (left = ${left}, expected 1 to ${WORDS})`)
  const words = new Uint32Array(WORDS)
  for (let i = 0; i < WORDS; i++) words[i] = Number(view.getBigUint64(AT_STATE + 8 * i, true) & 0xffffffffn)
  const valid = view.getInt32(AT_NORMAL_VALID, true) !== 0
  const next = Number(view.getBigUint64(AT_NEXT, true))
  mt.restore({
    words,
    next: left === 1 ? (next === 0 ? 0 : WORDS) : WORDS + 1 - left,
    nextDoubleNormal: valid ? view.getFloat64(AT_NORMAL_Y, true) : null,
  })
  return Number(BigInt.asIntN(64, view.getBigUint64(0, true)))
}
