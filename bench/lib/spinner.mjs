// The busy-core spinner of `--busy` runs: a process that holds one core until it is killed, and
// that exits by itself once the process that started it is gone (a bench stopped by a signal or
// killed by pid used to leave its spinners running on both cores for good).

import { spawn } from 'node:child_process'

const SPIN = `const parent = ${process.pid}
for (;;) {
  for (let i = 0; i < 5e7; i++);
  try { process.kill(parent, 0) } catch { process.exit(0) }
  if (process.ppid !== parent) process.exit(0)
}`

/** Starts a spinner beside this process; `kill()` it when done (it also dies with this process). */
export function busySpinner() {
  const child = spawn(process.execPath, ['-e', SPIN], { stdio: 'ignore' })
  const stop = () => child.kill('SIGKILL')
  process.once('exit', stop)
  return {
    kill() {
      process.removeListener('exit', stop)
      stop()
    },
  }
}
