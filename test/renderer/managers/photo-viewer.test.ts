import { mockApi } from '../support/mock-api.js'
import { beforeEach, describe, expect, it } from 'vitest'
import { AnnotationManager } from '../../../src/renderer/lib/managers/annotation.svelte.js'
import { PhotoViewer } from '../../../src/renderer/lib/managers/photo-viewer.svelte.js'
import { standsFor } from '../../../src/renderer/lib/geometry/boxes.js'
import type { AnnotationBox, PhotoAnnotationsView } from '../../../src/shared/api-contract.js'
import { photoDetail, photoGraph } from '../support/records.js'

const order = { filter: { labels: [16] }, sort: { key: 'name', order: 'asc' } as const }

describe('PhotoViewer', () => {
  beforeEach(() => {
    mockApi.reset()
    mockApi.handle('photos.get', ({ id }) => photoDetail(id))
    mockApi.handle('photos.graph', () => photoGraph())
    mockApi.handle('photos.neighbours', () => ({ previous: 6, next: 8 }))
  })

  it('opens a photo with its graph and its neighbours in the grid order', async () => {
    const viewer = new PhotoViewer()
    await viewer.open(7, order)
    expect(viewer.detail?.name).toBe('p7.jpg')
    expect(viewer.neighbours).toEqual({ previous: 6, next: 8 })
    expect(mockApi.callsOf('photos.neighbours')).toEqual([{ id: 7, ...order }])
    expect(viewer.layers).toBe(2)
    expect(viewer.heads).toBe(8)
    // The kite detection (node 3) shares the frisbee's box: one object, index 1.
    expect(viewer.nodeToObject).toEqual([-1, 0, 1, 1, 2])
  })

  it('asks for the next photo ahead, uses that once for →, and asks again on reload', async () => {
    mockApi.handle('photos.neighbours', ({ id }) => ({ previous: id - 1, next: id + 1 }))
    const viewer = new PhotoViewer()
    await viewer.open(7, order)
    expect(mockApi.callsOf('photos.get')).toEqual([{ id: 7 }, { id: 8 }])
    expect(mockApi.callsOf('photos.graph')).toEqual([{ id: 7 }, { id: 8 }])
    await viewer.open(8, order)
    expect(viewer.detail?.name).toBe('p8.jpg')
    expect(mockApi.callsOf('photos.get').filter((r) => r.id === 8)).toHaveLength(1)
    await viewer.reload() // e.g. after an edit: read again, not the answer asked ahead
    expect(mockApi.callsOf('photos.get').filter((r) => r.id === 8)).toHaveLength(2)
  })

  it('once left, shows a photo opened from its tile as that tile until its detail arrives, never the photo seen before', async () => {
    const viewer = new PhotoViewer()
    await viewer.open(7, order)
    const leaving = viewer.open(5, order) // still on its way when the view is left
    viewer.close()
    await leaving
    expect(viewer.detail).toBeNull()
    expect(viewer.id).toBeNull()
    viewer.askAhead(9, { id: 9, name: 'p9.jpg', width: 640, height: 480, version: 'abcdef12', thumbnail: true })
    const opening = viewer.open(9, order)
    expect(viewer.detail).toBeNull()
    expect(viewer.preview).toMatchObject({ id: 9, width: 640 })
    await opening
    expect(viewer.detail?.name).toBe('p9.jpg')
    expect(viewer.preview).toBeNull()
    expect(mockApi.callsOf('photos.get').filter((r) => r.id === 9)).toHaveLength(1) // the answer asked ahead
  })

  it("never offers the previous photo's neighbours for the next one: a key waits for this photo's", async () => {
    mockApi.handle('photos.neighbours', ({ id }) => ({ previous: id - 1, next: id + 1 }))
    const viewer = new PhotoViewer()
    await viewer.open(7, order)
    const opening = viewer.open(8, order)
    expect(viewer.neighbours).toEqual({ previous: null, next: null })
    expect(await viewer.neighbour('previous')).toBe(7)
    expect(await viewer.neighbour('next')).toBe(9)
    await opening
    expect(viewer.neighbours).toEqual({ previous: 7, next: 9 })
  })

  it('shows objects and edges only at or above the confidence threshold', async () => {
    const viewer = new PhotoViewer()
    viewer.threshold = 0.25
    await viewer.open(7, order)
    expect([...viewer.visible]).toEqual([0, 1])
    expect(viewer.adjacency).toEqual([{ from: 0, to: 1, weight: 0.8 }])
    viewer.threshold = 0.1
    expect(viewer.adjacency.map((e) => [e.from, e.to])).toEqual([
      [0, 2],
      [0, 1],
    ])
  })

  it('shows whom the selected object attends to, per head or as the mean', async () => {
    const viewer = new PhotoViewer()
    viewer.threshold = 0.1
    await viewer.open(7, order)
    viewer.head = 0
    viewer.select(0)
    expect(viewer.attentionEdges.every((e) => e.from === 0)).toBe(true)
    expect(viewer.attendsTo[0]).toEqual({ target: 1, weight: 0.7 })
    viewer.head = 'mean'
    // Mean of head 0 (0.7 to the frisbee) and seven uniform heads (0.4): 0.4375.
    expect(viewer.attendsTo.find((t) => t.target === 1)?.weight).toBeCloseTo((0.7 + 7 * 0.4) / 8)
    viewer.layer = 1
    expect(viewer.attendsTo.find((t) => t.target === 1)?.weight).toBeCloseTo(0.4)
  })

  it('selects one object, toggles with additive clicks, and gives the stored ids for a search', async () => {
    const viewer = new PhotoViewer()
    await viewer.open(7, order)
    viewer.select(0)
    viewer.select(2, true)
    expect(viewer.selected).toEqual([0, 2])
    expect(viewer.primary).toBe(2)
    expect(viewer.selectedObjectIds()).toEqual([1, 4])
    viewer.select(0, true)
    expect(viewer.selected).toEqual([2])
    viewer.select(2)
    expect(viewer.selected).toEqual([])
  })

  it('keeps the selection by object id over a re-read, as the user left it while the read was on its way', async () => {
    const viewer = new PhotoViewer()
    await viewer.open(7, order)
    viewer.select(0) // the dog (object 1)
    // An edit elsewhere: the photo is read again, now with the dog box moved after the person's.
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    mockApi.handle('photos.get', async ({ id }) => {
      await gate
      const detail = photoDetail(id)
      return { ...detail, objects: [detail.objects[1], detail.objects[2], detail.objects[0]] }
    })
    const rereading = viewer.reload()
    viewer.select(null) // Esc before the answer: nothing selected must stay nothing selected
    release()
    await rereading
    expect(viewer.selected).toEqual([])
    // A selection that stands when the answer comes follows its object to its new index.
    mockApi.handle('photos.get', ({ id }) => photoDetail(id)) // the original order again
    const again = viewer.reload()
    viewer.select(0) // the frisbee (object 2), first in the order read last
    await again
    expect(viewer.selectedObjectIds()).toEqual([2])
    expect(viewer.selected).toEqual([1])
  })

  it("gives the hovered object's transport top labels and toggles overlays", async () => {
    const viewer = new PhotoViewer()
    await viewer.open(7, order)
    viewer.hovered = 1
    expect(viewer.transportLabels).toEqual([{ classId: 29, className: 'frisbee', mass: 0.5 }])
    viewer.toggle('adjacency')
    viewer.toggle('boxes', false)
    expect(viewer.overlays).toEqual({ boxes: false, adjacency: true, attention: false })
  })

  it('keeps the photo when the graph fails and ignores a slower earlier photo', async () => {
    const viewer = new PhotoViewer()
    mockApi.fail('photos.graph', 'photo 7 is not indexed yet')
    await viewer.open(7, order)
    expect(viewer.detail?.id).toBe(7)
    expect(viewer.graphError).toBe('photo 7 is not indexed yet')
    expect(viewer.adjacency).toEqual([])

    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    mockApi.handle('photos.get', async ({ id }) => {
      if (id === 1) await gate
      return photoDetail(id)
    })
    const first = viewer.open(1, order)
    await viewer.open(2, order)
    release()
    await first
    expect(viewer.detail?.id).toBe(2)
  })

  it('after an edit, shows the boxes the engine has, even when its own read saw a later edit', async () => {
    // Photo 7 with its person (object 4), and without it (deleted); stored boxes as annotations.get lists them.
    const withPerson = photoDetail(7)
    const withoutPerson = { ...withPerson, objects: withPerson.objects.filter((o) => o.id !== 4) }
    const stored = (objects: typeof withPerson.objects): AnnotationBox[] =>
      objects.flatMap((o) => o.memberIds.map((id) => ({ id, box: o.box, classId: o.classId, name: o.className, source: o.source, score: o.score, detectorOriginal: null })))
    const view = (boxes: AnnotationBox[]): PhotoAnnotationsView => ({ photoId: 7, width: 640, height: 480, reviewedAt: null, labels: [], boxes, undoState: { undo: null, redo: null } })
    expect(standsFor(withPerson.objects, stored(withPerson.objects))).toBe(true)
    expect(standsFor(withPerson.objects, stored(withoutPerson.objects))).toBe(false)
    expect(standsFor(withPerson.objects, stored(withPerson.objects).map((b) => (b.id === 4 ? { ...b, box: [400, 100, 600, 460] } : b)))).toBe(false)

    // What each read answers, in order: the engine's state when the server read it.
    const annotationReads = [withPerson, withoutPerson, withoutPerson]
    const photoReads = [withPerson, withPerson, withoutPerson]
    mockApi.handle('annotations.get', () => view(stored(annotationReads.shift()!.objects)))
    mockApi.handle('photos.get', ({ id }) => (id === 7 ? photoReads.shift()! : photoDetail(id)))
    mockApi.handle('vocabulary.list', () => [])
    const viewer = new PhotoViewer()
    const annotations = new AnnotationManager({ refreshPhoto: (id, boxes) => viewer.showBoxes(id, boxes) })
    await Promise.all([viewer.open(7, order), annotations.open(7)])
    // A Delete's read sees the person gone; the photo view's read that follows comes after a quick
    // Ctrl+Z put it back. Then Ctrl+Y deletes it again: the annotations read the same as before, but
    // the photo view still shows the person, so it must read the photo again.
    await annotations.reload()
    expect(viewer.objects.map((o) => o.id)).toEqual([1, 2, 4])
    await annotations.reload()
    expect(viewer.objects.map((o) => o.id)).toEqual([1, 2])
    expect(mockApi.callsOf('photos.get').filter((r) => r.id === 7)).toHaveLength(3)
    await annotations.reload() // nothing changed: no read of the photo
    expect(mockApi.callsOf('photos.get').filter((r) => r.id === 7)).toHaveLength(3)
  })
})

