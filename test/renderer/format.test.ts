import { describe, expect, it } from 'vitest'
import { formatCount, splitAtLastSegment } from '../../src/renderer/lib/format.js'

describe('splitAtLastSegment', () => {
  it('keeps the last folder name apart so a middle ellipsis never hides it', () => {
    expect(splitAtLastSegment('Indexing /tmp/constella-e2e-workbench-N07o8x/photos')).toEqual(['Indexing /tmp/constella-e2e-workbench-N07o8x', '/photos'])
    expect(splitAtLastSegment('/home/ann/Pictures/2024')).toEqual(['/home/ann/Pictures', '/2024'])
  })

  it('handles Windows separators and a trailing separator', () => {
    expect(splitAtLastSegment('C:\\Users\\ann\\Pictures')).toEqual(['C:\\Users\\ann', '\\Pictures'])
    expect(splitAtLastSegment('/home/ann/Pictures/')).toEqual(['/home/ann', '/Pictures/'])
  })

  it('leaves text without a folder part whole', () => {
    expect(splitAtLastSegment('Rebuilding the index')).toEqual(['Rebuilding the index', ''])
    expect(splitAtLastSegment('/photos')).toEqual(['/photos', ''])
    expect(splitAtLastSegment('')).toEqual(['', ''])
  })
})

describe('formatCount', () => {
  it('groups thousands like en-US toLocaleString, without loading locale data for integers', () => {
    for (const n of [0, 7, 999, 1000, 12_345, 100_000, 1_234_567, -4321, 1.5, Number.MAX_SAFE_INTEGER]) {
      expect(formatCount(n)).toBe(n.toLocaleString('en-US'))
    }
  })
})
