/**
 * Grad mode: whether facade ops record the graph. PyTorch's context managers take a callback
 * here (`torch.no_grad(() => …)`), restore the previous mode however the callback ends, and
 * `set_grad_enabled(b)` also works as a plain switch.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.ones(2, { requires_grad: true })
 * const y = torch.no_grad(() => x.mul(2))
 * assert.strictEqual(y.requires_grad, false)
 * assert.strictEqual(torch.is_grad_enabled(), true)
 * @category torch
 * @since 0.1.0
 */

let enabled = true
let inference = false

/** True when ops record the graph (PyTorch's `torch.is_grad_enabled()`). @category torch @since 0.1.0 */
export const is_grad_enabled = (): boolean => enabled

/** True inside `inference_mode`. @category torch @since 0.1.0 */
export const is_inference_mode_enabled = (): boolean => inference

const withMode = <R>(mode: boolean, body: () => R, inf = inference): R => {
  const prev = enabled
  const prevInf = inference
  enabled = mode
  inference = inf
  try {
    return body()
  } finally {
    enabled = prev
    inference = prevInf
  }
}

/** Runs `body` without recording (PyTorch: `with torch.no_grad():`). @category torch @since 0.1.0 */
export const no_grad = <R>(body: () => R): R => withMode(false, body)

/** Runs `body` with recording on, e.g. inside `no_grad` (PyTorch: `with torch.enable_grad():`). @category torch @since 0.1.0 */
export const enable_grad = <R>(body: () => R): R => withMode(true, body)

/** Like `no_grad` (PyTorch's `inference_mode`; wengert does not mark inference tensors). @category torch @since 0.1.0 */
export const inference_mode = <R>(body: () => R, mode = true): R => (mode ? withMode(false, body, true) : body())

/**
 * `set_grad_enabled(mode)` switches grad mode (a plain call, as in PyTorch); with a callback it
 * is a context: `set_grad_enabled(false, () => …)`.
 * @category torch @since 0.1.0
 */
export function set_grad_enabled(mode: boolean): void
export function set_grad_enabled<R>(mode: boolean, body: () => R): R
export function set_grad_enabled<R>(mode: boolean, body?: () => R): R | void {
  if (body === undefined) {
    enabled = mode
    return
  }
  return withMode(mode, body)
}
