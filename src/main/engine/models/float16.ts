/**
 * The engine's one IEEE 754 binary16 (half precision) codec. TF.js stores "float16-quantized"
 * weights as little-endian binary16 values and the packed GloVe table stores its rows as binary16;
 * every binary16 value is exactly representable in float32, so decoding is exact.
 */

const f32 = new Float32Array(1)
const u32 = new Uint32Array(f32.buffer)

/** float32 -> binary16 bits, rounding to nearest with ties to even (NaN stays NaN, overflow is infinity). */
export function f32ToF16(x: number): number {
  f32[0] = x
  const b = u32[0]
  const sign = (b >>> 16) & 0x8000
  const exp = (b >>> 23) & 0xff
  let mant = b & 0x7fffff
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 | (mant >>> 13) : 0)
  const e = exp - 127 + 15
  if (e >= 0x1f) return sign | 0x7c00
  if (e <= 0) {
    if (e < -10) return sign
    mant |= 0x800000
    const shift = 14 - e
    const half = 1 << (shift - 1)
    const rem = mant & ((1 << shift) - 1)
    let h = mant >>> shift
    if (rem > half || (rem === half && (h & 1) === 1)) h++
    return sign | h
  }
  let h = (e << 10) | (mant >>> 13)
  const rem = mant & 0x1fff
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1) === 1)) h++ // a carry correctly bumps the exponent
  return sign | h
}

/** binary16 bits (0..65535) -> its exact value. */
export function f16ToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1
  const e = (h >>> 10) & 0x1f
  const m = h & 0x3ff
  if (e === 0) return sign * m * 2 ** -24
  if (e === 0x1f) return m ? NaN : sign * Infinity
  return sign * (1 + m / 1024) * 2 ** (e - 15)
}

let table: Float32Array | null = null

/** All 65,536 binary16 values as float32, indexed by bit pattern (built once), so decoding is one lookup. */
export function float16Table(): Float32Array {
  if (!table) {
    table = new Float32Array(65536)
    for (let h = 0; h < 65536; h++) table[h] = f16ToF32(h)
  }
  return table
}

/** Decodes `count` little-endian binary16 values starting at `byteOffset` of `bytes` (any alignment). */
export function decodeFloat16(bytes: Uint8Array, byteOffset: number, count: number): Float32Array {
  const lut = float16Table()
  const out = new Float32Array(count)
  for (let k = 0; k < count; k++) {
    const p = byteOffset + 2 * k
    out[k] = lut[bytes[p] | (bytes[p + 1] << 8)]
  }
  return out
}

/** Encodes `src[0, n)` as binary16 bits into `dst` from index `at`. */
export function encodeFloat16(src: ArrayLike<number>, n: number, dst: Uint16Array, at: number): void {
  for (let i = 0; i < n; i++) dst[at + i] = f32ToF16(src[i])
}
