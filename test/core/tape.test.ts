import { describe, expect, it } from 'vitest'
import {
  add,
  array,
  checkTape,
  customVjp,
  evalTape,
  exp,
  grad,
  log,
  makeTape,
  matmul,
  mul,
  type NdArray,
  relu,
  sin,
  sum,
  stopGradient,
  type Tape,
  ValueError,
  Var,
  where,
  greater,
} from 'wengert'
import { expectClose, f64 } from '../transforms/helpers'

describe('makeTape', () => {
  it('prints one equation per line, like a jaxpr', () => {
    const tape = makeTape((a: NdArray, b: NdArray) => sin(mul(a, b)))(array([1, 2, 3]), array([4, 5, 6]))
    expect(String(tape)).toMatchInlineSnapshot(`
      "{ lambda a:f32[3] b:f32[3] .
        let c:f32[3] = mul a b
            d:f32[3] = sin c
        in ( d ) }"
    `)
    expect(tape.equations.map((e) => e.primitive.name)).toEqual(['mul', 'sin'])
    expect(tape.inputs.map((v) => v.aval)).toEqual([
      { shape: [3], dtype: 'float32' },
      { shape: [3], dtype: 'float32' },
    ])
  })

  it('shows constants as literals and params in brackets', () => {
    const W = f64([
      [1, 2],
      [3, 4],
      [5, 6],
    ])
    const tape = makeTape((x: NdArray) => sum(add(matmul(x, W), 1), { axis: 1 }))(f64([[1, 2, 3]]))
    expect(String(tape)).toMatchInlineSnapshot(`
      "{ lambda a:f64[1,3] .
        let b:f64[1,2] = matmul[transA=false transB=false] a const:f64[3,2]
            c:f64[1,2] = add b 1.0
            d:f64[1] = reduce_sum[axes=(1,)] c
        in ( d ) }"
    `)
  })

  it('records pytree arguments leaf by leaf, and outputs that are inputs or constants', () => {
    const tape = makeTape((p: { w: NdArray; b: NdArray }, x: NdArray) => [mul(p.w, x), p.b, f64(2)])(
      { w: f64([1, 2]), b: f64(0) },
      f64([3, 4]),
    )
    expect(String(tape)).toMatchInlineSnapshot(`
      "{ lambda a:f64[2] b:f64[] c:f64[2] .
        let d:f64[2] = mul a c
        in ( d b 2.0 ) }"
    `)
  })

  it('records only the branch JS control flow took', () => {
    const f = (x: NdArray) => ((x.item() as number) > 0 ? exp(x) : log(mul(x, -1)))
    expect(String(makeTape(f)(f64(1)))).toMatchInlineSnapshot(`
      "{ lambda a:f64[] .
        let b:f64[] = exp a
        in ( b ) }"
    `)
    expect(String(makeTape(f)(f64(-1)))).toMatchInlineSnapshot(`
      "{ lambda a:f64[] .
        let b:f64[] = mul a -1.0
            c:f64[] = log b
        in ( c ) }"
    `)
  })

  it('shows the composites of relu, where and stopGradient as primitives', () => {
    const tape = makeTape((x: NdArray) => add(relu(x), stopGradient(where(greater(x, 1), x, 0))))(array([0.5, 2]))
    expect(String(tape)).toMatchInlineSnapshot(`
      "{ lambda a:f32[2] .
        let b:bool[2] = gt a 0.0
            c:f32[2] = select b a 0.0
            d:bool[2] = gt a 1.0
            e:f32[2] = select d a 0.0
            f:f32[2] = stop_gradient e
            g:f32[2] = add c f
        in ( g ) }"
    `)
  })

  it('shows a custom rule as one call', () => {
    const total = customVjp(
      function total(x) {
        return sum(x)
      },
      (x) => [sum(x), null],
      (_, g) => [g],
    )
    const tape = makeTape((x: NdArray) => mul(total(x), 2))(f64([1, 2]))
    expect(String(tape)).toMatchInlineSnapshot(`
      "{ lambda a:f64[2] .
        let b:f64[] = custom_vjp_call[f=total] a
            c:f64[] = mul b 2.0
        in ( c ) }"
    `)
    checkTape(tape)
  })

  it('a function of no traced value gives an empty tape', () => {
    expect(String(makeTape((_x: NdArray) => f64(1))(f64(2)))).toMatchInlineSnapshot(
      `"{ lambda a:f64[] . let in ( 1.0 ) }"`,
    )
  })
})

describe('checkTape and evalTape', () => {
  const f = (x: NdArray, y: NdArray) => sum(mul(sin(x), exp(y)))
  const tape = makeTape(f)(f64([0.1, 0.2]), f64([1, 2]))

  it('a recorded tape checks', () => {
    expect(() => checkTape(tape)).not.toThrow()
  })

  it('replays on new inputs', () => {
    const [out] = evalTape(tape, f64([1, 2]), f64([0, 0]))
    expectClose(out!, Math.sin(1) + Math.sin(2))
  })

  it('a replayed tape can be differentiated again', () => {
    const g = grad((x: NdArray) => evalTape(tape, x, f64([0, 1]))[0]!)(f64([0.5, 0.25]))
    expectClose(g, [Math.cos(0.5), Math.cos(0.25) * Math.E])
  })

  it('rejects inputs of another aval and broken tapes', () => {
    expect(() => evalTape(tape, f64([1, 2, 3]), f64([1, 2]))).toThrow('evalTape: input 0 must be f64[2], got f64[3]')
    expect(() => evalTape(tape, f64([1, 2]))).toThrow(new ValueError('evalTape: the tape takes 2 inputs, got 1'))
    // sin, exp, mul, reduce_sum: moving mul before exp uses exp's output before it is defined
    const [eq0, eq1, eq2, eq3] = tape.equations
    const swapped: Tape = { ...tape, equations: [eq0!, eq2!, eq1!, eq3!] }
    expect(() => checkTape(swapped)).toThrow('checkTape: equation 1 (mul) uses an undefined variable')
    const twice: Tape = { ...tape, equations: [eq0!, eq0!, eq1!, eq2!, eq3!] }
    expect(() => checkTape(twice)).toThrow('checkTape: equation 1 (sin) assigns a variable twice')
    const wrongAval: Tape = {
      ...tape,
      equations: [
        { ...eq0!, outvars: [new Var(eq0!.outvars[0]!.id, { shape: [3], dtype: 'float64' })] },
        ...tape.equations.slice(1),
      ],
    }
    expect(() => checkTape(wrongAval)).toThrow(
      'checkTape: equation 0 (sin) records f64[3] but its shape rule gives f64[2]',
    )
  })
})
