/** A `VectorSource` over a row-major matrix, keys 1..n: lets benchmarks drive `VectorIndex`. */
import type { VectorSource } from '../../src/main/engine/index/vector-source.js'

/** Rows of `matrix` (n x dims) as vectors keyed row + 1; entries are views, not copies. */
export class MatrixSource implements VectorSource {
  constructor(private readonly matrix: Float32Array, private readonly dims: number) {}

  count(): number {
    return this.matrix.length / this.dims
  }

  *keys(): IterableIterator<number> {
    for (let i = 1; i <= this.count(); i++) yield i
  }

  *entries(): IterableIterator<[number, Float32Array]> {
    const { dims } = this
    for (let i = 0; i < this.count(); i++) yield [i + 1, this.matrix.subarray(i * dims, (i + 1) * dims)]
  }

  fingerprint(): string {
    return `synthetic:${this.count()}x${this.dims}`
  }
}
