/**
 * Dtype questions JAX programs ask (JAX's `jnp.result_type`, `promote_types`, `can_cast`,
 * `issubdtype`, `isdtype`), over this project's dtypes and its weak JS numbers.
 *
 * @category ops
 * @since 0.5.0
 */
import { weakKind, type WeakKind } from '../../core/weak'
import { checkDType, isFloat, promoteTypes as promotePair, type DType } from '../../ndarray/dtype'
import { DTypeError, ValueError } from '../../ndarray/errors'
import { isNdArray, type NdArray } from '../../ndarray/NdArray'

/**
 * NumPy's abstract scalar types, by their NumPy names (`jnp.floating` is `'floating'`, …);
 * `'bool_'` is the bool type itself, as `jnp.bool_`.
 */
export type AbstractDType =
  | 'generic'
  | 'number'
  | 'integer'
  | 'signedinteger'
  | 'unsignedinteger'
  | 'inexact'
  | 'floating'
  | 'complexfloating'
  | 'bool_'

/** What `resultType` accepts: a dtype name, an array, a JS number (weak) or a JS boolean (bool). */
export type DTypeLike = DType | NdArray | number | boolean

/** NumPy's casting rules, weakest first. */
export type Casting = 'no' | 'equiv' | 'safe' | 'same_kind' | 'unsafe'

/** The dtype of one `resultType` operand, or its weak kind. */
const classify = (op: string, x: unknown): DType | WeakKind => {
  if (typeof x === 'number') return Number.isInteger(x) ? 'int' : 'float'
  if (typeof x === 'boolean') return 'bool'
  if (isNdArray(x)) return weakKind(x) ?? x.dtype
  return checkDType(op, x)
}

/**
 * The dtype JAX's promotion gives its operands (JAX's `jnp.result_type`): arrays and dtype names
 * are strong and join on the lattice of {@link promoteTypes}; a JS number is weak, as JAX's
 * Python scalars — an integer keeps a strong integer's width (a bool becomes int32), a fraction
 * keeps a strong float's and makes integers float32. With no strong operand the result is
 * float32, the dtype a JS number alone becomes in this project's arithmetic (JAX's default int
 * for Python ints is where this differs).
 * @example
 * import { array, resultType } from 'wengert'
 * assert.strictEqual(resultType('uint8', 'int8'), 'int16')
 * assert.strictEqual(resultType(array([1], { dtype: 'int8' }), 3), 'int8')
 * assert.strictEqual(resultType('int32', 0.5), 'float32')
 * assert.strictEqual(resultType('int64', 'float32'), 'float32')
 * @category ops
 * @since 0.5.0
 */
export const resultType = (...args: ReadonlyArray<DTypeLike>): DType => {
  if (args.length === 0) throw new ValueError('at least one array or dtype is required')
  let strong: DType | undefined
  let weak: WeakKind | undefined
  for (const a of args) {
    const c = classify('result_type', a)
    if (c === 'int' || c === 'float') weak = weak === 'float' ? 'float' : c
    else strong = strong === undefined ? c : promotePair(strong, c)
  }
  if (strong === undefined) return 'float32'
  if (weak === undefined || isFloat(strong)) return strong
  return weak === 'float' ? 'float32' : strong === 'bool' ? 'int32' : strong
}

/**
 * The dtype a binary operation brings two dtypes to (JAX's `jnp.promote_types`): the join on
 * JAX's lattice bool < integers < floats, where uint8 with int8 is int16 and any integer with a
 * float is that float (JAX's table; NumPy's would widen int32 with float32 to float64).
 * @example
 * import { promoteTypes } from 'wengert'
 * assert.strictEqual(promoteTypes('int32', 'float32'), 'float32')
 * assert.strictEqual(promoteTypes('bool', 'uint8'), 'uint8')
 * @category ops
 * @since 0.5.0
 */
export const promoteTypes = (a: DType, b: DType): DType =>
  promotePair(checkDType('promote_types', a), checkDType('promote_types', b))

const INT_RANGE: { readonly [K in DType]?: readonly [number, number] } = {
  uint8: [0, 255],
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [-(2 ** 63), 2 ** 63],
}

/** NumPy's kind order for 'same_kind': bool, unsigned, signed, float. */
const kindOrder = (d: DType): number => (d === 'bool' ? 0 : d === 'uint8' ? 1 : isFloat(d) ? 3 : 2)

/** NumPy's 'safe' rule: every value of `from` is a value of `to`. */
const safe = (from: DType, to: DType): boolean => {
  if (from === to || from === 'bool') return true
  if (to === 'float64') return true
  if (to === 'float32') return from === 'uint8' || from === 'int8' || from === 'int16'
  const f = INT_RANGE[from]
  const t = INT_RANGE[to]
  return f !== undefined && t !== undefined && t[0] <= f[0] && f[1] <= t[1]
}

const CASTINGS: ReadonlyArray<Casting> = ['no', 'equiv', 'safe', 'same_kind', 'unsafe']

/**
 * Whether a cast from one dtype (or an array's) to another is allowed under a casting rule
 * (JAX's `jnp.can_cast`, NumPy's rules): `'no'`/`'equiv'` the same dtype, `'safe'` every value
 * kept, `'same_kind'` also narrowing within or towards a higher kind (bool, unsigned, signed,
 * float), `'unsafe'` any.
 * @example
 * import { canCast } from 'wengert'
 * assert.strictEqual(canCast('int16', 'float32'), true)
 * assert.strictEqual(canCast('int32', 'float32'), false)
 * assert.strictEqual(canCast('float64', 'float32', 'same_kind'), true)
 * @category ops
 * @since 0.5.0
 */
export const canCast = (from: DType | NdArray, to: DType, casting: Casting = 'safe'): boolean => {
  if (typeof from === 'number' || typeof from === 'boolean')
    throw new DTypeError(
      `can_cast() does not support Python scalars; got ${String(from)}. Pass an array or a dtype as from_`,
    )
  const f = isNdArray(from) ? from.dtype : checkDType('can_cast', from)
  const t = checkDType('can_cast', to)
  if (!CASTINGS.includes(casting))
    throw new ValueError(
      `casting must be one of 'no', 'equiv', 'safe', 'same_kind', or 'unsafe'; got ${String(casting)}`,
    )
  if (casting === 'unsafe') return true
  if (casting === 'no' || casting === 'equiv') return f === t
  return safe(f, t) || (casting === 'same_kind' && kindOrder(f) <= kindOrder(t))
}

const ABSTRACT: ReadonlyArray<AbstractDType> = [
  'generic',
  'number',
  'integer',
  'signedinteger',
  'unsignedinteger',
  'inexact',
  'floating',
  'complexfloating',
  'bool_',
]

/** The abstract types above each abstract type (itself included), NumPy's class tree. */
const ANCESTORS: { readonly [K in AbstractDType]: ReadonlyArray<AbstractDType> } = {
  generic: ['generic'],
  number: ['number', 'generic'],
  integer: ['integer', 'number', 'generic'],
  signedinteger: ['signedinteger', 'integer', 'number', 'generic'],
  unsignedinteger: ['unsignedinteger', 'integer', 'number', 'generic'],
  inexact: ['inexact', 'number', 'generic'],
  floating: ['floating', 'inexact', 'number', 'generic'],
  complexfloating: ['complexfloating', 'inexact', 'number', 'generic'],
  bool_: ['bool_', 'generic'],
}

/** The abstract type directly above a concrete dtype. */
const parent = (d: DType): AbstractDType =>
  d === 'bool' ? 'bool_' : d === 'uint8' ? 'unsignedinteger' : isFloat(d) ? 'floating' : 'signedinteger'

const isAbstract = (x: unknown): x is AbstractDType =>
  typeof x === 'string' && (ABSTRACT as ReadonlyArray<string>).includes(x)

/** A dtype, an array's dtype, or an abstract type; other values raise JAX's words. */
const typeArg = (x: unknown): DType | AbstractDType => {
  if (isNdArray(x)) return x.dtype
  if (isAbstract(x)) return x === 'bool_' ? 'bool' : x
  return checkDType('issubdtype', x)
}

/**
 * Whether the first type is the second or below it in NumPy's type tree (JAX's
 * `jnp.issubdtype`). Either may be a dtype name, an array (its dtype) or an abstract type:
 * `'generic'` ⊃ `'number'` ⊃ `'integer'` ⊃ `'signedinteger'`/`'unsignedinteger'`, `'number'` ⊃
 * `'inexact'` ⊃ `'floating'`/`'complexfloating'`, and `'bool_'` (bool) under `'generic'` only.
 * @example
 * import { issubdtype } from 'wengert'
 * assert.strictEqual(issubdtype('int8', 'integer'), true)
 * assert.strictEqual(issubdtype('uint8', 'signedinteger'), false)
 * assert.strictEqual(issubdtype('float32', 'inexact'), true)
 * assert.strictEqual(issubdtype('bool', 'number'), false)
 * @category ops
 * @since 0.5.0
 */
export const issubdtype = (arg1: DType | AbstractDType | NdArray, arg2: DType | AbstractDType | NdArray): boolean => {
  const a = typeArg(arg1)
  const b = typeArg(arg2)
  if (a === b) return true
  if (!isAbstract(b)) return false
  const up = isAbstract(a) ? ANCESTORS[a] : ANCESTORS[parent(a)]
  return up.includes(b)
}

/** The Array API's dtype kinds `isdtype` accepts. */
export type DTypeKind =
  'bool' | 'signed integer' | 'unsigned integer' | 'integral' | 'real floating' | 'complex floating' | 'numeric'

const KINDS: { readonly [K in DTypeKind]: (d: DType) => boolean } = {
  bool: (d) => d === 'bool',
  'signed integer': (d) => d !== 'bool' && d !== 'uint8' && !isFloat(d),
  'unsigned integer': (d) => d === 'uint8',
  integral: (d) => d !== 'bool' && !isFloat(d),
  'real floating': isFloat,
  'complex floating': () => false,
  numeric: (d) => d !== 'bool',
}

/** One `isdtype` kind: a kind name or a dtype. */
const kindMatches = (dtype: DType, kind: DTypeKind | DType): boolean => {
  if (typeof kind === 'string' && kind in KINDS) return KINDS[kind as DTypeKind](dtype)
  if (typeof kind !== 'string')
    throw new DTypeError(`Expected kind to be a dtype, string, or tuple; got ${String(kind)}`)
  const names = Object.keys(KINDS).map((k) => `'${k}'`)
  try {
    return checkDType('isdtype', kind) === dtype
  } catch {
    throw new ValueError(`Unrecognized data type kind='${kind}'; expected a dtype or one of ${names.join(', ')}`)
  }
}

/**
 * Whether a dtype is of a kind (JAX's `jnp.isdtype`, the Array API's function): `kind` is a dtype
 * name, a kind name (`'bool'`, `'signed integer'`, `'unsigned integer'`, `'integral'`,
 * `'real floating'`, `'complex floating'`, `'numeric'`) or a list of them (any matches).
 * @example
 * import { isdtype } from 'wengert'
 * assert.strictEqual(isdtype('int16', 'integral'), true)
 * assert.strictEqual(isdtype('uint8', 'signed integer'), false)
 * assert.strictEqual(isdtype('float64', ['bool', 'real floating']), true)
 * @category ops
 * @since 0.5.0
 */
export const isdtype = (dtype: DType, kind: DTypeKind | DType | ReadonlyArray<DTypeKind | DType>): boolean => {
  const d = checkDType('isdtype', dtype)
  return Array.isArray(kind)
    ? (kind as ReadonlyArray<DTypeKind | DType>).some((k) => kindMatches(d, k))
    : kindMatches(d, kind as DTypeKind | DType)
}
