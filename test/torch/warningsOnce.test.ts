import { afterEach, describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'

// Python's default warning filter shows a warning once per call site (message, category and the
// caller's line), PyTorch's UserWarnings included; set_warn_always(True) and simplefilter('always')
// show it every time (issue 10: the facade repeated it on every call).
const W = torch.warnings

/** The warnings reaching the handler while `body` runs, outside catch_warnings (which records all). */
const shown = (body: () => void): string[] => {
  const got: string[] = []
  const prev = W.setHandler((w) => got.push(w.message))
  try {
    body()
  } finally {
    W.setHandler(prev)
  }
  return got
}

/** Reads `.grad` of a non-leaf (PyTorch's UserWarning), from one line of this file. */
const readNonLeafGrad = (): void => {
  const y = torch.ones(2, { requires_grad: true }).mul(2)
  void y.grad
}

describe('warnings are shown once per call site', () => {
  afterEach(() => {
    W.resetwarnings()
    torch.set_warn_always(false)
  })

  it('a warning from the same line is shown the first time only', () => {
    W.resetwarnings()
    // Act
    const got = shown(() => {
      for (let i = 0; i < 3; i++) readNonLeafGrad()
    })
    // Assert
    expect(got.length).toBe(1)
    expect(got[0]).toMatch(/^The \.grad attribute of a Tensor that is not a leaf Tensor/)
  })

  it('another call site shows it again', () => {
    W.resetwarnings()
    const y = torch.ones(2, { requires_grad: true }).mul(2)
    const got = shown(() => {
      void y.grad
      void y.grad
      for (let i = 0; i < 2; i++) void y.grad
    })
    expect(got.length).toBe(3)
  })

  it("set_warn_always(true) and simplefilter('always') show it every time; 'ignore' never; 'once' once", () => {
    W.resetwarnings()
    torch.set_warn_always(true)
    expect(shown(() => [1, 2, 3].forEach(readNonLeafGrad)).length).toBe(3)
    torch.set_warn_always(false)
    W.resetwarnings()
    W.simplefilter('always')
    expect(shown(() => [1, 2].forEach(readNonLeafGrad)).length).toBe(2)
    W.simplefilter('ignore')
    expect(shown(() => [1, 2].forEach(readNonLeafGrad)).length).toBe(0)
    W.simplefilter('once')
    const y = torch.ones(2, { requires_grad: true }).mul(2)
    expect(
      shown(() => {
        void y.grad
        void y.grad
      }).length,
    ).toBe(1)
  })

  it('catch_warnings records every warning and leaves the registry as it was', () => {
    W.resetwarnings()
    expect(shown(readNonLeafGrad).length).toBe(1)
    // Act: already shown at this site, yet recorded each time inside catch_warnings
    const [, caught] = W.catch_warnings(() => [1, 2].forEach(readNonLeafGrad))
    // Assert
    expect(caught.length).toBe(2)
    expect(shown(readNonLeafGrad).length).toBe(0)
  })
})
