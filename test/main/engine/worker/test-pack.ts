/**
 * Small ONNX graphs with known outputs, written into a temporary model pack with a correct
 * manifest (sha256 over the written bytes), for engine tests.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { ModelEntry, ModelManifest } from '../../../../src/main/engine/models/manifest.js'
import { OnnxGraphBuilder, attr, f32 } from '../../../../src/main/engine/onnx/graph-builder.js'
import { sha256 } from '../../../../src/main/engine/models/pack.js'

/** y = x·W + b with x [N,3], W = [[1,2],[3,4],[5,6]], b = [0.5,-1]. */
export function affineModel(): Uint8Array {
  const g = new OnnxGraphBuilder('affine')
  const x = g.input('x', 'FLOAT', ['N', 3])
  const y = g.op('Add', [g.op('MatMul', [x, g.initializer('w', f32([1, 2, 3, 4, 5, 6], [3, 2]))]), g.initializer('b', f32([0.5, -1], [2]))], {}, 'y')
  g.output(y, 'FLOAT', ['N', 2])
  return g.encode()
}

/** Expected output of {@link affineModel} for one row. */
export function affineRow(x: [number, number, number]): [number, number] {
  return [x[0] + 3 * x[1] + 5 * x[2] + 0.5, 2 * x[0] + 4 * x[1] + 6 * x[2] - 1]
}

/** y = x + 1 for any float shape. */
export function plusOneModel(): Uint8Array {
  const g = new OnnxGraphBuilder('plus-one')
  const x = g.input('x', 'FLOAT', ['N'])
  g.output(g.op('Add', [x, g.initializer('one', f32([1], []))], {}, 'y'), 'FLOAT', ['N'])
  return g.encode()
}

/** Two outputs: `idx` = ArgMax over each row of x [N,3] (int64), `max` = the row maximum (float). */
export function argmaxModel(): Uint8Array {
  const g = new OnnxGraphBuilder('argmax')
  const x = g.input('x', 'FLOAT', ['N', 3])
  g.output(g.op('ArgMax', [x], { axis: attr.int(1), keepdims: attr.int(0) }, 'idx'), 'INT64', ['N'])
  g.output(g.op('ReduceMax', [x], { axes: attr.ints([1]), keepdims: attr.int(0) }, 'max'), 'FLOAT', ['N'])
  return g.encode()
}

/** Width of the slow model's rows. */
export const SLOW_WIDTH = 512

/**
 * x [N,512] multiplied `depth` times by a 512x512 matrix of 1/512: rows of ones stay ones,
 * and the cost grows with N (about N * 0.5 MFLOP * depth), so tests choose how slow a run is.
 */
export function slowModel(depth = 24): Uint8Array {
  const g = new OnnxGraphBuilder('slow')
  let h = g.input('x', 'FLOAT', ['N', SLOW_WIDTH])
  const w = g.initializer('w', f32(new Float32Array(SLOW_WIDTH * SLOW_WIDTH).fill(1 / SLOW_WIDTH), [SLOW_WIDTH, SLOW_WIDTH]))
  for (let k = 0; k < depth; k++) h = g.op(k === depth - 1 ? 'Relu' : 'MatMul', k === depth - 1 ? [h] : [h, w], {}, k === depth - 1 ? 'y' : undefined)
  g.output(h, 'FLOAT', ['N', SLOW_WIDTH])
  return g.encode()
}

/** A temporary pack folder; `remove()` deletes it. */
export interface TestPack {
  dir: string
  manifest: ModelManifest
  file(name: string): string
  remove(): void
}

/** Writes models (name -> bytes) into a new temporary pack with a manifest of their real sha256. */
export function writeTestPack(models: Record<string, Uint8Array>): TestPack {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'constella-pack-'))
  const entries: ModelEntry[] = Object.entries(models).map(([name, bytes]) => {
    const file = `${name}.onnx`
    writeFileSync(path.join(dir, file), bytes)
    return {
      name, role: 'head', file, source: 'constella tests', description: `test graph ${name}`,
      inputs: [], outputs: [], preprocessing: {}, sha256: sha256(bytes), bytes: bytes.byteLength,
    }
  })
  const manifest: ModelManifest = { formatVersion: 1, inputsHash: 'test', builtAt: new Date().toISOString(), models: entries }
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2))
  return {
    dir,
    manifest,
    file: (name) => path.join(dir, `${name}.onnx`),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}
