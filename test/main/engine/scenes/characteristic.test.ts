/**
 * Characteristic labels and strongest pairs on hand-built counts: a label as frequent in a scene
 * as in the library ("person") does not name it; a label concentrated in it does; pairs need
 * support and report P(b | a) in the direction where it is larger.
 */
import { describe, expect, it } from 'vitest'
import { characteristicLabels, pairCounts, sceneName, strongestPairs } from '../../../../src/main/engine/scenes/characteristic.js'

const names = ['person', 'car', 'traffic light', 'couch', 'tv']
const nameOf = (c: number): string => names[c]

// a street scene of 100 photos and an indoor scene of 100 photos; person on 80% of both
const street = [{ a: 0, b: 0, n: 80 }, { a: 1, b: 1, n: 60 }, { a: 2, b: 2, n: 30 }, { a: 0, b: 1, n: 50 }, { a: 1, b: 2, n: 28 }, { a: 0, b: 2, n: 25 }]
const indoor = [{ a: 0, b: 0, n: 80 }, { a: 3, b: 3, n: 50 }, { a: 4, b: 4, n: 40 }, { a: 0, b: 3, n: 45 }, { a: 3, b: 4, n: 30 }, { a: 1, b: 1, n: 2 }]
const library = pairCounts([...street, ...indoor])

describe('characteristic labels', () => {
  it('names a scene by what sets it apart, not by what is everywhere', () => {
    const labels = characteristicLabels(pairCounts(street), 100, library, 200, nameOf)
    expect(labels.map((l) => l.name).sort()).toEqual(['car', 'traffic light']) // person: lift 1
    const light = labels.find((l) => l.name === 'traffic light')!
    expect(light.lift).toBeCloseTo(0.3 / (30 / 200))
    expect(light.share).toBeCloseTo(0.3)
    const score = (l: { lift: number; share: number }): number => Math.log(l.lift) * Math.sqrt(l.share)
    expect(score(labels[0])).toBeGreaterThanOrEqual(score(labels[1]))
    expect(sceneName(labels, 0)).toBe(labels.map((l) => l.name).join(' · '))
    expect(sceneName([], 4)).toBe('scene 5')
  })

  it('gives the strongest pairs with P(b | a) in the stronger direction, only with support', () => {
    const pairs = strongestPairs(pairCounts(street), nameOf, { minCount: 26 })
    // car & person: sqrt(50/60 * 50/80) = 0.72 beats traffic light & car: sqrt(28/30 * 28/60) = 0.66;
    // traffic light & person (25 photos) lacks support
    expect(pairs).toEqual([['car', 'person', 50 / 60], ['traffic light', 'car', 28 / 30]])
  })
})
