/**
 * `torch.einsum`: Einstein summation over any number of operands, with PyTorch's equation
 * syntax — explicit (`'ij,jk->ik'`) or implicit output (`'ij,jk'`: the subscripts used once, in
 * alphabetical order), an ellipsis `...` for broadcast batch dimensions, repeated subscripts in one
 * operand for diagonals and traces (`'ii->i'`, `'ii'`), size-1 broadcasting. Like PyTorch it
 * takes diagonals first (one operand: then permutes to the output order and sums), sums out
 * subscripts used by one operand only, then contracts left to right with permute/reshape/bmm (a
 * product without contraction is a broadcast `mul`), so the graph holds those facade nodes. With
 * two or more operands and a label summed out, the output is a ViewBackward0, as in PyTorch 2.x
 * (which drops the summed size-1 dims with one final view); otherwise the output's grad_fn is
 * PermuteBackward0 or MulBackward0 as PyTorch's, except some broadcast-ellipsis products, where
 * PyTorch's operand ordering differs (values and gradients are the same).
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const a = torch.tensor([[1, 2], [3, 4]])
 * assert.strictEqual(String(torch.einsum('ij,jk->ik', a, a)), 'tensor([[ 7., 10.],\n        [15., 22.]])')
 * assert.strictEqual(torch.einsum('ii', a).item(), 5)
 * assert.deepStrictEqual(torch.einsum('...i,...i->...', a, a).tolist(), [5, 25])
 * @category torch
 * @since 0.2.0
 */
import { RuntimeError, TorchTypeError, TorchValueError } from '../errors'
import { argTypeName, requireTensorElements } from '../pyTypeName'
import { Tensor } from '../tensor'

type T = Tensor
/** An operand with one label per axis (letters, or `#k` for the k-th ellipsis axis from the left). */
interface Term {
  t: T
  labels: string[]
}

const fail = (msg: string): never => {
  throw new RuntimeError(`einsum(): ${msg}`)
}

/** The labels of one input subscript string for an operand of rank `ndim`. */
const parseTerm = (sub: string, i: number, ndim: number, ell: number): string[] => {
  const dots = sub.indexOf('...')
  const letters = sub.replace('...', '')
  if (letters.includes('.')) fail("found '.' for operand " + i + ' that is not part of any ellipsis')
  for (const c of letters)
    if (!/[A-Za-z]/.test(c)) fail(`invalid subscript given in the equation string, subscripts must be in [a-zA-Z]`)
  if (dots < 0 && letters.length !== ndim)
    fail(
      `the number of subscripts in the equation (${letters.length}) does not match the number of dimensions (${ndim}) for operand ${i} and no ellipsis was given`,
    )
  if (dots >= 0 && letters.length > ndim)
    fail(
      `the number of subscripts in the equation (${letters.length}) is more than the number of dimensions (${ndim}) for operand ${i}`,
    )
  const e = ndim - letters.length
  const ellLabels = Array.from({ length: e }, (_, k) => `#${ell - e + k}`)
  return dots < 0 ? [...letters] : [...sub.slice(0, dots), ...ellLabels, ...sub.slice(dots + 3)]
}

/** The output labels: explicit, or PyTorch's implicit rule (ellipsis axes, then letters used once, sorted). */
const outputLabels = (rhs: string | null, terms: ReadonlyArray<Term>, ell: number): string[] => {
  const ellLabels = Array.from({ length: ell }, (_, k) => `#${k}`)
  const count = new Map<string, number>()
  for (const { labels } of terms) for (const l of labels) count.set(l, (count.get(l) ?? 0) + 1)
  if (rhs === null)
    return [...ellLabels, ...[...count.keys()].filter((l) => !l.startsWith('#') && count.get(l) === 1).sort()]
  const out: string[] = []
  for (const c of rhs.replace('...', '\0')) {
    if (c === '\0') {
      out.push(...ellLabels)
      continue
    }
    if (!/[A-Za-z]/.test(c)) fail('invalid subscript given in the equation string, subscripts must be in [a-zA-Z]')
    if (out.includes(c)) fail(`output subscript ${c} appears more than once in the output`)
    if (!count.has(c)) fail(`output subscript ${c} does not appear in the equation for any input operand`)
    out.push(c)
  }
  return out
}

/**
 * The diagonal over axes `j < k`, kept at `j`: PyTorch's `diagonal(0, j, k).movedim(-1, j)`, a
 * view (a −0 on the diagonal stays −0; the gradient off the diagonal is +0).
 */
const diagonal = (t: T, j: number, k: number): T => t.diagonal(0, j, k).movedim(-1, j)

/** Takes the diagonal of every repeated label (kept at its first position). */
const diagonals = (term: Term): Term => {
  let { t, labels } = term
  for (let k = labels.length - 1; k >= 0; k--) {
    const j = labels.indexOf(labels[k] as string)
    if (j === k) continue
    if (t.shape[j] !== t.shape[k])
      fail(`subscript ${labels[k]} is repeated for operand but the sizes don't match, ${t.shape[j]} != ${t.shape[k]}`)
    t = diagonal(t, j, k)
    labels = labels.filter((_, i) => i !== k)
  }
  return { t, labels }
}

/**
 * Removes the labels of `term` that `keep` lacks: summed, except size-1 ones, which PyTorch 2.x
 * never sums (its einsum keeps them as size-1 dims and drops them with its final view), so a −0
 * keeps its sign.
 */
const dropLabels = (term: Term, keep: ReadonlySet<string>): Term => {
  const { t, labels } = term
  const drop = labels.flatMap((l, i) => (keep.has(l) ? [] : [i]))
  if (drop.length === 0) return term
  const left = labels.filter((l) => keep.has(l))
  const summed = drop.filter((i) => t.shape[i] !== 1)
  if (summed.length === drop.length) return { t: t.sum(drop), labels: left }
  const s = summed.length === 0 ? t : t.sum(summed, true)
  return { t: s.reshape(s.shape.filter((_, i) => !drop.includes(i))), labels: left }
}

/** Takes diagonals, then sums labels that no other operand nor the output uses. */
const simplify = (term: Term, others: ReadonlyArray<Term>, out: ReadonlyArray<string>): Term =>
  dropLabels(diagonals(term), new Set([...out, ...others.flatMap((o) => o.labels)]))

/**
 * A summed label of `a` and `b` that has size 1 in one of them is no contraction in PyTorch 2.x:
 * the other operand is summed over it first (when its size is not 1), and the product keeps the
 * size-1 dim, so `'ij,jk'` with `j` of size 1 multiplies (−0 stays −0) where a matrix product
 * would add to +0.
 */
const unitLabels = (a: Term, b: Term, keep: ReadonlySet<string>): [Term, Term] => {
  const unit = a.labels.filter((l) => {
    if (keep.has(l) || !b.labels.includes(l)) return false
    return a.t.shape[a.labels.indexOf(l)] === 1 || b.t.shape[b.labels.indexOf(l)] === 1
  })
  if (unit.length === 0) return [a, b]
  const rest = new Set([...a.labels, ...b.labels].filter((l) => !unit.includes(l)))
  return [dropLabels(a, rest), dropLabels(b, rest)]
}

/** One operand, as PyTorch: diagonals, a permute to (output, summed), then the sum. */
const single = (term: Term, out: ReadonlyArray<string>): T => {
  const { t, labels } = diagonals(term)
  const rest = labels.filter((l) => !out.includes(l))
  const p = t.dim() === 0 ? t : t.permute([...out, ...rest].map((l) => labels.indexOf(l)))
  return rest.length === 0 ? p : p.sum(rest.map((_, k) => out.length + k))
}

const permuted = (term: Term, order: ReadonlyArray<string>): T => {
  const p = order.map((l) => term.labels.indexOf(l))
  return p.every((v, i) => v === i) ? term.t : term.t.permute(p)
}

const prodOf = (s: ReadonlyArray<number>): number => s.reduce((a, b) => a * b, 1)

/** Contracts two operands, keeping the labels in `keep`. */
const contract = (a0: Term, b0: Term, keep: ReadonlySet<string>): Term => {
  const [a, b] = unitLabels(a0, b0, keep)
  const inB = new Set(b.labels)
  const batch = a.labels.filter((l) => inB.has(l) && keep.has(l))
  const sumd = a.labels.filter((l) => inB.has(l) && !keep.has(l))
  const fa = a.labels.filter((l) => !inB.has(l))
  const fb = b.labels.filter((l) => !a.labels.includes(l))
  const size = (l: string): number => Math.max(a.t.shape[a.labels.indexOf(l)] ?? 1, b.t.shape[b.labels.indexOf(l)] ?? 1)
  const expandTo = (x: Term): Term => ({ t: x.t.expand(x.labels.map(size)), labels: x.labels })
  const [ea, eb] = [expandTo(a), expandTo(b)]
  const [bs, fas, fbs, ss] = [batch.map(size), fa.map(size), fb.map(size), sumd.map(size)]
  const labels = [...batch, ...fa, ...fb]
  if (sumd.length === 0) {
    const x = permuted(ea, [...batch, ...fa]).reshape([...bs, ...fas, ...fb.map(() => 1)])
    const y = permuted(eb, [...batch, ...fb]).reshape([...bs, ...fa.map(() => 1), ...fbs])
    return { t: x.mul(y), labels }
  }
  const x = permuted(ea, [...batch, ...fa, ...sumd]).reshape([prodOf(bs), prodOf(fas), prodOf(ss)])
  const y = permuted(eb, [...batch, ...sumd, ...fb]).reshape([prodOf(bs), prodOf(ss), prodOf(fbs)])
  return { t: x.bmm(y).view([...bs, ...fas, ...fbs]), labels }
}

/** Parses the equation into terms and output labels, checking sizes. */
const parse = (equation: string, operands: ReadonlyArray<T>): [Term[], string[]] => {
  const eq = equation.replace(/\s+/g, '')
  const arrow = eq.indexOf('->')
  const subs = (arrow >= 0 ? eq.slice(0, arrow) : eq).split(',')
  if (subs.length > operands.length) fail('fewer operands were provided than specified in the equation')
  if (subs.length < operands.length) fail('more operands were provided than specified in the equation')
  const ell = Math.max(0, ...subs.map((s, i) => (s.includes('...') ? (operands[i] as T).dim() - (s.length - 3) : 0)))
  const terms = subs.map((s, i) => ({ t: operands[i] as T, labels: parseTerm(s, i, (operands[i] as T).dim(), ell) }))
  const seen = new Map<string, number>()
  terms.forEach(({ t, labels }, i) =>
    labels.forEach((l, ax) => {
      const d = t.shape[ax] as number
      const prev = seen.get(l)
      if (prev !== undefined && prev !== d && prev !== 1 && d !== 1)
        fail(`subscript ${l} has size ${d} for operand ${i} which does not broadcast with previously seen size ${prev}`)
      seen.set(l, prev === undefined || prev === 1 ? d : prev)
    }),
  )
  return [terms, outputLabels(arrow >= 0 ? eq.slice(arrow + 2) : null, terms, ell)]
}

/** A subscript list of PyTorch's list format: ints in [0, 52), and `'...'` (Python's `Ellipsis`). @category torch @since 0.2.0 */
export type Sublist = ReadonlyArray<number | '...'>

/** The letter of one list-format subscript (0–25 `A`–`Z`, 26–51 `a`–`z`), with Python's errors for a bad one. */
const subscript = (n: unknown): string => {
  if (n === '...') return '...'
  if (typeof n !== 'number')
    throw new TorchTypeError(`'>=' not supported between instances of '${argTypeName(n)}' and 'int'`)
  if (n < 0 || n >= 52)
    throw new TorchValueError('einsum(): subscript in subscript list is not within the valid range [0, 52)')
  if (!Number.isInteger(n)) throw new TorchTypeError("'float' object cannot be interpreted as an integer")
  return String.fromCharCode(n < 26 ? 65 + n : 97 + n - 26)
}

/** The subscripts of one list (a string is iterated by character, as Python does). */
const subscripts = (u: unknown): string => {
  if (!Array.isArray(u) && typeof u !== 'string') throw new TorchTypeError(`'${argTypeName(u)}' object is not iterable`)
  return Array.from(u as ArrayLike<unknown>, subscript).join('')
}

/** PyTorch's list format `einsum(op1, sublist1, op2, sublist2, …, [sublist_out])` as an equation and operands. */
const fromSublists = (args: ReadonlyArray<unknown>): [string, ReadonlyArray<unknown>] => {
  const pairs = Math.floor(args.length / 2)
  const operands = Array.from({ length: pairs }, (_, i) => args[2 * i])
  const ins = Array.from({ length: pairs }, (_, i) => subscripts(args[2 * i + 1])).join(',')
  return [args.length % 2 === 1 ? `${ins}->${subscripts(args[args.length - 1])}` : ins, operands]
}

/**
 * The equation and operands of an einsum call: the equation string first (operands after it, or
 * as one list), or the list format (operands each followed by its subscript list).
 */
const equationAndOperands = (args: ReadonlyArray<unknown>): [string, ReadonlyArray<T>] => {
  const [first, ...rest] = args
  if (args.length < 2)
    throw new TorchValueError(
      'einsum(): must specify the equation string and at least one operand, or at least one operand and its subscripts list',
    )
  const [eq, ops] =
    first instanceof Tensor
      ? fromSublists(args)
      : [first, rest.length === 1 && Array.isArray(rest[0]) ? (rest[0] as ReadonlyArray<unknown>) : rest]
  if (typeof eq !== 'string')
    throw new TorchTypeError(`einsum(): argument 'equation' (position 1) must be str, not ${argTypeName(eq)}`)
  return [eq, requireTensorElements(ops, 2)]
}

/**
 * Einstein summation: `einsum('bij,bjk->bik', a, b)`; operands may also be given as one list, or
 * in PyTorch's list format `einsum(a, [0, 1], b, [1, 2], [0, 2])` (`'...'` for the ellipsis).
 * @example
 * import * as torch from 'wengert/torch'
 * const v = torch.tensor([1, 2, 3])
 * assert.deepStrictEqual(torch.einsum('i,j->ij', v, v).select(0, 2).tolist(), [3, 6, 9])
 * assert.deepStrictEqual(torch.einsum('ii->i', torch.eye(2)).tolist(), [1, 1])
 * assert.deepStrictEqual(torch.einsum(v, [0], v, [1], [0, 1]).select(0, 2).tolist(), [3, 6, 9])
 * @category torch
 * @since 0.2.0
 */
export const einsum = (
  ...args: [equation: string, ...operands: ReadonlyArray<T> | [ReadonlyArray<T>]] | ReadonlyArray<T | Sublist>
): T => {
  const [equation, ops] = equationAndOperands(args)
  if (ops.length === 0) fail('must provide at least one operand')
  const [terms0, out] = parse(equation, ops)
  if (terms0.length === 1) return single(terms0[0] as Term, out)
  const terms = terms0.map((t, i) => simplify(t, [...terms0.slice(0, i), ...terms0.slice(i + 1)], out))
  let acc = terms[0] as Term
  for (let i = 1; i < terms.length; i++) {
    const later = terms.slice(i + 1)
    const keep = new Set([...out, ...later.flatMap((t) => t.labels)])
    acc = contract(acc, terms[i] as Term, keep)
    acc = dropLabels(acc, keep)
  }
  const res = permuted(acc, out)
  // PyTorch 2.x (Linear.cpp) keeps each summed label as a size-1 dim until the end and drops them
  // with one view: with anything summed out, the result is a ViewBackward0
  if (!terms0.some((t) => t.labels.some((l) => !out.includes(l)))) return res
  const c = res.contiguous()
  return c.view([...c.shape])
}
