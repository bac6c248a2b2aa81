/**
 * A small file of named float32 tensors with a JSON note (training checkpoints: optimizer state
 * and progress). Layout: "CNTENS1\n", uint32 header length, JSON header, padding to 4, floats.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs'

/** Named tensors and a JSON-serialisable note. */
export interface TensorFile<Note = unknown> {
  note: Note
  tensors: Map<string, { shape: number[]; data: Float32Array }>
}

const MAGIC = 'CNTENS1\n'

/** Writes a tensor file atomically. */
export function writeTensorFile(file: string, content: TensorFile): void {
  let offset = 0
  const entries = [...content.tensors].map(([name, t]) => {
    const e = { name, shape: t.shape, offset, length: t.data.length }
    offset += t.data.length
    return e
  })
  const json = new TextEncoder().encode(JSON.stringify({ note: content.note, tensors: entries }))
  const start = Math.ceil((12 + json.length) / 4) * 4
  const bytes = new Uint8Array(start + offset * 4)
  bytes.set(new TextEncoder().encode(MAGIC), 0)
  new DataView(bytes.buffer).setUint32(8, json.length, true)
  bytes.set(json, 12)
  const floats = new Float32Array(bytes.buffer, start, offset)
  for (const e of entries) floats.set(content.tensors.get(e.name)!.data, e.offset)
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, bytes)
  renameSync(tmp, file)
}

/** Reads a tensor file; errors name it. */
export function readTensorFile<Note = unknown>(file: string): TensorFile<Note> {
  const bytes = readFileSync(file)
  if (bytes.length < 12 || bytes.subarray(0, 8).toString('latin1') !== MAGIC) throw new Error(`${file} is not a Constella tensor file`)
  const length = bytes.readUInt32LE(8)
  const header = JSON.parse(bytes.subarray(12, 12 + length).toString('utf8')) as { note: Note; tensors: { name: string; shape: number[]; offset: number; length: number }[] }
  const start = Math.ceil((12 + length) / 4) * 4
  const copy = new Uint8Array(bytes.length - start)
  copy.set(bytes.subarray(start))
  const floats = new Float32Array(copy.buffer)
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>()
  for (const t of header.tensors) {
    if (t.offset + t.length > floats.length) throw new Error(`${file}: tensor ${t.name} runs past the end of the file (truncated)`)
    tensors.set(t.name, { shape: t.shape, data: floats.subarray(t.offset, t.offset + t.length) })
  }
  return { note: header.note, tensors }
}
