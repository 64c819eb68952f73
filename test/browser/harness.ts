/**
 * What the browser tests share: where Chromium is, bundling a script with esbuild, a local
 * HTTP server that sends a Content-Security-Policy header, and a headless browser.
 *
 * Chromium is Debian's `chromium` package (`.ci/run` installs it), driven by playwright-core
 * (which downloads no browser of its own). Without it the tests skip with a message, except
 * under CI (`CI=true`), where a missing browser fails them.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { chromium, type Browser } from 'playwright-core'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** The Chromium executable: $CHROMIUM_PATH, else Debian's /usr/bin/chromium; undefined if neither exists. */
export const CHROMIUM: string | undefined = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find(
  (p): p is string => p !== undefined && p !== '' && existsSync(p),
)

/** Why the browser tests do not run here, or undefined when they do (they never skip under CI). */
export const skipReason: string | undefined =
  CHROMIUM !== undefined || process.env.CI === 'true'
    ? undefined
    : 'browser tests skipped: no Chromium at /usr/bin/chromium (apt-get install -y chromium, or set CHROMIUM_PATH)'

/**
 * Builds dist/ when it is older than the sources (scripts/build.mjs skips an up-to-date build in
 * well under a second; `npm ci` has built it through `prepare`).
 */
export const buildPackage = (): void => {
  execFileSync(process.execPath, [resolve(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'ignore' })
}

/** Bundles a TypeScript entry for the browser into one classic script (file:// pages cannot load modules). */
export const bundle = async (entry: string, options: { minify?: boolean } = {}): Promise<string> => {
  const r = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: options.minify ?? false,
    write: false,
    logLevel: 'warning',
    // no tsconfig paths: `wengert` and `wengert/torch` resolve through package.json "exports" (a
    // self-reference) to dist/esm, with its sideEffects, as in a consumer's bundle
    tsconfigRaw: '{}',
  })
  const out = r.outputFiles[0]
  if (out === undefined) throw new Error(`esbuild wrote nothing for ${entry}`)
  return out.text
}

/** A page and its script, sent with the given Content-Security-Policy (none when undefined). */
export interface Site {
  readonly csp: string | undefined
  readonly script: string
}

/**
 * Serves `/<name>/` (an HTML page that loads `/<name>/page.js`) for each site on 127.0.0.1, each
 * with its own CSP header; resolves with the server and its base URL.
 */
export const serve = async (sites: Readonly<Record<string, Site>>): Promise<{ server: Server; url: string }> => {
  const server = createServer((req, res) => {
    const [, name, file] = (req.url ?? '').split('/')
    const site = name === undefined ? undefined : sites[name]
    if (site === undefined) return void res.writeHead(404).end()
    const headers: Record<string, string> = {}
    if (site.csp !== undefined) headers['Content-Security-Policy'] = site.csp
    if (file === 'page.js') {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript; charset=utf-8' }).end(site.script)
    } else {
      const html = `<!doctype html><meta charset="utf-8"><title>${name}</title><script src="/${name}/page.js"></script>`
      res.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8' }).end(html)
    }
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const { port } = server.address() as AddressInfo
  return { server, url: `http://127.0.0.1:${port}` }
}

/** Headless Chromium (the system's build; no sandbox, as CI runs as root). */
export const launch = (): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] })
