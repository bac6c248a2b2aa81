/**
 * The photo graph of library photos (real coco-dev photos indexed into a real library with the
 * real model pack): rebuilt from stored rows, run through the library's ONNX head graph, it gives
 * back the stored H; a photo indexed before those rows existed is analysed again from its file.
 */
import { renameSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { QueryError } from '../../../../src/main/engine/search/query-error.js'
import { photoGraph, TOP_TRANSPORT_LABELS, type ObjectNode } from '../../../../src/main/engine/search/photo-graph.js'
import { photoGraphToJson } from '../../../../src/main/engine/search/serialize.js'
import { METHODS } from '../../../../src/main/engine/store/embedding-methods.js'
import { buildTestLibrary, type TestLibrary } from './helpers.js'

let T: TestLibrary
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])))
const storedH = (photoId: number) => T.lib.store.embeddings.get({ kind: 'photo', photoId }, METHODS.photo)!.vector
const detectorObjects = (photoId: number) => T.lib.store.objects.listByPhoto(photoId).filter((o) => o.source === 'detector')

beforeAll(async () => {
  T = await buildTestLibrary(12, 1)
})
afterAll(async () => {
  await T?.cleanup()
})

describe('photoGraph', () => {
  it('rebuilds every photo\'s graph from stored rows: H equals the stored embedding, one node per object plus the photo', async () => {
    let objects = 0
    for (const img of T.library) {
      const id = T.photoId(img.file)
      const g = await photoGraph(T.lib, id)
      const stored = detectorObjects(id)
      const n = stored.length + 1
      expect(g.source).toBe('stored')
      expect(maxDiff(g.embedding, storedH(id))).toBeLessThan(1e-5)
      expect(g.nodes).toHaveLength(n)
      expect(g.nodes[0]).toEqual({ kind: 'photo' })
      const nodes = g.nodes.slice(1) as ObjectNode[]
      expect(nodes.map((o) => [o.objectId, o.classId, o.box, o.score])).toEqual(stored.map((o) => [o.id, o.classId, o.box, o.score]))
      expect(g.adjacency).toHaveLength(n * n)
      for (let i = 0; i < n; i++) expect(g.adjacency[i * n + i]).toBeCloseTo(1, 5)
      expect(g.attention).toHaveLength(T.lib.head.header.layers)
      for (const layer of g.attention) {
        expect(layer).toHaveLength(T.lib.head.header.heads)
        for (const alpha of layer) expect(alpha).toHaveLength(n * n)
      }
      expect(g.labelScores).toHaveLength(T.classes.length)
      expect(g.sinkhorn.converged).toBe(true)
      expect(g.transportTopLabels).toHaveLength(n)
      for (const labels of g.transportTopLabels) {
        expect(labels.length).toBeGreaterThan(0)
        expect(labels.length).toBeLessThanOrEqual(TOP_TRANSPORT_LABELS)
        for (let k = 1; k < labels.length; k++) expect(labels[k].mass).toBeLessThanOrEqual(labels[k - 1].mass)
        expect(labels.reduce((s, l) => s + l.mass, 0)).toBeLessThanOrEqual(1 + 1e-6)
      }
      // the default head projects an object by its class evidence: its plan row's heaviest label is
      // its class or one of the alternatives detected at its place
      nodes.forEach((o, i) => expect([o.classId, ...o.alternatives.map((a) => a.classId)]).toContain(g.transportTopLabels[i + 1][0].classId))
      for (const o of nodes) expect(o.alternatives.every((a) => a.classId !== o.classId && a.score > 0)).toBe(true)
      objects += stored.length
    }
    expect(objects).toBeGreaterThan(20)
  })

  it('serialises to plain JSON with n x n matrices', async () => {
    const id = T.photoId(T.library.find((i) => detectorObjects(T.photoId(i.file)).length >= 2)!.file)
    const json = JSON.parse(JSON.stringify(photoGraphToJson(await photoGraph(T.lib, id))))
    const n = json.nodes.length
    expect(json.adjacency).toHaveLength(n)
    expect(json.adjacency.every((row: number[]) => row.length === n)).toBe(true)
    expect(json.attention[1][7][n - 1]).toHaveLength(n)
    expect(json.embedding).toHaveLength(256)
  })

  it('analyses a photo indexed before its head inputs were stored again from its file, with the same result', async () => {
    const id = T.photoId(T.library[1].file)
    const before = await photoGraph(T.lib, id)
    expect(T.lib.store.embeddings.delete({ kind: 'photo', photoId: id }, METHODS.photoFeature)).toBe(true)
    for (const o of detectorObjects(id)) T.lib.store.embeddings.delete({ kind: 'object', objectId: o.id }, METHODS.objectEvidence)
    const again = await photoGraph(T.lib, id)
    expect(again.source).toBe('reanalysed')
    expect(again.nodes).toEqual(before.nodes)
    expect(maxDiff(again.embedding, storedH(id))).toBeLessThan(1e-5)
    expect(maxDiff(again.adjacency, before.adjacency)).toBeLessThan(1e-5)
    // with the file gone too, the error says what to do
    const file = T.lib.store.photos.get(id)!.path
    renameSync(file, `${file}.moved`)
    try {
      await expect(photoGraph(T.lib, id)).rejects.toThrow(/indexed by an older Constella and its file .* is gone/)
    } finally {
      renameSync(`${file}.moved`, file)
    }
  })

  it('names photos that cannot have a graph', async () => {
    await expect(photoGraph(T.lib, 99999)).rejects.toThrow(QueryError)
    await expect(photoGraph(T.lib, 99999)).rejects.toThrow(/photo 99999 is not in the library/)
  })
})
