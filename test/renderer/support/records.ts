/** Small hand-built API records for the manager tests. */
import type { JobInfo, PhotoDetail, PhotoGraphView, PhotoObject } from '../../../src/shared/api-types.js'

/** A job in `state` with `done` of `total` photos. */
export function job(id: number, state: JobInfo['state'], done = 0, total: number | null = 10, extra: Partial<JobInfo> = {}): JobInfo {
  return {
    id,
    kind: 'index',
    title: `Indexing /photos/${id}`,
    state,
    done,
    total,
    failed: 0,
    rate: null,
    etaSeconds: null,
    startedAt: 1000 + id,
    finishedAt: state === 'running' || state === 'queued' ? null : 2000 + id,
    error: null,
    current: null,
    ...extra,
  }
}

/** A detector object. */
export function object(id: number, className: string, score: number | null, box: PhotoObject['box'], memberIds = [id]): PhotoObject {
  return { id, box, classId: 0, className, score, source: score === null ? 'human' : 'detector', alternatives: [], memberIds }
}

/** A 640x480 photo with a dog (0.9), a frisbee (0.4, also "kite" 0.3) and a person (0.2). */
export function photoDetail(id = 7): PhotoDetail {
  return {
    id,
    path: `/photos/p${id}.jpg`,
    name: `p${id}.jpg`,
    folder: '/photos',
    width: 640,
    height: 480,
    format: 'jpeg',
    bytes: 123_456,
    status: 'indexed',
    error: null,
    indexedAt: 5000,
    version: `${id}`.padStart(16, '0'),
    objects: [
      object(1, 'dog', 0.9, [10, 10, 200, 200]),
      { ...object(2, 'frisbee', 0.4, [300, 50, 360, 100], [2, 3]), alternatives: [{ classId: 33, className: 'kite', score: 0.3 }] },
      object(4, 'person', 0.2, [400, 100, 600, 470]),
    ],
    labels: [{ classId: 16, className: 'dog', state: 'positive', source: 'model', confidence: 0.9 }],
  }
}

/** The graph of {@link photoDetail}: photo node, then detections 1, 2, 3 (kite on 2's box), 4. */
export function photoGraph(): PhotoGraphView {
  const n = 5
  const uniform = Array.from({ length: n }, () => new Array(n).fill(1 / n))
  const focused = uniform.map((row, i) => (i === 1 ? [0.1, 0.1, 0.6, 0.1, 0.1] : row))
  const adjacency = [
    [1, 0.5, 0.5, 0.5, 0.5],
    [0.5, 1, 0.8, 0.7, 0.3],
    [0.5, 0.8, 1, 0.9, 0.1],
    [0.5, 0.7, 0.9, 1, 0.1],
    [0.5, 0.3, 0.1, 0.1, 1],
  ]
  const box = (b: number[]) => b as [number, number, number, number]
  return {
    nodes: [
      { kind: 'photo' },
      { kind: 'object', objectId: 1, classId: 16, className: 'dog', box: box([10, 10, 200, 200]), score: 0.9 },
      { kind: 'object', objectId: 2, classId: 29, className: 'frisbee', box: box([300, 50, 360, 100]), score: 0.4 },
      { kind: 'object', objectId: 3, classId: 33, className: 'kite', box: box([300, 50, 360, 100]), score: 0.3 },
      { kind: 'object', objectId: 4, classId: 0, className: 'person', box: box([400, 100, 600, 470]), score: 0.2 },
    ],
    adjacency,
    transportTopLabels: [[], [{ classId: 16, className: 'dog', mass: 0.7 }], [{ classId: 29, className: 'frisbee', mass: 0.5 }], [], []],
    attention: [Array.from({ length: 8 }, (_, h) => (h === 0 ? focused : uniform)), Array.from({ length: 8 }, () => uniform)],
    labelScores: [],
    sinkhorn: { iterations: 20, converged: true },
    model: 'test head',
  }
}
