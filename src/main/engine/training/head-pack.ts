/**
 * A trained head as a model pack: the base pack's models (linked, or copied where links are not
 * allowed) with the head's parameter file and ONNX graph in place of the pack's, and a manifest
 * with their sha256. Opening a library on it (`Library.open({ packDir })`) runs the trained head
 * exactly as indexing runs the shipped one: the ONNX graph on the inference engine.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { decodeHead } from '../head/head-params.js'
import type { ModelManifest } from '../models/manifest.js'
import { findModel, readManifest, sha256 } from '../models/pack.js'

/** File names of a trained head's folder (as `constella train --out` writes it). */
export const TRAINED_FILES = { params: 'sarl-gat-head.bin', graph: 'sarl-gat-head.onnx', metrics: 'metrics.json', heldOut: 'heldout.json' } as const

/** Checks that `headDir` holds a trained head; returns its two files' bytes. */
export function readTrainedHead(headDir: string): { params: Uint8Array; graph: Uint8Array } {
  const files = [TRAINED_FILES.params, TRAINED_FILES.graph].map((f) => path.join(headDir, f))
  const missing = files.filter((f) => !existsSync(f))
  if (missing.length > 0) throw new Error(`${headDir} is not a trained head folder: ${missing.map((f) => path.basename(f)).join(' and ')} missing (write one with constella train --out DIR)`)
  const [params, graph] = files.map((f) => readFileSync(f))
  decodeHead(params, files[0])
  return { params, graph }
}

/**
 * Writes a pack in `targetDir` (created, or refreshed) from `basePackDir` with the head of
 * `headDir`; returns `targetDir`.
 */
export function writeHeadPack(headDir: string, basePackDir: string, targetDir: string): string {
  const { params, graph } = readTrainedHead(headDir)
  const base = readManifest(basePackDir)
  const headEntry = findModel(base, 'sarl-gat-head')
  const graphEntry = base.models.find((m) => m.role === 'head-graph')
  mkdirSync(targetDir, { recursive: true })
  const header = decodeHead(params).header
  const paramsSha = sha256(params)
  const models = base.models.map((m) => {
    if (m === headEntry) return { ...m, sha256: paramsSha, bytes: params.length, source: `constella train (${header.modelVersion})` }
    if (m === graphEntry) {
      return { ...m, sha256: sha256(graph), bytes: graph.length, preprocessing: { ...m.preprocessing, headParamsSha256: paramsSha } }
    }
    return m
  })
  for (const m of base.models) {
    const target = path.join(targetDir, m.file)
    rmSync(target, { force: true })
    if (m === headEntry) writeFileSync(target, params)
    else if (m === graphEntry) writeFileSync(target, graph)
    else {
      try {
        symlinkSync(path.resolve(basePackDir, m.file), target)
      } catch {
        copyFileSync(path.join(basePackDir, m.file), target)
      }
    }
  }
  const manifest: ModelManifest = { ...base, models }
  writeFileSync(path.join(targetDir, 'manifest.json'), JSON.stringify(manifest, null, 2))
  return targetDir
}
