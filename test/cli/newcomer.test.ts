/**
 * The CLI as a newcomer meets it: folders that do not exist or hold no photo are errors that list
 * the formats, typos get the nearest valid option, advice fits the command, the engine start is
 * one short provider line (no native warnings), and eval says which queries it skipped.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { COCO_DEV_DIR, cocoDevImages } from '../support/coco-images.js'
import { killStartedClis, runCli } from '../main/engine/library/cli-process.js'
import { tempFolder } from '../main/engine/library/helpers.js'

const temp = tempFolder('constella-cli-newcomer-')
const library = path.join(temp.dir, 'library')
afterAll(() => {
  killStartedClis()
  temp.cleanup()
})

const FORMATS = 'JPEG, PNG, WebP, AVIF, TIFF or GIF files (.jpg .jpeg .png .webp .avif .tif .tiff .gif)'

describe('constella for a newcomer', () => {
  it('refuses a folder that does not exist, and one that holds no photo, listing the formats', async () => {
    const missing = await runCli(['index', '/no/such/folder', '--library', library])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('constella index: /no/such/folder does not exist')
    expect(missing.stderr).toContain(FORMATS)

    const empty = path.join(temp.dir, 'documents')
    mkdirSync(empty)
    writeFileSync(path.join(empty, 'notes.txt'), 'not a photo\n')
    const none = await runCli(['index', empty, '--library', library])
    expect(none.code).toBe(1)
    expect(none.stderr).toContain(`constella index: ${empty} holds no photo (looked for ${FORMATS})`)
  })

  it('names the nearest valid option or command for a typo', async () => {
    const option = await runCli(['index', temp.dir, '--libary', library])
    expect(option.code).toBe(2)
    expect(option.stderr).toContain('constella index: unknown option --libary (did you mean --library?)')
    const searchOption = await runCli(['search', '--id', '1', '--witout', 'dog'])
    expect(searchOption.stderr).toContain('unknown option --witout (did you mean --without?)')
    const command = await runCli(['serch', '--id', '1'])
    expect(command.code).toBe(2)
    expect(command.stderr).toContain('constella: unknown command "serch" (did you mean search?)')
  })

  it('detect: advice about a missing file, and one short provider line without native warnings', { timeout: 300_000 }, async () => {
    const photo = path.join(COCO_DEV_DIR, 'images', cocoDevImages()[0].file)
    const r = await runCli(['detect', photo, '/no/such/photo.jpg'])
    expect(r.code).toBe(1)
    const error = r.stdout.split('\n').find((l) => l.startsWith('/no/such/photo.jpg'))!
    expect(error).toContain('the file does not exist. Check the path')
    expect(error).not.toMatch(/librar/i)
    const provider = r.stdout.split('\n').find((l) => l.startsWith('provider: '))!
    expect(provider).toMatch(/^provider: (cpu|cuda|dml|coreml|webgpu)( \([^)]*\))? \(details: --verbose\)$/)
    expect(provider.length).toBeLessThan(120)
    expect(r.stderr).not.toMatch(/vulkan|dawn/i)

    const verbose = await runCli(['detect', photo, '--verbose'])
    expect(verbose.code).toBe(0)
    expect(verbose.stdout).toMatch(/^provider details: /m)
  })

  it('eval: a query with no relevant image is skipped by every retrieval metric, and counted', { timeout: 600_000 }, async () => {
    const all = JSON.parse(readFileSync(path.join(COCO_DEV_DIR, 'labels.json'), 'utf8')) as { classes: string[]; images: { file: string; labels: number[] }[] }
    const shares = (a: number[], b: number[]): boolean => a.some((l) => b.includes(l))
    const [a] = all.images
    const b = all.images.find((i) => i !== a && shares(i.labels, a.labels))!
    const c = all.images.find((i) => i !== a && i !== b && shares(i.labels, a.labels))!
    const loner = all.images.find((i) => i.labels.length > 0 && ![a, b, c].some((o) => shares(o.labels, i.labels)))!
    const dataset = path.join(temp.dir, 'four.json')
    writeFileSync(dataset, JSON.stringify({ classes: all.classes, images: [a, b, c, loner].map((i) => ({ file: i.file, labels: i.labels })) }))
    const r = await runCli(['eval', '--dataset', dataset, '--images', path.join(COCO_DEV_DIR, 'images')])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('all 4 images: retrieval over 3 queries; 1 query skipped by every retrieval metric (no other image shares a label)')
    const json = await runCli(['eval', '--dataset', dataset, '--images', path.join(COCO_DEV_DIR, 'images'), '--json'])
    expect(JSON.parse(json.stdout).queries).toEqual({ queries: 3, skipped: 1 })
  })
})
