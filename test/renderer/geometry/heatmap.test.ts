import { describe, expect, it } from 'vitest'
import {
  bothCount,
  cellFilter,
  csvField,
  differenceCells,
  differenceCsv,
  differenceJson,
  matrixCells,
  matrixCsv,
  matrixJson,
  symmetricExtent,
} from '../../../src/renderer/lib/geometry/heatmap.js'
import type { CooccurrenceMatrix } from '../../../src/shared/scene-types.js'

/** A street scene of 10 photos: 8 with a person, 5 with a car, 4 with both. */
const street: CooccurrenceMatrix = {
  scene: 1,
  photos: 10,
  classIds: [0, 2, 9],
  names: ['person', 'car', 'traffic light'],
  counts: [8, 5, 2],
  p: [
    [1, 0.5, 0.25],
    [0.8, 1, 0.4],
    [1, 1, 1],
  ],
}
/** An indoor scene over other labels: person, couch (no car). */
const indoor: CooccurrenceMatrix = {
  scene: 2,
  photos: 6,
  classIds: [57, 0],
  names: ['couch', 'person'],
  counts: [3, 4],
  p: [
    [1, 2 / 3],
    [0.5, 1],
  ],
}

describe('heatmap data', () => {
  it('turns a matrix into cells with the photos that carry both labels', () => {
    const cells = matrixCells(street)
    expect(cells).toHaveLength(9)
    const personCar = cells.find((c) => c.given === 'person' && c.label === 'car')!
    expect(personCar).toMatchObject({ i: 0, j: 1, givenId: 0, labelId: 2, p: 0.5, both: 4, givenCount: 8 })
    // C is symmetric: counted from either row, the pair is the same 4 photos.
    expect(bothCount(street, 1, 0)).toBe(bothCount(street, 0, 1))
  })

  it('subtracts scene B from scene A by class id, leaving labels B lacks empty', () => {
    const cells = differenceCells(street, indoor)
    const at = (g: string, l: string) => cells.find((c) => c.given === g && c.label === l)!
    expect(at('person', 'person')).toMatchObject({ a: 1, b: 1, d: 0 })
    expect(at('person', 'car')).toMatchObject({ a: 0.5, b: null, d: 0 })
    expect(symmetricExtent(cells.map((c) => c.d))).toBe(0.05)
    expect(symmetricExtent([0.3, -0.7, NaN])).toBe(0.7)
  })

  it('opens a cell as the scene photos with both labels, one label on the diagonal', () => {
    expect(cellFilter(1, 0, 2)).toEqual({ scene: 1, labels: [0, 2] })
    expect(cellFilter(1, 9, 9)).toEqual({ scene: 1, labels: [9] })
    expect(cellFilter('global', 0, 2)).toEqual({ labels: [0, 2] })
  })

  it('exports CSV with quoting and JSON that parses back', () => {
    expect(csvField('a, "b"')).toBe('"a, ""b"""')
    const csv = matrixCsv(street).trim().split('\n')
    expect(csv[0]).toBe('P(column | row),person,car,traffic light')
    expect(csv[2]).toBe('car,0.8,1,0.4')
    const json = JSON.parse(matrixJson(street)) as CooccurrenceMatrix & { both: number[][] }
    expect(json.p).toEqual(street.p)
    expect(json.both[0]).toEqual([8, 4, 2])
    const dcsv = differenceCsv(street, indoor).trim().split('\n')
    expect(dcsv[1]).toBe('person,0,,')
    const djson = JSON.parse(differenceJson(street, indoor)) as { difference: (number | null)[][] }
    expect(djson.difference[0]).toEqual([0, null, null])
  })
})
