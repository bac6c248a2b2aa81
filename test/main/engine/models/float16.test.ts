/** The engine's one float16 codec (`models/float16.ts`): exact decoding, round-to-nearest-even encoding. */
import { describe, expect, it } from 'vitest'
import { decodeFloat16, encodeFloat16, f16ToF32, f32ToF16, float16Table } from '../../../../src/main/engine/models/float16.js'

/** Reference float16 rounding: the nearest of all finite float16 values, ties to the even bit pattern. */
const positives = Array.from({ length: 0x7c00 }, (_, h) => f16ToF32(h))
function referenceF16(x: number): number {
  const a = Math.abs(Math.fround(x))
  const sign = Math.fround(x) < 0 || Object.is(x, -0) ? 0x8000 : 0
  if (a >= 65520) return sign | 0x7c00
  let lo = 0
  let hi = positives.length - 1
  while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (positives[mid] <= a) lo = mid; else hi = mid }
  const dl = a - positives[lo]
  const dh = positives[hi] - a
  return sign | (dl < dh ? lo : dh < dl ? hi : lo % 2 === 0 ? lo : hi)
}

describe('float16 conversion', () => {
  it('converts known values, rounding ties to even', () => {
    expect(f32ToF16(1)).toBe(0x3c00)
    expect(f32ToF16(-2)).toBe(0xc000)
    expect(f32ToF16(65504)).toBe(0x7bff)
    expect(f32ToF16(65520)).toBe(0x7c00) // halfway to 2^16 rounds up to infinity
    expect(f32ToF16(2 ** -24)).toBe(0x0001)
    expect(f32ToF16(2 ** -25)).toBe(0x0000) // tie between 0 and the smallest subnormal -> even (0)
    expect(f32ToF16(3 * 2 ** -25)).toBe(0x0002) // tie between 1 and 2 -> even (2)
    expect(f32ToF16(1 + 2 ** -11)).toBe(0x3c00) // tie -> even mantissa
    expect(f32ToF16(1 + 3 * 2 ** -11)).toBe(0x3c02)
    expect(f32ToF16(-0)).toBe(0x8000)
    expect(f32ToF16(NaN) & 0x7c00).toBe(0x7c00)
    expect(Number.isNaN(f16ToF32(f32ToF16(NaN)))).toBe(true)
  })

  it('round-trips every float16 value exactly', () => {
    const wrong: number[] = []
    for (let h = 0; h < 0x10000; h++) {
      if ((h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0) continue // NaNs
      if (f32ToF16(f16ToF32(h)) !== h) wrong.push(h)
    }
    expect(wrong).toEqual([])
  })

  it('agrees with a brute-force nearest-value search on 100k random float32 values', () => {
    let seed = 12345
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32)
    const bits = new Uint32Array(1)
    const f = new Float32Array(bits.buffer)
    for (let i = 0; i < 100_000; i++) {
      bits[0] = ((rand() < 0.5 ? 0x80000000 : 0) | (Math.floor(rand() * 45 + 97) << 23) | Math.floor(rand() * 0x800000)) >>> 0
      const got = f32ToF16(f[0])
      if (got !== referenceF16(f[0])) throw new Error(`${f[0]}: got ${got.toString(16)}, want ${referenceF16(f[0]).toString(16)}`)
    }
  })
})

describe('float16 decoding', () => {
  it('decodes normal, subnormal, signed, infinite and NaN half floats exactly', () => {
    expect(f16ToF32(0x3c00)).toBe(1)
    expect(f16ToF32(0xc000)).toBe(-2)
    expect(f16ToF32(0x3555)).toBe(0.333251953125)
    expect(f16ToF32(0x7bff)).toBe(65504)
    expect(f16ToF32(0x0001)).toBe(2 ** -24)
    expect(f16ToF32(0x8000)).toBe(-0)
    expect(f16ToF32(0xfc00)).toBe(Number.NEGATIVE_INFINITY)
    expect(f16ToF32(0x7e00)).toBeNaN()
    // little-endian pairs at an odd offset
    const bytes = Uint8Array.from([0xff, 0x00, 0x3c, 0x00, 0xc0])
    expect(Array.from(decodeFloat16(bytes, 1, 2))).toEqual([1, -2])
  })

  it('looks every bit pattern up in the table as f16ToF32 computes it, and encodes arrays element-wise', () => {
    const lut = float16Table()
    for (let h = 0; h < 0x10000; h++) if (!Object.is(lut[h], Math.fround(f16ToF32(h))) && !Number.isNaN(lut[h])) throw new Error(`table[${h}]`)
    const dst = new Uint16Array(4)
    encodeFloat16(Float32Array.from([1, -2, 65504]), 3, dst, 1)
    expect(Array.from(dst)).toEqual([0, 0x3c00, 0xc000, 0x7bff])
  })
})
