/**
 * `constella eval` end to end on a 16-photo slice of coco-dev: every method of the table is
 * measured in one run with the papers' protocol, and bad dataset files get clear errors.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDataset } from '../../../../src/main/engine/eval/dataset.js'
import { runEval, type EvalReport } from '../../../../src/main/engine/eval/run-eval.js'

const COCO = path.resolve(__dirname, '../../../../../shared/data/coco-dev')
const tmp = mkdtempSync(path.join(os.tmpdir(), 'constella-eval-test-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

function writeDataset(name: string, content: unknown): string {
  const file = path.join(tmp, name)
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content))
  return file
}

describe('runEval', () => {
  let report: EvalReport
  beforeAll(async () => {
    const all = JSON.parse(readFileSync(path.join(COCO, 'labels.json'), 'utf8'))
    const images = [...all.images.filter((i: { split: string }) => i.split === 'val2017').slice(0, 10), ...all.images.filter((i: { split: string }) => i.split === 'train2017').slice(0, 6)]
    const file = writeDataset('slice.json', { classes: all.classes, images })
    report = await runEval(loadDataset(file, path.join(COCO, 'images')))
  }, 600_000)

  it('measures every method of the table, with classification where the method predicts labels', () => {
    expect(report.images).toBe(16)
    expect(report.queries.queries + report.queries.skipped).toBe(16)
    expect(Object.keys(report.methods).sort()).toEqual(['gcn', 'global-cnn', 'global-cnn-frozen', 'label-histogram', 'no-label-vectors', 'no-ot', 'sarl-gat'])
    for (const m of Object.values(report.methods)) {
      for (const v of Object.values(m.ret)) {
        expect(v).toBeGreaterThanOrEqual(0)
        expect(v).toBeLessThanOrEqual(100)
      }
    }
    expect(Object.keys(report.methods['label-histogram'].cls!)).toEqual(['mAP', 'CP', 'CR', 'CF1', 'OP', 'OR', 'OF1'])
    expect(report.methods['sarl-gat'].cls).toBeDefined()
    expect(report.methods['global-cnn'].cls).toBeUndefined()
    expect(report.featureSource).toBe('centernet-mobilenetv3:features_s32')
  })

  it('reports each split separately', () => {
    expect(report.splits?.val2017.images).toBe(10)
    expect(report.splits?.train2017.images).toBe(6)
  })

  it('ranks by shared labels at least as well as the global CNN vector (full-set figures: README)', () => {
    expect(report.methods['sarl-gat'].ret['P@1']).toBeGreaterThan(report.methods['global-cnn'].ret['P@1'] - 1e-9)
    expect(report.methods['label-histogram'].ret.mAP).toBeGreaterThan(50)
  })
})

describe('loadDataset', () => {
  it('names the file and the field that is wrong', () => {
    const missing = writeDataset('bad1.json', { classes: ['a'], images: [{ file: 'x.jpg' }] })
    expect(() => loadDataset(missing)).toThrow(/bad1.json: field images.0.labels/)
    const range = writeDataset('bad2.json', { classes: ['a'], images: [{ file: 'x.jpg', labels: [3] }] })
    expect(() => loadDataset(range)).toThrow(/images.0.labels has class 3, but there are only 1 classes/)
    expect(() => loadDataset(writeDataset('bad3.json', '{nope'))).toThrow(/bad3.json is not valid JSON/)
    expect(() => loadDataset(path.join(tmp, 'absent.json'))).toThrow(/absent.json does not exist/)
  })
})
