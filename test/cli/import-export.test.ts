/**
 * `constella import` and `constella export` as a user runs them, on a library indexed by the real
 * `constella index`: coco-dev ground truth in, every format out (with the model's labels beside
 * the human ones in CSV), a corrupt file refused naming its line, import refused while another
 * process holds the library, export working beside it.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyCocoPhotos, ROOT, tempFolder } from '../main/engine/library/helpers.js'
import { COCO_DEV_DIR } from '../support/coco-images.js'

const temp = tempFolder('constella-cli-interchange-')
const library = path.join(temp.dir, 'library')
const photos = path.join(temp.dir, 'photos')
const LABELS = path.join(COCO_DEV_DIR, 'labels.json')
afterAll(temp.cleanup)

function constella(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'constella.mjs'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

beforeAll(() => {
  copyCocoPhotos(photos, 4, 20)
  const r = constella('index', photos, '--library', library)
  expect(r.code, r.stderr).toBe(0)
}, 300_000)

describe('constella import and export', () => {
  it('imports coco-dev ground truth and exports every format', () => {
    const imported = constella('import', LABELS, '--format', 'coco', '--library', library, '--json')
    expect(imported.code, imported.stderr).toBe(0)
    const summary = JSON.parse(imported.stdout) as Record<string, unknown>
    expect(summary).toMatchObject({ library, records: 395, matchedPhotos: 4, unmatched: { count: 391 }, unknownClasses: [], photosChanged: 4 })
    const text = constella('import', LABELS, '--format', 'coco', '--library', library)
    expect(text.stdout).toMatch(/395 images in the file: 4 matched to library photos, 391 .* not in the library/)
    expect(text.stdout).toContain('photos changed: 0') // already imported

    for (const [format, out] of [['coco', 'gt.json'], ['yolo', 'yolo'], ['voc', 'voc'], ['csv', 'all.csv'], ['jsonl', 'all.jsonl']]) {
      const r = constella('export', '--format', format, '--out', path.join(temp.dir, out), '--library', library)
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toMatch(new RegExp(`exported 4 photos .* as ${format} to`))
    }
    const coco = JSON.parse(readFileSync(path.join(temp.dir, 'gt.json'), 'utf8')) as { images: unknown[]; annotations: { constella_source: string }[] }
    expect(coco.images).toHaveLength(4)
    expect(coco.annotations.every((a) => a.constella_source === 'human')).toBe(true)
    const csv = readFileSync(path.join(temp.dir, 'all.csv'), 'utf8')
    expect(csv).toMatch(/,label,\d+,[a-z ]+,positive,human,hand,0\.\d+,positive,/) // a human label the model also gave, with its confidence
    expect(csv).toMatch(/,box,\d+,[a-z ]+,,detector,,,,[\d.]+,[\d.]+,[\d.]+,[\d.]+,\d+,0\.\d+/)
    expect(existsSync(path.join(temp.dir, 'yolo', 'data.yaml'))).toBe(true)
  })

  it('refuses a corrupt file, naming its line, and imports nothing', () => {
    const bad = path.join(temp.dir, 'bad.jsonl')
    writeFileSync(bad, '{"file": "x.jpg"}\n{"file": "y.jpg", "labels": [\n')
    const r = constella('import', bad, '--format', 'jsonl', '--library', library)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`constella import: ${bad} line 2: not valid JSON`)
    expect(r.stderr).toContain('Nothing was imported.')
    expect(constella('import', bad, '--library', library).code).toBe(2) // no --format
  })

  it('refuses to import while another process holds the library; export reads beside it', async () => {
    const holder = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/main/engine/library/fixtures/hold-lock-worker.ts'), library],
      { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] })
    await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()))
    try {
      const r = constella('import', LABELS, '--format', 'coco', '--library', library)
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(/in use by the Constella app/)
      const e = constella('export', '--format', 'jsonl', '--out', path.join(temp.dir, 'beside.jsonl'), '--library', library)
      expect(e.code, e.stderr).toBe(0)
      expect(readFileSync(path.join(temp.dir, 'beside.jsonl'), 'utf8').trim().split('\n')).toHaveLength(4)
    } finally {
      holder.stdin!.end()
      await new Promise((resolve) => holder.once('close', resolve))
    }
  })
})
