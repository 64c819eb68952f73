/** Runs an example program and returns what it printed (console.log) and warned. */
import { vi } from 'vitest'

export const runExample = async (path: string): Promise<{ out: string[]; warnings: string[] }> => {
  const out: string[] = []
  const warnings: string[] = []
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.map(String).join(' ')))
  const warn = vi
    .spyOn(console, 'warn')
    .mockImplementation((...a: unknown[]) => void warnings.push(a.map(String).join(' ')))
  try {
    vi.resetModules()
    await import(/* @vite-ignore */ path)
  } finally {
    log.mockRestore()
    warn.mockRestore()
  }
  return { out, warnings }
}
