/**
 * Keeps docs/verification.md honest: every ```ts block is type-checked against the sources and
 * run, with 'wengert', 'wengert/laws', 'fast-check' and 'node:assert/strict' available.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as fc from 'fast-check'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import * as wengert from 'wengert'
import * as laws from 'wengert/laws'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const docPath = join(root, 'docs', 'verification.md')

interface Block {
  readonly line: number
  readonly code: string
  readonly file: string
}

/** The ```ts blocks of the page, with the line each starts on. */
const extractBlocks = (markdown: string): Block[] => {
  const blocks: Block[] = []
  const lines = markdown.split('\n')
  for (let i = 0; i < lines.length; i++) {
    if ((lines[i] as string).trim() !== '```ts') continue
    const start = i + 1
    let j = start
    while (j < lines.length && (lines[j] as string).trim() !== '```') j++
    blocks.push({ line: start + 1, code: lines.slice(start, j).join('\n'), file: join(root, 'docs', `__verification_md_line_${start + 1}.ts`) })
    i = j
  }
  return blocks
}

const blocks = extractBlocks(readFileSync(docPath, 'utf8'))

/** Type-checks the blocks as (virtual) modules of the project: same options and path mapping. */
const typeErrors = (bs: ReadonlyArray<Block>): string[] => {
  const configFile = ts.readConfigFile(join(root, 'tsconfig.json'), (p) => ts.sys.readFile(p))
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root)
  const virtual = new Map(bs.map((b) => [b.file, b.code]))
  const host = ts.createCompilerHost(parsed.options)
  const getSourceFile = host.getSourceFile.bind(host)
  host.getSourceFile = (name, lang, onError, create) => {
    const text = virtual.get(name)
    return text === undefined ? getSourceFile(name, lang, onError, create) : ts.createSourceFile(name, text, lang)
  }
  const fileExists = host.fileExists.bind(host)
  host.fileExists = (name) => virtual.has(name) || fileExists(name)
  const readFile = host.readFile.bind(host)
  host.readFile = (name) => virtual.get(name) ?? readFile(name)
  const program = ts.createProgram({ rootNames: [...virtual.keys()], options: { ...parsed.options, noEmit: true }, host })
  return bs.flatMap((b) => {
    const sf = program.getSourceFile(b.file)
    if (sf === undefined) return [`block at line ${b.line}: not compiled`]
    return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => {
      const pos = d.start === undefined ? '' : `:${sf.getLineAndCharacterOfPosition(d.start).line + b.line}`
      return `docs/verification.md${pos}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`
    })
  })
}

/** Runs a block transpiled to CommonJS, with its four imports provided. */
const runBlock = (b: Block): void => {
  const js = ts.transpileModule(b.code, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: b.file,
  }).outputText
  const modules: Record<string, unknown> = { wengert, 'wengert/laws': laws, 'fast-check': fc, 'node:assert/strict': assert, 'node:assert': assert }
  const require = (name: string): unknown => {
    if (!(name in modules)) throw new Error(`docs block at line ${b.line} imports ${name}; only ${Object.keys(modules).join(', ')} are available`)
    return modules[name]
  }
  new Function('require', 'exports', 'module', js)(require, {}, { exports: {} })
}

describe('docs/verification.md', () => {
  it('has examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(8)
  })

  it('every example type-checks', () => {
    expect(typeErrors(blocks)).toEqual([])
  })

  it.each(blocks.map((b) => [b.line, b] as const))('the example at line %i runs', (_, b) => {
    runBlock(b)
  })
})
