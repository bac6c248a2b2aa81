import { describe, expect, it } from 'vitest'
import { nearClassNames, parseClassNames, UnknownClassError } from '../../../../src/main/engine/search/class-names.js'
import { COCO_CLASSES } from '../../../../src/shared/class-names.js'

describe('parseClassNames', () => {
  it('reads names and comma lists, forgiving case, spaces and underscores', () => {
    expect(parseClassNames(['dog,Cat', 'dining_table', ' traffic  light '], COCO_CLASSES)).toEqual([16, 15, 60, 9])
    expect(parseClassNames(['dog', 'dog'], COCO_CLASSES)).toEqual([16])
    expect(parseClassNames([], COCO_CLASSES)).toEqual([])
  })

  it('rejects unknown names and offers the nearest ones', () => {
    let error: unknown
    try {
      parseClassNames(['dogg'], COCO_CLASSES)
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(UnknownClassError)
    expect((error as UnknownClassError).suggestions[0]).toBe('dog')
    expect((error as Error).message).toMatch(/unknown class "dogg".*did you mean: dog/)
    expect(nearClassNames('table', COCO_CLASSES)).toContain('dining table')
    expect(nearClassNames('tv monitor', COCO_CLASSES)).toContain('tv')
    expect(nearClassNames('zzzzzzzz', COCO_CLASSES)).toEqual([])
  })
})
