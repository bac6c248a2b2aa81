/**
 * `constella scenes` as a user runs it, on a library indexed by the real `constella index`:
 * computing K scenes (takes the library lock), `--json` in the documented shape, a second run that
 * only reads (no recompute: the same scenes), and a bad `--k` refused with the usage.
 */
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyCocoPhotos, ROOT, tempFolder } from '../main/engine/library/helpers.js'

const temp = tempFolder('constella-cli-scenes-')
const library = path.join(temp.dir, 'library')
const photos = path.join(temp.dir, 'photos')
afterAll(temp.cleanup)

function constella(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'constella.mjs'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

interface ScenesJson {
  k: number
  entropy: { batch: number; perPhoto: number; max: number }
  scenes: { id: number; size: number; labels: string[]; pairs: [string, string, number][] }[]
}

beforeAll(() => {
  copyCocoPhotos(photos, 36, 200)
  const r = constella('index', photos, '--library', library)
  expect(r.code, r.stderr).toBe(0)
}, 300_000)

describe('constella scenes', () => {
  it('finds K scenes and prints them as JSON in the documented shape', () => {
    const r = constella('scenes', '--k', '3', '--library', library, '--json')
    expect(r.code, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout) as ScenesJson
    expect(Object.keys(out).sort()).toEqual(['entropy', 'k', 'scenes'])
    expect(out.k).toBe(3)
    expect(out.scenes.map((s) => s.id)).toEqual([0, 1, 2])
    expect(out.scenes.reduce((s, x) => s + x.size, 0)).toBe(36)
    expect(out.entropy.max).toBeCloseTo(Math.log(3))
    expect(out.entropy.batch).toBeGreaterThan(0.5 * Math.log(3)) // not collapsed into one scene
    for (const s of out.scenes) {
      expect(Object.keys(s).sort()).toEqual(['id', 'labels', 'pairs', 'size'])
      expect(s.labels.every((l) => typeof l === 'string' && l.length > 0)).toBe(true)
      for (const [a, b, p] of s.pairs) {
        expect(typeof a === 'string' && typeof b === 'string' && a !== b).toBe(true)
        expect(p).toBeGreaterThan(0)
        expect(p).toBeLessThanOrEqual(1)
      }
    }
  }, 300_000)

  it('reads the stored scenes on the next run (text), and refuses a bad --k', () => {
    const json = JSON.parse(constella('scenes', '--library', library, '--json').stdout) as ScenesJson
    expect(json.k).toBe(3)
    const text = constella('scenes', '--library', library)
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/36 photos in 3 scenes/)
    expect(text.stdout).toMatch(/balance: entropy of the mean assignment/)
    for (const s of json.scenes) expect(text.stdout).toContain(`scene ${s.id}: `)
    const bad = constella('scenes', '--k', '0', '--library', library)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--k must be an integer from 1 to 32/)
  }, 300_000)
})
