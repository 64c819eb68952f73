/**
 * Padding layers: `ZeroPad1d/2d/3d`, `ConstantPad1d/2d/3d`, `ReflectionPad1d/2d/3d`,
 * `ReplicationPad1d/2d/3d` and `CircularPad1d/2d/3d` (PyTorch 2.1's), each `F.pad` with its mode;
 * an int pads every side, a tuple lists `[left, right, top, bottom, front, back]`.
 *
 * @category torch
 * @since 0.2.0
 */
import { TorchValueError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import { pyRepr } from './convUtils'
import * as F from './functional'
import { pyFloat, required } from './layers'
import { Module } from './module'
import type { PadMode } from './padding'
import { pyClass } from './pyclass'

/** A padding layer over the last `nsp` axes (the instance type of every padding layer). @category torch @since 0.2.0 */
export abstract class PadNd extends Module {
  /** The amounts in F.pad's order (last axis first). */
  readonly padding: number[]
  readonly mode: PadMode
  readonly value: number
  constructor(cls: string, nsp: number, mode: PadMode, padding: number | ReadonlyArray<number>, value = 0) {
    super()
    const p = typeof padding === 'number' ? new Array<number>(2 * nsp).fill(padding) : [...padding]
    if (p.length !== 2 * nsp || !p.every(Number.isInteger)) {
      throw new TorchValueError(`${cls}: padding must be an int or a tuple of ${2 * nsp} ints, but got ${pyRepr(p)}`)
    }
    this.padding = p
    this.mode = mode
    this.value = value
  }
  /** `F.pad(input, padding, mode, value)`. */
  forward(input: Tensor): Tensor {
    return this.mode === 'constant'
      ? F.pad(input, this.padding, 'constant', this.value)
      : F.pad(input, this.padding, this.mode)
  }
  override extra_repr(): string {
    return pyRepr(this.padding)
  }
}

type Padding = number | ReadonlyArray<number>
type PadArgs = PyArgs<[padding: Padding], { readonly padding?: Padding }>
type ConstantPadArgs = PyArgs<
  [padding: Padding, value: number],
  { readonly padding?: Padding; readonly value?: number }
>

/** The arguments of `cls.__init__(padding[, value])` as Python binds them (an unknown keyword is a TypeError). */
const padArgs = (cls: string, args: ReadonlyArray<unknown>, names: ReadonlyArray<string>): Record<string, unknown> => {
  const a = parseArgs(`${cls}.__init__`, args, names)
  required(`${cls}.__init__`, a, names)
  return a
}

/** A constant padding layer (prints `padding=…, value=…`). @category torch @since 0.2.0 */
export abstract class ConstantPadNd extends PadNd {
  override extra_repr(): string {
    return `padding=${pyRepr(this.padding)}, value=${Number.isInteger(this.value) ? this.value : pyFloat(this.value)}`
  }
}

/** Builds a padding layer class for `nsp` axes and a mode. */
const padClass = (cls: string, nsp: number, mode: PadMode) =>
  class PadLayer extends PadNd {
    constructor(...args: PadArgs) {
      super(cls, nsp, mode, padArgs(cls, args, ['padding']).padding as Padding)
    }
  }

/** Builds a constant padding layer class for `nsp` axes. */
const constantClass = (cls: string, nsp: number) =>
  class ConstantPadLayer extends ConstantPadNd {
    constructor(...args: ConstantPadArgs) {
      const a = padArgs(cls, args, ['padding', 'value'])
      super(cls, nsp, 'constant', a.padding as Padding, a.value as number)
    }
  }

/** Builds a zero padding layer class (printed like the mode layers: `ZeroPad2d((1, 1, 1, 1))`). */
const zeroClass = (cls: string, nsp: number) =>
  class PadLayer extends PadNd {
    constructor(...args: PadArgs) {
      super(cls, nsp, 'constant', padArgs(cls, args, ['padding']).padding as Padding, 0)
    }
  }

/**
 * Pads the last axis with zeros.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.nn.ZeroPad1d([1, 2]).call(torch.ones(1, 2)).tolist(), [[0, 1, 1, 0, 0]])
 * @category torch @since 0.2.0
 */
export const ZeroPad1d = pyClass(zeroClass('ZeroPad1d', 1), 'ZeroPad1d')
/**
 * Pads the last two axes with zeros.
 * @example
 * import * as torch from 'wengert/torch'
 * const pad = torch.nn.ZeroPad2d(1)
 * assert.strictEqual(String(pad.call(torch.ones(1, 2, 2)).shape), 'torch.Size([1, 4, 4])')
 * assert.strictEqual(String(pad), 'ZeroPad2d((1, 1, 1, 1))')
 * @category torch @since 0.2.0
 */
export const ZeroPad2d = pyClass(zeroClass('ZeroPad2d', 2), 'ZeroPad2d')
/** Pads the last three axes with zeros. @category torch @since 0.2.0 */
export const ZeroPad3d = pyClass(zeroClass('ZeroPad3d', 3), 'ZeroPad3d')
/**
 * Pads the last axis with a constant.
 * @example
 * import * as torch from 'wengert/torch'
 * const pad = torch.nn.ConstantPad1d(2, 3.5)
 * assert.deepStrictEqual(pad.call(torch.zeros(1, 1)).tolist(), [[3.5, 3.5, 0, 3.5, 3.5]])
 * assert.strictEqual(String(pad), 'ConstantPad1d(padding=(2, 2), value=3.5)')
 * @category torch @since 0.2.0
 */
export const ConstantPad1d = pyClass(constantClass('ConstantPad1d', 1), 'ConstantPad1d')
/** Pads the last two axes with a constant. @category torch @since 0.2.0 */
export const ConstantPad2d = pyClass(constantClass('ConstantPad2d', 2), 'ConstantPad2d')
/** Pads the last three axes with a constant. @category torch @since 0.2.0 */
export const ConstantPad3d = pyClass(constantClass('ConstantPad3d', 3), 'ConstantPad3d')
/**
 * Pads the last axis with its reflection (the edge not repeated).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.nn.ReflectionPad1d(2).call(torch.tensor([[1, 2, 3]])).tolist(), [[3, 2, 1, 2, 3, 2, 1]])
 * @category torch @since 0.2.0
 */
export const ReflectionPad1d = pyClass(padClass('ReflectionPad1d', 1, 'reflect'), 'ReflectionPad1d')
/**
 * Pads the last two axes with their reflection.
 * @example
 * import * as torch from 'wengert/torch'
 * const pad = torch.nn.ReflectionPad2d([1, 0, 0, 1])
 * assert.deepStrictEqual(pad.call(torch.tensor([[[1, 2], [3, 4]]])).tolist(), [[[2, 1, 2], [4, 3, 4], [2, 1, 2]]])
 * @category torch @since 0.2.0
 */
export const ReflectionPad2d = pyClass(padClass('ReflectionPad2d', 2, 'reflect'), 'ReflectionPad2d')
/** Pads the last three axes with their reflection. @category torch @since 0.2.0 */
export const ReflectionPad3d = pyClass(padClass('ReflectionPad3d', 3, 'reflect'), 'ReflectionPad3d')
/**
 * Pads the last axis by repeating its edge values.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.nn.ReplicationPad1d([1, 2]).call(torch.tensor([[1, 2]])).tolist(), [[1, 1, 2, 2, 2]])
 * @category torch @since 0.2.0
 */
export const ReplicationPad1d = pyClass(padClass('ReplicationPad1d', 1, 'replicate'), 'ReplicationPad1d')
/** Pads the last two axes by repeating their edge values. @category torch @since 0.2.0 */
export const ReplicationPad2d = pyClass(padClass('ReplicationPad2d', 2, 'replicate'), 'ReplicationPad2d')
/** Pads the last three axes by repeating their edge values. @category torch @since 0.2.0 */
export const ReplicationPad3d = pyClass(padClass('ReplicationPad3d', 3, 'replicate'), 'ReplicationPad3d')
/**
 * Pads the last axis circularly (wrapping around).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.nn.CircularPad1d(1).call(torch.tensor([[1, 2, 3]])).tolist(), [[3, 1, 2, 3, 1]])
 * @category torch @since 0.2.0
 */
export const CircularPad1d = pyClass(padClass('CircularPad1d', 1, 'circular'), 'CircularPad1d')
/** Pads the last two axes circularly. @category torch @since 0.2.0 */
export const CircularPad2d = pyClass(padClass('CircularPad2d', 2, 'circular'), 'CircularPad2d')
/** Pads the last three axes circularly. @category torch @since 0.2.0 */
export const CircularPad3d = pyClass(padClass('CircularPad3d', 3, 'circular'), 'CircularPad3d')

// instance types, so ported classes can declare `reflection_pad: torch.nn.ReflectionPad2d`
/** An `nn.ZeroPad1d` instance. @category torch @since 0.2.0 */
export type ZeroPad1d = PadNd
/** An `nn.ZeroPad2d` instance. @category torch @since 0.2.0 */
export type ZeroPad2d = PadNd
/** An `nn.ZeroPad3d` instance. @category torch @since 0.2.0 */
export type ZeroPad3d = PadNd
/** An `nn.ReflectionPad1d` instance. @category torch @since 0.2.0 */
export type ReflectionPad1d = PadNd
/** An `nn.ReflectionPad2d` instance. @category torch @since 0.2.0 */
export type ReflectionPad2d = PadNd
/** An `nn.ReflectionPad3d` instance. @category torch @since 0.2.0 */
export type ReflectionPad3d = PadNd
/** An `nn.ReplicationPad1d` instance. @category torch @since 0.2.0 */
export type ReplicationPad1d = PadNd
/** An `nn.ReplicationPad2d` instance. @category torch @since 0.2.0 */
export type ReplicationPad2d = PadNd
/** An `nn.ReplicationPad3d` instance. @category torch @since 0.2.0 */
export type ReplicationPad3d = PadNd
/** An `nn.CircularPad1d` instance. @category torch @since 0.2.0 */
export type CircularPad1d = PadNd
/** An `nn.CircularPad2d` instance. @category torch @since 0.2.0 */
export type CircularPad2d = PadNd
/** An `nn.CircularPad3d` instance. @category torch @since 0.2.0 */
export type CircularPad3d = PadNd
/** An `nn.ConstantPad1d` instance. @category torch @since 0.2.0 */
export type ConstantPad1d = ConstantPadNd
/** An `nn.ConstantPad2d` instance. @category torch @since 0.2.0 */
export type ConstantPad2d = ConstantPadNd
/** An `nn.ConstantPad3d` instance. @category torch @since 0.2.0 */
export type ConstantPad3d = ConstantPadNd
