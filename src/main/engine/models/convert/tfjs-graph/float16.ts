/**
 * IEEE 754 half-precision decoding. TF.js stores "float16-quantized" float32 weights as
 * little-endian binary16 values; every binary16 value is exactly representable in float32.
 */

const table = buildTable()

function buildTable(): Float32Array {
  const t = new Float32Array(65536)
  for (let h = 0; h < 65536; h++) t[h] = halfToFloat(h)
  return t
}

/** Decodes one binary16 bit pattern (0..65535) to its exact value. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1
  const exponent = (h >> 10) & 0x1f
  const fraction = h & 0x03ff
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024)
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024)
}

/** Decodes `count` little-endian binary16 values starting at `byteOffset` of `bytes`. */
export function decodeFloat16(bytes: Uint8Array, byteOffset: number, count: number): Float32Array {
  const out = new Float32Array(count)
  for (let k = 0; k < count; k++) {
    const p = byteOffset + 2 * k
    out[k] = table[bytes[p] | (bytes[p + 1] << 8)]
  }
  return out
}
