/** Float32 vectors <-> SQLite BLOBs (little-endian float32, the byte order of every supported platform). */

/** The bytes of `vector`, without copying. */
export function vectorToBlob(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength)
}

/** A Float32Array copy of a BLOB (copied: SQLite buffers may not be 4-byte aligned). */
export function blobToVector(blob: Uint8Array): Float32Array {
  if (blob.byteLength % 4 !== 0) throw new Error(`vector blob of ${blob.byteLength} bytes is not float32`)
  const out = new Float32Array(blob.byteLength / 4)
  new Uint8Array(out.buffer).set(blob)
  return out
}

/** Throws unless every element of `vector` is finite (NaN/Infinity would poison the index). */
export function assertFinite(vector: Float32Array, what: string): void {
  for (let i = 0; i < vector.length; i++) {
    if (!Number.isFinite(vector[i])) throw new Error(`${what}: element ${i} is ${vector[i]}`)
  }
}
