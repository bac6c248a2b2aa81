/**
 * `constella train --head salgl` and `constella eval --head DIR` end to end on a tiny coco-dev
 * set: the real CLI (bin/constella.mjs), the real detector filling a fresh head-input cache, the
 * head folder's files, and the product pipeline's `salgl` scores agreeing with the held-out
 * figures computed from the cache.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { readSalglHead, SALGL_FILES } from '../../../../src/main/engine/training/salgl/salgl-params.js'
import type { SalglMetrics } from '../../../../src/main/engine/training/salgl/salgl-from-dataset.js'
import { COCO_DEV_DIR, cocoDevClasses, cocoDevImages } from '../../../support/coco-images.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..')
const dir = mkdtempSync(path.join(tmpdir(), 'constella-salgl-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function constella(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, 'bin', 'constella.mjs'), ...args], { cwd: ROOT, timeout: 150_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr })
    })
  })
}

describe('constella train --head salgl', () => {
  it('rejects an unknown head', async () => {
    const r = await constella('train', '--head', 'salsa', '--dataset', 'x.json', '--out', dir)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--head salsa must be sarl-gat or salgl/)
  })

  it('trains on a tiny set, writes the head folder, and eval --head reports its cls from the product pipeline', async () => {
    const images = cocoDevImages().filter((_, i) => i % 29 === 0).slice(0, 12)
    const dataset = path.join(dir, 'tiny.json')
    writeFileSync(dataset, JSON.stringify({ classes: cocoDevClasses(), images: images.map((i) => ({ file: i.file, labels: i.labels, split: i.split })) }))
    const out = path.join(dir, 'head')
    const r = await constella('train', '--head', 'salgl', '--scenes', '2', '--dataset', dataset, '--images', path.join(COCO_DEV_DIR, 'images'),
      '--split', '0.7', '--epochs', '3', '--cache', path.join(dir, 'cache'), '--out', out, '--json')
    expect(r.stderr).not.toMatch(/constella train:/)
    expect(r.code).toBe(0)
    const m = JSON.parse(r.stdout) as SalglMetrics
    expect(m.head).toBe('salgl')
    expect(m.scenes).toBe(2)
    expect(m.photos).toEqual({ labelled: 8, train: 6, validation: 2, heldOut: 4 })
    expect(m.epochs).toBeGreaterThan(0)
    expect(m.epochs).toBeLessThanOrEqual(3)
    expect(m.cache.analysed).toBe(12)
    for (const f of Object.values(SALGL_FILES)) expect(existsSync(path.join(out, f))).toBe(true)
    const p = readSalglHead(path.join(out, SALGL_FILES.params))
    expect(p.header.scenes).toBe(2)
    expect(p.header.classNames).toEqual(cocoDevClasses())
    const held = m.heldOut!
    expect(Object.keys(held.methods).sort()).toEqual(['detector', 'salgl', 'sarl-gat'])
    expect(Number.isFinite(held.methods.salgl.mAP)).toBe(true)
    expect(JSON.parse(readFileSync(path.join(out, SALGL_FILES.metrics), 'utf8')).modelVersion).toBe(m.modelVersion)

    const e = await constella('eval', '--dataset', path.join(out, SALGL_FILES.heldOut), '--head', out, '--json')
    expect(e.code).toBe(0)
    const report = JSON.parse(e.stdout) as { images: number; head: string; methods: Record<string, { cls?: { mAP: number } }>; notes: Record<string, string> }
    expect(report.images).toBe(4)
    expect(report.head).toContain(m.modelVersion)
    expect(report.notes.salgl).toMatch(/SALGL/)
    // the product pipeline computes the same inputs as the cache: the same held-out figures
    expect(report.methods.salgl.cls!.mAP).toBeCloseTo(held.methods.salgl.mAP, 3)
    expect(report.methods['label-histogram'].cls!.mAP).toBeCloseTo(held.methods.detector.mAP, 3)
  }, 240_000)
})
