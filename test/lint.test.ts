/**
 * Rules a formatter cannot check, over every TypeScript file under src/ (issue 9, item 6):
 * errors are typed — `throw new Error(` is rejected (use the classes of src/ndarray/errors.ts
 * or src/torch/errors.ts; a library bug is `InternalError`) — and no `@ts-ignore` hides a
 * type error; functions in the engine's core folders stay short enough to hold (issue 9, item 4).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(__dirname, '..')

const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) return sources(p)
    return p.endsWith('.ts') ? [relative(ROOT, p).split('\\').join('/')] : []
  })

/** `file:line: text` for each line of the file that matches. */
const hits = (file: string, pattern: RegExp): string[] =>
  readFileSync(join(ROOT, file), 'utf8')
    .split('\n')
    .flatMap((line, i) => (pattern.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : []))

const FILES = sources(join(ROOT, 'src'))

/** `file:line (n lines)` for each function, method or arrow with a body longer than `max` lines. */
const longFunctions =
  (max: number) =>
  (file: string): string[] => {
    const sf = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.ES2022, true)
    const line = (pos: number): number => sf.getLineAndCharacterOfPosition(pos).line
    const out: string[] = []
    const visit = (n: ts.Node): void => {
      if (ts.isFunctionLike(n) && 'body' in n && n.body !== undefined) {
        const lines = line(n.end) - line(n.getStart(sf)) + 1
        if (lines > max) out.push(`${file}:${line(n.getStart(sf)) + 1} (${lines} lines)`)
      }
      ts.forEachChild(n, visit)
    }
    visit(sf)
    return out
  }

describe('source rules', () => {
  it('reads the sources', () => {
    expect(FILES.length).toBeGreaterThan(50)
  })

  it('no `throw new Error(` in src/: throw a typed error (InternalError for a bug in wengert)', () => {
    const found = FILES.flatMap((f) => hits(f, /\bthrow\s+new\s+Error\s*\(/))
    expect(found, `typed errors live in src/ndarray/errors.ts and src/torch/errors.ts`).toEqual([])
  })

  it('no function over 60 lines in src/core, src/transforms, src/torch/autograd (a reader can hold it)', () => {
    const long = FILES.filter((f) => /^src\/(core|transforms|torch\/autograd)\//.test(f)).flatMap(longFunctions(60))
    expect(long, 'split the function into named steps').toEqual([])
  })

  it('no @ts-ignore in src/', () => {
    expect(FILES.flatMap((f) => hits(f, /@ts-ignore/))).toEqual([])
  })
})
