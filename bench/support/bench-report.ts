/** Small helpers for benchmarks: argument parsing, percentiles, aligned tables, machine load. */
import { cpus, loadavg } from 'node:os'

/** Parses `--name value` pairs; flags without a value are "true". */
export function parseArgs(argv: string[]): Map<string, string> {
  const out = new Map<string, string>()
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`)
    const next = argv[i + 1]
    if (next === undefined || next.startsWith('--')) out.set(a.slice(2), 'true')
    else out.set(a.slice(2), argv[++i])
  }
  return out
}

/** Comma-separated numbers (`1e5`, `100000`, `100k`, `1M` accepted). */
export function numberList(text: string): number[] {
  return text.split(',').map((s) => {
    const m = /^([\d.e]+)([kKmM]?)$/.exec(s.trim())
    if (!m) throw new Error(`not a number: ${s}`)
    const scale = { '': 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6 }[m[2]] ?? 1
    return Math.round(Number(m[1]) * scale)
  })
}

/** The q-quantile (0..1) of samples, nearest-rank. */
export function quantile(samples: ArrayLike<number>, q: number): number {
  const s = Float64Array.from(samples).sort()
  if (s.length === 0) return Number.NaN
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]
}

/** Renders rows as an aligned text table (numbers right-aligned). */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))]
  const widths = header.map((_, c) => Math.max(...cells.map((r) => r[c]?.length ?? 0)))
  const line = (r: string[]): string =>
    r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n')
}

/** One line describing the machine and how busy it is (figures on a shared box are noisy). */
export function machineLine(): string {
  const c = cpus()
  return `${c.length} x ${c[0]?.model ?? 'cpu'}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`
}

/** Seconds since `t0` (performance.now() milliseconds), two decimals. */
export function secondsSince(t0: number): string {
  return ((performance.now() - t0) / 1000).toFixed(2)
}
