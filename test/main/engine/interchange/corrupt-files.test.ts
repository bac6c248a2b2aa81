/**
 * A file that is not valid in its format is refused with a message naming the file and the line
 * (text formats) or the field (JSON), and nothing is imported.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { FormatError } from '../../../../src/main/engine/interchange/format-error.js'
import type { InterchangeFormat } from '../../../../src/main/engine/interchange/ground-truth.js'
import { importGroundTruth } from '../../../../src/main/engine/interchange/import-ground-truth.js'
import { readGroundTruth } from '../../../../src/main/engine/interchange/read-ground-truth.js'
import { LibraryStore } from '../../../../src/main/engine/store/library-store.js'
import { addCocoPhotos, annotationService, useTempDirs } from '../annotation/library-fixture.js'

const tempDir = useTempDirs('constella-interchange-')

/** Writes `files` (relative path -> text) into a fresh folder; returns it. */
function folder(files: Record<string, string>): string {
  const dir = tempDir()
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true })
    writeFileSync(path.join(dir, rel), text)
  }
  return dir
}

/** The FormatError message of reading `input` as `format`. */
function errorOf(format: InterchangeFormat, input: string): string {
  try {
    readGroundTruth(format, input)
  } catch (e) {
    expect(e).toBeInstanceOf(FormatError)
    return (e as Error).message
  }
  throw new Error(`${input} was read as ${format} without an error`)
}

describe('corrupt files', () => {
  it('names the line and column of a JSON syntax error', () => {
    const dir = folder({ 'bad.json': '{\n  "images": [\n    {"id": 1, "file_name": "a.jpg",}\n  ]\n}\n' })
    expect(errorOf('coco', path.join(dir, 'bad.json'))).toMatch(new RegExp(`^${path.join(dir, 'bad.json')} line 3 column \\d+: not valid JSON`))
  })

  it('names the field of a COCO or coco-dev file that is wrong', () => {
    const dir = folder({
      'coco.json': JSON.stringify({ images: [{ id: 1, file_name: 'a.jpg' }], categories: [{ id: 1, name: 'dog' }],
        annotations: [{ image_id: 1, category_id: 1, bbox: [1, 2, 3, 4] }, { image_id: 1, category_id: 1, bbox: [1, 2, 3] }] }),
      'category.json': JSON.stringify({ images: [{ id: 1, file_name: 'a.jpg' }], categories: [{ id: 1, name: 'dog' }], annotations: [{ image_id: 1, category_id: 7, bbox: [1, 2, 3, 4] }] }),
      'dev.json': JSON.stringify({ classes: ['dog'], images: [{ file: 'a.jpg', labels: [0], boxes: [[0, 1, 2, 3, 4], [0, 1, 'x', 3, 4]] }] }),
      'other.json': JSON.stringify({ photos: [] }),
    })
    expect(errorOf('coco', path.join(dir, 'coco.json'))).toBe(`${path.join(dir, 'coco.json')}: annotations[1].bbox: expected [x, y, width, height], got 3 values`)
    expect(errorOf('coco', path.join(dir, 'category.json'))).toMatch(/annotations\[0\]\.category_id: category 7 is not in "categories"/)
    expect(errorOf('coco', path.join(dir, 'dev.json'))).toMatch(/dev\.json: images\[0\]\.boxes\[1\]\[2\]: expected a number, got "x"/)
    expect(errorOf('coco', path.join(dir, 'other.json'))).toMatch(/neither COCO .* nor coco-dev/)
  })

  it('names the file and line of a bad YOLO label, and says when class names are missing', () => {
    const dir = folder({ 'classes.txt': 'dog\ncat\n', 'labels/a.txt': '0 0.5 0.5 0.2 0.2\n1 0.5 0.5 0.2\n' })
    expect(errorOf('yolo', dir)).toBe(`${path.join(dir, 'labels', 'a.txt')} line 2: expected "class cx cy w h" (5 numbers), got 4 values: "1 0.5 0.5 0.2"`)
    const classes = folder({ 'classes.txt': 'dog\n', 'a.txt': '3 0.5 0.5 0.2 0.2\n' })
    expect(errorOf('yolo', classes)).toMatch(/a\.txt line 1: class 3 is not a class index 0\.\.0/)
    expect(errorOf('yolo', folder({ 'a.txt': '0 0.5 0.5 0.2 0.2\n' }))).toMatch(/no class names: put a classes\.txt .* or a data\.yaml/)
    expect(errorOf('yolo', folder({ 'data.yaml': 'path: x\nnames:\n  0: dog\n  2: cat\n', 'a.txt': '' }))).toMatch(/data\.yaml line 2: names has no entry for class 1/)
  })

  it('names the line of malformed VOC XML and of a bad VOC field', () => {
    const dir = folder({ 'a.xml': '<annotation>\n<filename>a.jpg</filename>\n<object><name>dog</name>\n<bndbox><xmin>1</xmin><ymin>2</ymin><xmax>3</xmax>\n</object>\n</annotation>\n' })
    expect(errorOf('voc', dir)).toBe(`${path.join(dir, 'a.xml')} line 5: not well-formed XML: </object> closes <bndbox> (opened on line 4)`)
    const field = folder({ 'a.xml': '<annotation>\n<filename>a.jpg</filename>\n<object><name>dog</name><bndbox>\n<xmin>1</xmin><ymin>2</ymin>\n<xmax>wide</xmax><ymax>4</ymax></bndbox></object>\n</annotation>\n' })
    expect(errorOf('voc', field)).toBe(`${path.join(field, 'a.xml')} line 5 (<xmax>): <xmax> is not a number ("wide")`)
  })

  it('names the line of a bad CSV or JSONL row', () => {
    const dir = folder({
      'a.csv': 'file,kind,class_name,state,source,x1,y1,x2,y2\na.jpg,label,dog,positive,human,,,,\na.jpg,label,cat,maybe,human,,,,\n',
      'a.jsonl': '{"file": "a.jpg", "labels": []}\n{"file": "b.jpg", "labels": [}\n',
    })
    expect(errorOf('csv', path.join(dir, 'a.csv'))).toBe(`${path.join(dir, 'a.csv')} line 3: column state must be positive, negative or unknown (got "maybe")`)
    expect(errorOf('jsonl', path.join(dir, 'a.jsonl'))).toMatch(/a\.jsonl line 2: not valid JSON/)
  })

  it('imports nothing from a corrupt file', async () => {
    const store = LibraryStore.open(path.join(tempDir(), 'library.db'))
    const [p] = await addCocoPhotos(store, 1)
    const dir = folder({ 'classes.txt': 'dog\n', [`${p.image.file.replace('.jpg', '')}.txt`]: '0 0.5 0.5 0.2 0.2\n', 'z.txt': 'oops\n' })
    await expect(importGroundTruth(annotationService(store), { format: 'yolo', input: dir })).rejects.toThrow(/z\.txt line 1/)
    expect(store.db.prepare('SELECT count(*) FROM edits').pluck().get()).toBe(0)
    store.close()
  })
})
