import { describe, expect, it } from 'vitest'
import { classIdOf, suggestLabels } from '../../src/renderer/lib/labels.js'
import { COCO_CLASSES } from '../../src/shared/class-names.js'

describe('label autocomplete', () => {
  it('ranks exact, then prefix, then word-prefix, then substring matches', () => {
    const names = ['person', 'car', 'hot dog', 'dog', 'cardboard', 'scar']
    expect(suggestLabels(names, 'dog').map((o) => o.className)).toEqual(['dog', 'hot dog'])
    expect(suggestLabels(names, 'car').map((o) => o.className)).toEqual(['car', 'cardboard', 'scar'])
    expect(suggestLabels(names, 'CAR', [1]).map((o) => o.classId)).toEqual([4, 5])
    expect(suggestLabels(names, 'zebra')).toEqual([])
  })

  it('lists every class by name for an empty query, up to the limit', () => {
    expect(suggestLabels(['zebra', 'apple', 'mango'], '  ').map((o) => o.className)).toEqual(['apple', 'mango', 'zebra'])
    expect(suggestLabels(COCO_CLASSES, '', [], 5)).toHaveLength(5)
  })

  it('finds the class id of a typed name', () => {
    expect(classIdOf(COCO_CLASSES, ' Dog ')).toBe(COCO_CLASSES.indexOf('dog'))
    expect(classIdOf(COCO_CLASSES, 'unicorn')).toBeNull()
  })
})
