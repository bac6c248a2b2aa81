/** `constella index` as a user runs it: exit codes, the JSON report and the human summary. */
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { copyCocoPhotos, ROOT, tempFolder } from '../main/engine/library/helpers.js'

const temp = tempFolder('constella-cli-index-')
afterAll(temp.cleanup)

function constella(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'constella.mjs'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('constella index', () => {
  it('exits 2 with a usage message when no folder is given', () => {
    const r = constella('index', '--library', path.join(temp.dir, 'unused'))
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('give at least one folder or photo')
  })

  it('indexes a folder, reports a bad photo with its reason, and skips everything on the next run', () => {
    const photos = path.join(temp.dir, 'photos')
    copyCocoPhotos(photos, 2, 90)
    const bad = path.join(photos, 'not-a-photo.jpg')
    writeFileSync(bad, 'hello\n')
    const library = path.join(temp.dir, 'library')

    const first = constella('index', photos, '--library', library, '--json')
    expect(first.code, first.stderr).toBe(0)
    const report = JSON.parse(first.stdout) as Record<string, unknown>
    expect(report).toMatchObject({ library, resumed: false, found: 3, indexed: 2, skipped: 0, pruned: 0, unreadable: [] })
    expect(report.failed).toEqual([{ path: bad, reason: expect.stringMatching(/not-a-photo\.jpg: its contents are not an image/) }])
    expect(report.library_counts).toEqual({ pending: 0, indexed: 2, failed: 1, total: 3 })

    const second = constella('index', photos, '--library', library)
    expect(second.code, second.stderr).toBe(0)
    expect(second.stdout).toContain(`library: ${library}`)
    expect(second.stdout).toContain('found 3 photos')
    expect(second.stdout).toContain('0 indexed, 3 unchanged, 0 moved, 0 duplicates, 0 failed, 0 pruned')
    expect(second.stdout).toContain('library now holds 2 indexed, 1 failed, 0 pending photos')
  })
})
