/**
 * Keeps a markdown page honest: every ```ts block is type-checked against the sources (same
 * compiler options and path mapping as the project) and run, with the given modules available
 * to its imports. Used by the docs tests of docs/*.md.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

interface Block {
  readonly line: number
  readonly code: string
  readonly file: string
}

/** The ```ts blocks of a page, with the line each starts on, as virtual files beside it. */
const extractBlocks = (page: string, markdown: string): Block[] => {
  const blocks: Block[] = []
  const lines = markdown.split('\n')
  const stem = page.replace(/[^A-Za-z0-9]/g, '_')
  for (let i = 0; i < lines.length; i++) {
    if ((lines[i] as string).trim() !== '```ts') continue
    const start = i + 1
    let j = start
    while (j < lines.length && (lines[j] as string).trim() !== '```') j++
    blocks.push({
      line: start + 1,
      code: lines.slice(start, j).join('\n'),
      file: join(root, 'docs', `__${stem}_line_${start + 1}.ts`),
    })
    i = j
  }
  return blocks
}

/** Type errors of the blocks compiled as modules of the project. */
const typeErrors = (page: string, bs: ReadonlyArray<Block>): string[] => {
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
  const program = ts.createProgram({
    rootNames: [...virtual.keys()],
    options: { ...parsed.options, noEmit: true },
    host,
  })
  return bs.flatMap((b) => {
    const sf = program.getSourceFile(b.file)
    if (sf === undefined) return [`${page}: block at line ${b.line}: not compiled`]
    return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => {
      const pos = d.start === undefined ? '' : `:${sf.getLineAndCharacterOfPosition(d.start).line + b.line}`
      return `${page}${pos}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`
    })
  })
}

/** Runs a block transpiled to CommonJS, resolving its imports from `modules`. */
const runBlock = (b: Block, modules: Readonly<Record<string, unknown>>): void => {
  const js = ts.transpileModule(b.code, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: b.file,
  }).outputText
  const all: Record<string, unknown> = { ...modules, 'node:assert/strict': assert, 'node:assert': assert }
  const require = (name: string): unknown => {
    if (!(name in all))
      throw new Error(`docs block at line ${b.line} imports ${name}; only ${Object.keys(all).join(', ')} are available`)
    return all[name]
  }
  new Function('require', 'exports', 'module', js)(require, {}, { exports: {} })
}

/**
 * Declares the tests of one page (`docs/x.md`, relative to the repository root): it has at
 * least `minBlocks` examples, they all type-check, and each runs.
 */
export const describeMarkdownDoc = (
  page: string,
  modules: Readonly<Record<string, unknown>>,
  minBlocks: number,
): void => {
  const blocks = extractBlocks(page, readFileSync(join(root, page), 'utf8'))
  describe(page, () => {
    it('has examples', () => {
      expect(blocks.length).toBeGreaterThanOrEqual(minBlocks)
    })

    it('every example type-checks', () => {
      expect(typeErrors(page, blocks)).toEqual([])
    })

    it.each(blocks.map((b) => [b.line, b] as const))('the example at line %i runs', (_, b) => {
      runBlock(b, modules)
    })
  })
}
