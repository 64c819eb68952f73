/**
 * A restricted unpickler and a small pickler for PyTorch checkpoints. The unpickler accepts only
 * what `torch.load(weights_only=True)` accepts — tensors (`torch._utils._rebuild_tensor_v2`,
 * `_rebuild_parameter`), typed storages, `collections.OrderedDict` and plain values (dicts,
 * lists, tuples, numbers, strings, booleans, None) — and never calls anything else: any other
 * global or opcode is refused with an error naming it. The pickler writes protocol 2 as
 * PyTorch does for state dicts.
 *
 * @category torch
 * @since 0.2.0
 */
import { WengertError } from '../../ndarray/errors'

/** Python's `pickle.UnpicklingError`: the file holds something a weights-only load refuses. @category torch @since 0.2.0 */
export class UnpicklingError extends WengertError {}

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A global the unpickler may reference (never a function it calls freely). */
export type AllowedGlobal =
  | { readonly kind: 'OrderedDict' }
  | { readonly kind: 'rebuild_tensor' }
  | { readonly kind: 'rebuild_parameter' }
  | { readonly kind: 'storage_type'; readonly name: string }

/** The value a persistent id loads to, and how tensors are rebuilt: supplied by the loader. */
export interface UnpickleHooks {
  /** Loads `('storage', type, key, location, numel)`. */
  readonly persistentLoad: (pid: ReadonlyArray<unknown>) => unknown
  /** `_rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])`. */
  readonly rebuildTensor: (args: ReadonlyArray<unknown>) => unknown
  /** `_rebuild_parameter(data, requires_grad, hooks)`. */
  readonly rebuildParameter: (args: ReadonlyArray<unknown>) => unknown
}

const STORAGES = [
  'FloatStorage',
  'DoubleStorage',
  'HalfStorage',
  'BFloat16Storage',
  'LongStorage',
  'IntStorage',
  'ShortStorage',
  'CharStorage',
  'ByteStorage',
  'BoolStorage',
]

const allowedGlobal = (module: string, name: string): AllowedGlobal => {
  if (module === 'collections' && name === 'OrderedDict') return { kind: 'OrderedDict' }
  if (module === 'torch._utils' && name === '_rebuild_tensor_v2') return { kind: 'rebuild_tensor' }
  if (module === 'torch._utils' && name === '_rebuild_parameter') return { kind: 'rebuild_parameter' }
  if (module === 'torch' && STORAGES.includes(name)) return { kind: 'storage_type', name }
  throw new UnpicklingError(
    `torch.load: refusing the global '${module}.${name}': only tensors, storages, OrderedDict and plain values are loaded (as torch.load(weights_only=True)); nothing in the file is executed`,
  )
}

/** A Python tuple loads as a JavaScript array (JavaScript has no tuples). */
const tupleOf = (items: ReadonlyArray<unknown>): unknown[] => [...items]

// -------------------------------------------------------------------------------------
// unpickling
// -------------------------------------------------------------------------------------

const OPNAMES: Record<number, string> = {
  0x69: 'INST',
  0x6f: 'OBJ',
  0x81: 'NEWOBJ',
  0x92: 'NEWOBJ_EX',
  0x49: 'INT',
  0x4c: 'LONG',
  0x46: 'FLOAT',
  0x53: 'STRING',
  0x56: 'UNICODE',
  0x50: 'PERSID',
  0x62: 'BUILD',
  0x63: 'GLOBAL',
}

/** A dict key as a JS property name (Python str and int keys). */
const keyOf = (k: unknown): string => {
  if (typeof k === 'string') return k
  if (typeof k === 'number') return String(k)
  throw new UnpicklingError(`torch.load: unsupported dict key of type ${typeof k} (only str and int keys are loaded)`)
}

/** Reads a pickle, resolving persistent ids and tensor rebuilds through `hooks`. */
export const unpickle = (bytes: Uint8Array, hooks: UnpickleHooks): unknown => {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const dec = new TextDecoder()
  let p = 0
  const need = (n: number): number => {
    if (p + n > bytes.length) throw new UnpicklingError('torch.load: pickle data was truncated')
    const at = p
    p += n
    return at
  }
  const stack: unknown[] = []
  const marks: number[] = []
  const memo = new Map<number, unknown>()
  const pop = (): unknown => {
    if (stack.length === 0) throw new UnpicklingError('torch.load: unpickling stack underflow')
    return stack.pop()
  }
  const popMark = (): unknown[] => {
    const m = marks.pop()
    if (m === undefined) throw new UnpicklingError('torch.load: could not find MARK')
    return stack.splice(m)
  }
  const top = (): unknown => stack[stack.length - 1]
  const setItems = (d: unknown, items: ReadonlyArray<unknown>): void => {
    if (typeof d !== 'object' || d === null || Array.isArray(d))
      throw new UnpicklingError('torch.load: SETITEMS on a value that is not a dict')
    for (let i = 0; i + 1 < items.length; i += 2) (d as Record<string, unknown>)[keyOf(items[i])] = items[i + 1]
  }
  const reduce = (f: unknown, args: unknown): unknown => {
    const a = args as ReadonlyArray<unknown>
    const g = f as AllowedGlobal
    if (g?.kind === 'OrderedDict') return {}
    if (g?.kind === 'rebuild_tensor') return hooks.rebuildTensor(a)
    if (g?.kind === 'rebuild_parameter') return hooks.rebuildParameter(a)
    throw new UnpicklingError('torch.load: REDUCE of a value that is not an allowed callable')
  }
  for (;;) {
    const at = need(1)
    const op = bytes[at] as number
    switch (op) {
      case 0x80: // PROTO
        need(1)
        break
      case 0x95: // FRAME
        need(8)
        break
      case 0x2e: // STOP
        return pop()
      case 0x28: // MARK
        marks.push(stack.length)
        break
      case 0x7d: // EMPTY_DICT
        stack.push({})
        break
      case 0x5d: // EMPTY_LIST
        stack.push([])
        break
      case 0x29: // EMPTY_TUPLE
        stack.push(tupleOf([]))
        break
      case 0x64: {
        // DICT
        const d = {}
        setItems(d, popMark())
        stack.push(d)
        break
      }
      case 0x6c: // LIST
        stack.push([...popMark()])
        break
      case 0x74: // TUPLE
        stack.push(tupleOf(popMark()))
        break
      case 0x85:
      case 0x86:
      case 0x87: {
        const n = op - 0x84
        stack.push(tupleOf(stack.splice(stack.length - n)))
        break
      }
      case 0x4e: // NONE
        stack.push(null)
        break
      case 0x88:
        stack.push(true)
        break
      case 0x89:
        stack.push(false)
        break
      case 0x4b: // BININT1
        stack.push(bytes[need(1)])
        break
      case 0x4d: // BININT2
        stack.push(dv.getUint16(need(2), true))
        break
      case 0x4a: // BININT
        stack.push(dv.getInt32(need(4), true))
        break
      case 0x8a: {
        // LONG1: little-endian two's complement
        const n = bytes[need(1)] as number
        const o = need(n)
        let v = 0n
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[o + i] as number)
        if (n > 0 && ((bytes[o + n - 1] as number) & 0x80) !== 0) v -= 1n << BigInt(8 * n)
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER))
          throw new UnpicklingError(`torch.load: the integer ${v} is beyond 2**53 and cannot be held exactly`)
        stack.push(Number(v))
        break
      }
      case 0x47: // BINFLOAT (big-endian)
        stack.push(dv.getFloat64(need(8), false))
        break
      case 0x58: {
        // BINUNICODE
        const n = dv.getUint32(need(4), true)
        stack.push(dec.decode(bytes.subarray(need(n), p)))
        break
      }
      case 0x8c: {
        // SHORT_BINUNICODE
        const n = bytes[need(1)] as number
        stack.push(dec.decode(bytes.subarray(need(n), p)))
        break
      }
      case 0x8d: {
        // BINUNICODE8
        const n = Number(dv.getBigUint64(need(8), true))
        stack.push(dec.decode(bytes.subarray(need(n), p)))
        break
      }
      case 0x55: {
        // SHORT_BINSTRING (protocol-2 str of Python 2)
        const n = bytes[need(1)] as number
        stack.push(dec.decode(bytes.subarray(need(n), p)))
        break
      }
      case 0x71: // BINPUT
        memo.set(bytes[need(1)] as number, top())
        break
      case 0x72: // LONG_BINPUT
        memo.set(dv.getUint32(need(4), true), top())
        break
      case 0x94: // MEMOIZE
        memo.set(memo.size, top())
        break
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const k = op === 0x68 ? (bytes[need(1)] as number) : dv.getUint32(need(4), true)
        if (!memo.has(k)) throw new UnpicklingError(`torch.load: memo key ${k} not found`)
        stack.push(memo.get(k))
        break
      }
      case 0x73: {
        // SETITEM
        const v = pop()
        const k = pop()
        setItems(top(), [k, v])
        break
      }
      case 0x75: {
        // SETITEMS
        const items = popMark()
        setItems(top(), items)
        break
      }
      case 0x61: {
        // APPEND
        const v = pop()
        ;(top() as unknown[]).push(v)
        break
      }
      case 0x65: {
        // APPENDS
        const items = popMark()
        ;(top() as unknown[]).push(...items)
        break
      }
      case 0x63: {
        // GLOBAL 'module\nname\n'
        const line = (): string => {
          const end = bytes.indexOf(0x0a, p)
          if (end < 0) throw new UnpicklingError('torch.load: pickle data was truncated')
          const s = dec.decode(bytes.subarray(p, end))
          p = end + 1
          return s
        }
        const module = line()
        stack.push(allowedGlobal(module, line()))
        break
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop()
        const module = pop()
        stack.push(allowedGlobal(String(module), String(name)))
        break
      }
      case 0x52: {
        // REDUCE
        const args = pop()
        stack.push(reduce(pop(), args))
        break
      }
      case 0x51: // BINPERSID
        stack.push(hooks.persistentLoad(pop() as ReadonlyArray<unknown>))
        break
      case 0x62: {
        // BUILD: only an OrderedDict's attributes (state dicts carry `_metadata`)
        const state = pop()
        const obj = top()
        if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
          throw new UnpicklingError("torch.load: unsupported pickle opcode 'BUILD' on a value that is not a dict")
        Object.defineProperty(obj, '_metadata', { value: state, enumerable: false, writable: true, configurable: true })
        break
      }
      default:
        throw new UnpicklingError(
          `torch.load: unsupported pickle opcode '${OPNAMES[op] ?? String.fromCharCode(op)}' (0x${op.toString(16).padStart(2, '0')}) at byte ${at}; only weights (tensors, dicts, lists and plain values) can be loaded`,
        )
    }
  }
}

// -------------------------------------------------------------------------------------
// pickling
// -------------------------------------------------------------------------------------

/** Builds a protocol-2 pickle. */
export class Pickler {
  private readonly chunks: number[] = []
  private readonly enc = new TextEncoder()

  constructor() {
    this.chunks.push(0x80, 2)
  }

  /** Raw bytes. */
  bytes(...b: ReadonlyArray<number>): this {
    for (const x of b) this.chunks.push(x)
    return this
  }
  mark(): this {
    return this.bytes(0x28)
  }
  none(): this {
    return this.bytes(0x4e)
  }
  bool(v: boolean): this {
    return this.bytes(v ? 0x88 : 0x89)
  }
  int(v: number): this {
    if (v >= 0 && v < 256) return this.bytes(0x4b, v)
    if (v >= -(2 ** 31) && v < 2 ** 31) {
      const b = new Uint8Array(4)
      new DataView(b.buffer).setInt32(0, v, true)
      return this.bytes(0x4a, ...b)
    }
    // LONG1, little-endian two's complement
    let x = BigInt(v)
    const out: number[] = []
    do {
      out.push(Number(x & 0xffn))
      x >>= 8n
    } while (
      !(x === 0n && ((out[out.length - 1] as number) & 0x80) === 0) &&
      !(x === -1n && ((out[out.length - 1] as number) & 0x80) !== 0)
    )
    return this.bytes(0x8a, out.length, ...out)
  }
  float(v: number): this {
    const b = new Uint8Array(8)
    new DataView(b.buffer).setFloat64(0, v, false)
    return this.bytes(0x47, ...b)
  }
  str(s: string): this {
    const b = this.enc.encode(s)
    const n = new Uint8Array(4)
    new DataView(n.buffer).setUint32(0, b.length, true)
    return this.bytes(0x58, ...n, ...b)
  }
  global(module: string, name: string): this {
    return this.bytes(0x63, ...this.enc.encode(`${module}\n${name}\n`))
  }
  tuple(): this {
    return this.bytes(0x74)
  }
  emptyTuple(): this {
    return this.bytes(0x29)
  }
  emptyDict(): this {
    return this.bytes(0x7d)
  }
  emptyList(): this {
    return this.bytes(0x5d)
  }
  setItems(): this {
    return this.bytes(0x75)
  }
  appends(): this {
    return this.bytes(0x65)
  }
  reduce(): this {
    return this.bytes(0x52)
  }
  persid(): this {
    return this.bytes(0x51)
  }
  stop(): Uint8Array {
    this.chunks.push(0x2e)
    return Uint8Array.from(this.chunks)
  }
}
