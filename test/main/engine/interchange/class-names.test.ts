/**
 * Class names on import: VOC's spellings are COCO's classes, names the vocabulary lacks are
 * reported with their counts (never dropped silently), added when asked and GloVe knows them, and
 * reported with GloVe's verdict when it does not; unmatched and ambiguous photos are reported too.
 */
import { copyFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { importGroundTruth } from '../../../../src/main/engine/interchange/import-ground-truth.js'
import { hashFile } from '../../../../src/main/engine/io/content-hash.js'
import { LibraryStore } from '../../../../src/main/engine/store/library-store.js'
import { addCocoPhotos, annotationService, cocoPath, useTempDirs } from '../annotation/library-fixture.js'

const tempDir = useTempDirs('constella-interchange-')

async function setup() {
  const dir = tempDir()
  const store = LibraryStore.open(path.join(dir, 'library.db'))
  const photos = await addCocoPhotos(store, 3)
  return { dir, store, photos, svc: annotationService(store) }
}

/** A standard COCO file over two of the photos, with categories the vocabulary lacks. */
function cocoFile(dir: string, files: string[]): string {
  const file = path.join(dir, 'instances.json')
  writeFileSync(file, JSON.stringify({
    images: [...files, 'not-in-the-library.jpg'].map((f, i) => ({ id: i + 1, file_name: f, width: 640, height: 480 })),
    categories: [{ id: 1, name: 'person' }, { id: 2, name: 'diningtable' }, { id: 3, name: 'desk lamp' }, { id: 4, name: 'glorbix' }],
    annotations: [
      { id: 1, image_id: 1, category_id: 1, bbox: [10, 10, 100, 200] },
      { id: 2, image_id: 1, category_id: 3, bbox: [200, 10, 50, 80] },
      { id: 3, image_id: 2, category_id: 3, bbox: [5, 5, 40, 40] },
      { id: 4, image_id: 2, category_id: 4, bbox: [50, 50, 40, 40] },
      { id: 5, image_id: 2, category_id: 2, bbox: [0, 200, 300, 150] },
    ],
  }))
  return file
}

describe('class names and photo matching on import', () => {
  it('reports unknown names with counts, and adds those GloVe knows when asked', async () => {
    const { dir, store, photos, svc } = await setup()
    const file = cocoFile(dir, [photos[0].image.file, `some/folder/${photos[1].image.file}`])
    const dry = await importGroundTruth(svc, { format: 'coco', input: file, dryRun: true })
    expect(dry).toMatchObject({ dryRun: true, matchedPhotos: 2, unmatched: { count: 1, examples: ['not-in-the-library.jpg'] }, editIds: [] })
    expect(store.db.prepare("SELECT count(*) FROM labels WHERE source = 'human'").pluck().get()).toBe(0) // the dry run wrote nothing

    const plain = await importGroundTruth(svc, { format: 'coco', input: file })
    expect(plain.unknownClasses).toEqual([
      { name: 'desk lamp', count: 2, reason: expect.stringMatching(/not in the vocabulary .*--add-classes/) },
      { name: 'glorbix', count: 1, reason: expect.stringMatching(/not in the vocabulary/) },
    ])
    const names = (id: number) => svc.photoAnnotations(id).labels.filter((l) => l.state === 'positive').map((l) => l.name)
    expect(names(photos[0].id)).toEqual(['person'])
    expect(names(photos[1].id)).toEqual(['dining table']) // VOC's diningtable is COCO's dining table
    expect(svc.photoAnnotations(photos[1].id).labels.find((l) => l.name === 'person')?.state).toBe('negative') // declared, absent

    const added = await importGroundTruth(svc, { format: 'coco', input: file, addClasses: true })
    expect(added.addedClasses).toEqual([expect.objectContaining({ classId: 1000, name: 'desk lamp', addedBy: 'import:coco' })])
    expect(added.unknownClasses).toEqual([{ name: 'glorbix', count: 1, reason: expect.stringMatching(/GloVe has no vector for "glorbix"/) }])
    expect(names(photos[0].id)).toEqual(['person', 'desk lamp'])
    expect(svc.photoAnnotations(photos[1].id).boxes.map((b) => b.name).sort()).toEqual(['desk lamp', 'dining table'])
    store.close()
  })

  it('maps VOC names to COCO classes and reports a file name two photos share', async () => {
    const { dir, store, photos, svc } = await setup()
    // the same file name in another folder of the library
    const twinDir = path.join(dir, 'copies')
    mkdirSync(twinDir)
    const twin = path.join(twinDir, photos[2].image.file)
    copyFileSync(cocoPath(photos[2].image), twin)
    store.recordScan({ path: twin, contentHash: `${await hashFile(twin)}-copy`, bytes: statSync(twin).size, mtimeMs: 1 }, store.runs.start('index').id, () => false)
    const voc = path.join(dir, 'Annotations')
    mkdirSync(voc)
    const xml = (file: string, names: string[]) => `<?xml version="1.0"?>\n<annotation><filename>${file}</filename>\n${names.map((n, i) =>
      `<object><name>${n}</name><bndbox><xmin>${10 + i}</xmin><ymin>10</ymin><xmax>${60 + i}</xmax><ymax>90</ymax></bndbox></object>`).join('\n')}\n</annotation>\n`
    writeFileSync(path.join(voc, 'a.xml'), xml(photos[0].image.file, ['aeroplane', 'motorbike', 'sofa', 'diningtable', 'tvmonitor', 'pottedplant', 'person']))
    writeFileSync(path.join(voc, 'b.xml'), xml(photos[2].image.file, ['dog']))
    const s = await importGroundTruth(svc, { format: 'voc', input: dir })
    expect(s).toMatchObject({ matchedPhotos: 1, unknownClasses: [], ambiguous: { count: 1, examples: [{ file: photos[2].image.file, candidates: [cocoPath(photos[2].image), twin] }] } })
    const a = svc.photoAnnotations(photos[0].id)
    expect(a.boxes.map((b) => b.name)).toEqual(['airplane', 'motorcycle', 'couch', 'dining table', 'tv', 'potted plant', 'person'])
    expect(a.boxes[0].box).toEqual([9, 9, 60, 90]) // VOC's 1-based inclusive pixels
    expect(a.labels.every((l) => l.state === 'positive')).toBe(true) // VOC declares no classes: no negatives
    store.close()
  })
})
