/** Facts about other processes on this machine: whether a pid is alive, and when it started. */
import { readFileSync } from 'node:fs'

/** Whether a process with this pid exists (a zombie counts as gone). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  const state = procStat(pid)?.[0]
  return state !== 'Z' && state !== 'X'
}

/** Fields of /proc/<pid>/stat after the command name (Linux), or undefined. */
function procStat(pid: number): string[] | undefined {
  if (process.platform !== 'linux') return undefined
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return text.slice(text.lastIndexOf(')') + 2).split(' ')
  } catch {
    return undefined
  }
}

/**
 * The process's start time in clock ticks since boot (Linux), or undefined elsewhere. Together
 * with the pid it identifies a process: a pid reused by another process has another start time.
 */
export function processStartTicks(pid: number): number | undefined {
  const field = procStat(pid)?.[19]
  return field === undefined ? undefined : Number(field)
}
