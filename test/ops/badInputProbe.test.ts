/**
 * Issue 10: every exported function of the core (`wengert`), called with malformed arguments, raises a
 * typed error (a WengertError subclass: ShapeError, ValueError, …), never a raw JavaScript TypeError or
 * RangeError from deep inside the library.
 */
import { describe, it } from 'vitest'
import * as W from '../../src/index'
import { argSets, expectOnlyKnown, probeRawCalls } from '../helpers/badInputProbe'
import { KNOWN_RAW_CALLS } from './badInputKnown'

const t = (): W.NdArray => W.ones([2, 3])
const ARGSETS = argSets(t, () => W.ones([4, 5, 6]))

describe('bad input to the core functions', () => {
  it('raises typed errors, except the known calls left to fix (a list that only shrinks)', () => {
    expectOnlyKnown(probeRawCalls(W, ARGSETS), KNOWN_RAW_CALLS)
  }, 60_000)
})
