/**
 * The differential tester's program representation and its two emitters: one program (a list of
 * statements over named variables) renders as Python for real PyTorch and as JavaScript for
 * `wengert/torch` with the spelling of docs/porting.md (keyword arguments as a trailing options
 * object, `x[i]` as `x.index(i)`, `with torch.no_grad():` as a callback, `m(x)` as `m.call(x)`).
 *
 * The rendered programs talk to a recorder `R` (scripts/difftest/harness.py and record.ts):
 * `R.at(k)` before statement k, `R.rec(name, value)` for a printed tensor, `R.err(e)` for the
 * exception that stopped the program and `R.final(name, leaf)` for every leaf's `.grad`.
 */

/** The dtypes the generator uses (PyTorch's names). */
export type DType = 'float32' | 'float64' | 'int64' | 'bool'
/** A literal tensor element or nested list. */
export type Data = number | boolean | ReadonlyArray<Data>

/** An argument: a variable, a Python float / int / bool / None, a list, a tuple, a dtype, a string, tensor data or a nested expression. */
export type Arg =
  | { readonly t: 'v'; readonly v: string }
  | { readonly t: 'f'; readonly v: number }
  | { readonly t: 'i'; readonly v: number }
  | { readonly t: 'b'; readonly v: boolean }
  | { readonly t: 'none' }
  | { readonly t: 'list'; readonly v: ReadonlyArray<Arg> }
  | { readonly t: 'tuple'; readonly v: ReadonlyArray<Arg> }
  | { readonly t: 'dtype'; readonly v: DType }
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'data'; readonly v: Data }
  | { readonly t: 'expr'; readonly v: Expr }
  /** Source text per language (a lambda, a tuple of names): the autograd kind's functions and hooks. */
  | { readonly t: 'raw'; readonly py: string; readonly js: string }

/** An index item: `i`, `a:b:c`, `None`, `...`, a list of ints, a tensor. */
export type Item =
  | { readonly t: 'i'; readonly v: number }
  | { readonly t: 'slice'; readonly v: string }
  | { readonly t: 'none' }
  | { readonly t: 'ellipsis' }
  | { readonly t: 'list'; readonly v: ReadonlyArray<number> }
  | { readonly t: 'v'; readonly v: string }

/** An expression: a call `recv.name(args, kw)`, an index `recv[items]`, an attribute, or a module call `recv(args)`. */
export type Expr =
  | {
      readonly e: 'call'
      readonly recv: string
      readonly name: string
      readonly args: ReadonlyArray<Arg>
      readonly kw: ReadonlyArray<readonly [string, Arg]>
    }
  | { readonly e: 'index'; readonly recv: string; readonly items: ReadonlyArray<Item> }
  | { readonly e: 'attr'; readonly recv: string; readonly name: string }
  | { readonly e: 'apply'; readonly recv: string; readonly args: ReadonlyArray<Arg> }
  /** `recv[k]`: an element of a returned tuple (a JavaScript array on the facade side). */
  | { readonly e: 'item'; readonly recv: string; readonly k: number }
  /** Source text per language (gen-autograd.ts: calls whose arguments are functions or nested tuples). */
  | { readonly e: 'raw'; readonly py: string; readonly js: string }

/** A statement; `id` numbers it for `R.at`, `op` names it in the difference report. */
export type Stmt =
  | {
      readonly s: 'let'
      readonly id: number
      readonly op: string
      readonly out: string | ReadonlyArray<string> | null
      readonly x: Expr
    }
  | {
      readonly s: 'set'
      readonly id: number
      readonly op: string
      readonly recv: string
      readonly items: ReadonlyArray<Item>
      readonly value: Arg
    }
  | { readonly s: 'nograd'; readonly id: number; readonly op: string; readonly body: ReadonlyArray<Stmt> }
  | { readonly s: 'rec'; readonly v: string }
  /**
   * Lines of source per language (a `def`/`class` and its JavaScript twin, an attribute
   * assignment); nested lines carry their own indentation (gen-autograd.ts).
   */
  | {
      readonly s: 'raw'
      readonly id: number
      readonly op: string
      readonly py: ReadonlyArray<string>
      readonly js: ReadonlyArray<string>
    }
  /**
   * A context manager around a block: Python `with <py>:`, JavaScript `<js>() => { … })` (`js`
   * ends with the callback's place, e.g. `torch.autograd.graph.saved_tensors_hooks(pk, up, `).
   */
  | {
      readonly s: 'with'
      readonly id: number
      readonly op: string
      readonly py: string
      readonly js: string
      readonly body: ReadonlyArray<Stmt>
    }

/** A generated program. `leaves` get their `.grad` recorded at the end, whatever happened. */
export interface Program {
  readonly seed: number
  readonly kind: string
  readonly vars: ReadonlyArray<string>
  readonly leaves: ReadonlyArray<string>
  readonly body: ReadonlyArray<Stmt>
}

// -------------------------------------------------------------------------------------
// shared rendering
// -------------------------------------------------------------------------------------

type Lang = 'py' | 'js'

const pyFloat = (v: number): string => {
  if (Number.isNaN(v)) return "float('nan')"
  if (!Number.isFinite(v)) return v > 0 ? "float('inf')" : "float('-inf')"
  return Number.isInteger(v) ? `${v}.0` : String(v)
}

const data = (d: Data, lang: Lang): string => {
  if (typeof d === 'boolean') return lang === 'py' ? (d ? 'True' : 'False') : String(d)
  if (typeof d === 'number') return String(d)
  return `[${d.map((x) => data(x, lang)).join(', ')}]`
}

const arg = (a: Arg, lang: Lang): string => {
  switch (a.t) {
    case 'v':
      return a.v
    case 'f':
      return lang === 'py' ? pyFloat(a.v) : Number.isNaN(a.v) ? 'NaN' : String(a.v)
    case 'i':
      return String(a.v)
    case 'b':
      return lang === 'py' ? (a.v ? 'True' : 'False') : String(a.v)
    case 'none':
      return lang === 'py' ? 'None' : 'null'
    case 'list':
      return `[${a.v.map((x) => arg(x, lang)).join(', ')}]`
    case 'tuple':
      if (lang === 'js') return `[${a.v.map((x) => arg(x, lang)).join(', ')}]`
      return a.v.length === 1 ? `(${arg(a.v[0] as Arg, lang)},)` : `(${a.v.map((x) => arg(x, lang)).join(', ')})`
    case 'dtype':
      return `torch.${a.v}`
    case 'str':
      return `'${a.v}'`
    case 'data':
      return data(a.v, lang)
    case 'expr':
      return expr(a.v, lang)
    case 'raw':
      return lang === 'py' ? a.py : a.js
  }
}

const item = (it: Item, lang: Lang): string => {
  switch (it.t) {
    case 'i':
      return String(it.v)
    case 'slice':
      return lang === 'py' ? it.v : `'${it.v}'`
    case 'none':
      return lang === 'py' ? 'None' : 'null'
    case 'ellipsis':
      return lang === 'py' ? '...' : `'...'`
    case 'list':
      return `[${it.v.join(', ')}]`
    case 'v':
      return it.v
  }
}

const kwargs = (kw: ReadonlyArray<readonly [string, Arg]>, lang: Lang): string[] => {
  if (kw.length === 0) return []
  if (lang === 'py') return kw.map(([k, v]) => `${k}=${arg(v, lang)}`)
  return [`{ ${kw.map(([k, v]) => `${k}: ${arg(v, lang)}`).join(', ')} }`]
}

const expr = (x: Expr, lang: Lang): string => {
  switch (x.e) {
    case 'call':
      return `${x.recv}.${x.name}(${[...x.args.map((a) => arg(a, lang)), ...kwargs(x.kw, lang)].join(', ')})`
    case 'index': {
      const items = x.items.map((i) => item(i, lang)).join(', ')
      return lang === 'py' ? `${x.recv}[${items}]` : `${x.recv}.index(${items})`
    }
    case 'attr':
      return `${x.recv}.${x.name}`
    case 'apply': {
      const args = x.args.map((a) => arg(a, lang)).join(', ')
      return lang === 'py' ? `${x.recv}(${args})` : `${x.recv}.call(${args})`
    }
    case 'item':
      return `${x.recv}[${x.k}]`
    case 'raw':
      return lang === 'py' ? x.py : x.js
  }
}

const target = (out: string | ReadonlyArray<string>): string => (typeof out === 'string' ? out : `[${out.join(', ')}]`)

/** Options of the emitters: `plain` prints instead of recording (for reproducers in reports). */
export interface EmitOptions {
  readonly plain?: boolean
}

const stmt = (st: Stmt, lang: Lang, pad: string, o: EmitOptions): string[] => {
  const end = lang === 'js' ? ';' : ''
  const at = o.plain || st.s === 'rec' ? [] : [`${pad}R.at(${st.id})${end}`]
  switch (st.s) {
    case 'rec':
      return [o.plain ? `${pad}print(${st.v})${end}` : `${pad}R.rec('${st.v}', ${st.v})${end}`]
    case 'let': {
      const rhs = expr(st.x, lang)
      return [...at, st.out === null ? `${pad}${rhs}${end}` : `${pad}${target(st.out)} = ${rhs}${end}`]
    }
    case 'set': {
      const items = st.items.map((i) => item(i, lang))
      const v = arg(st.value, lang)
      return [
        ...at,
        lang === 'py'
          ? `${pad}${st.recv}[${items.join(', ')}] = ${v}`
          : `${pad}${st.recv}.set(${[...items, v].join(', ')});`,
      ]
    }
    case 'nograd': {
      const inner = st.body.flatMap((b) => stmt(b, lang, `${pad}    `, o))
      if (lang === 'py') return [...at, `${pad}with torch.no_grad():`, ...inner]
      return [...at, `${pad}torch.no_grad(() => {`, ...inner, `${pad}});`]
    }
    case 'raw':
      return [...at, ...(lang === 'py' ? st.py : st.js).map((l) => `${pad}${l}`)]
    case 'with': {
      const inner = st.body.flatMap((b) => stmt(b, lang, `${pad}    `, o))
      if (lang === 'py') return [...at, `${pad}with ${st.py}:`, ...inner, `${pad}    pass`]
      return [...at, `${pad}${st.js}() => {`, ...inner, `${pad}});`]
    }
  }
}

/** Renders a program as Python (PyTorch). */
export const emitPy = (p: Program, o: EmitOptions = {}): string => {
  const body = p.body.flatMap((s) => stmt(s, 'py', o.plain ? '' : '    ', o))
  if (o.plain) return ['import torch', ...body, ...p.leaves.map((v) => `print(${v}.grad)`), ''].join('\n')
  const decl = p.vars.length > 0 ? [`${p.vars.join(' = ')} = None`] : []
  const final = p.leaves.map((v) => `R.final('${v}', ${v})`)
  return [...decl, 'try:', ...body, '    pass', 'except Exception as e:', '    R.err(e)', ...final, ''].join('\n')
}

/** Renders a program as JavaScript on `wengert/torch` (the body of a function of `torch` and `R`). */
export const emitJs = (p: Program, o: EmitOptions = {}): string => {
  const body = p.body.flatMap((s) => stmt(s, 'js', o.plain ? '' : '  ', o))
  const decl = p.vars.length > 0 ? [`let ${p.vars.join(', ')};`] : []
  if (o.plain) {
    const grads = p.leaves.map((v) => `print(${v}.grad);`)
    return ["import * as torch from 'wengert/torch'", 'const { print } = torch', ...decl, ...body, ...grads, ''].join(
      '\n',
    )
  }
  const final = p.leaves.map((v) => `R.final('${v}', ${v});`)
  return [...decl, 'try {', ...body, '} catch (e) {', '  R.err(e);', '}', ...final, ''].join('\n')
}

/** The op of every statement, by id (for grouping differences). */
export const opsById = (p: Program): Map<number, string> => {
  const m = new Map<number, string>()
  const walk = (ss: ReadonlyArray<Stmt>): void => {
    for (const s of ss) {
      if (s.s === 'rec') continue
      m.set(s.id, s.op)
      if (s.s === 'nograd' || s.s === 'with') walk(s.body)
    }
  }
  walk(p.body)
  return m
}
