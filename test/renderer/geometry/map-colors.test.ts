import { describe, expect, it } from 'vitest'
import { LABEL_COLOR, pointColors, sceneCounts, scenePalette } from '../../../src/renderer/components/map/map-colors.js'
import { packRgba, parseColor } from '../../../src/renderer/components/map/map-raster.js'
import { NO_SCENE_COLOR, sceneColor } from '../../../src/renderer/components/scenes/scene-colors.js'

const alpha = (c: number): number => c >>> 24

describe('map colours', () => {
  const scenes = Uint8Array.from([0, 1, 2, 255, 1])

  it('colours by scene with distinct colours, grey for photos without a scene', () => {
    const { colors, layer } = pointColors({ count: 5, scenes, label: null, selection: new Int32Array(0) })
    expect(colors[0]).toBe(packRgba(...parseColor(sceneColor(0))))
    expect(colors[3]).toBe(packRgba(...parseColor(NO_SCENE_COLOR)))
    expect(new Set([colors[0], colors[1], colors[2]]).size).toBe(3)
    expect(colors[1]).toBe(colors[4])
    expect([...layer]).toEqual([0, 0, 0, 0, 0])
    const many = new Set(Array.from({ length: 32 }, (_, k) => sceneColor(k)))
    expect(many.size).toBe(32)
    expect(scenePalette()[255]).toBe(colors[3])
  })

  it('puts the photos with the chosen label on top in the label colour, the rest faint grey', () => {
    const label = Uint8Array.from([1, 0, 0, 1, 0])
    const { colors, layer } = pointColors({ count: 5, scenes, label, selection: new Int32Array(0) })
    expect(colors[0]).toBe(packRgba(...parseColor(LABEL_COLOR)))
    expect(alpha(colors[1])).toBeLessThan(255)
    expect([...layer]).toEqual([1, 0, 0, 1, 0])
  })

  it('dims everything but the selection, which is drawn on top at full strength', () => {
    const { colors, layer } = pointColors({ count: 5, scenes, label: null, selection: Int32Array.from([1, 3]) })
    expect([...layer]).toEqual([0, 1, 0, 1, 0])
    expect([alpha(colors[0]), alpha(colors[1]), alpha(colors[3]), alpha(colors[4])]).toEqual([60, 255, 255, 60])
    const byLabel = pointColors({ count: 5, scenes, label: Uint8Array.from([1, 1, 0, 0, 0]), selection: Int32Array.from([1]) })
    expect([...byLabel.layer]).toEqual([0, 1, 0, 0, 0])
    expect(alpha(byLabel.colors[0])).toBeLessThan(255)
    expect(byLabel.colors[1]).toBe(packRgba(...parseColor(LABEL_COLOR)))
  })

  it('counts photos per scene for the legend', () => {
    expect([...sceneCounts(scenes)]).toEqual([
      [0, 1],
      [1, 2],
      [2, 1],
      [255, 1],
    ])
  })
})
