/**
 * The SARL-GAT head: every parameter of the graph embedding in one versioned file, so that the
 * trained head of the fine-tuning work replaces the default by writing a new file of this format.
 *
 * File layout (little-endian): the 8 bytes "CNHEAD1\n", a uint32 header length, a UTF-8 JSON
 * header ({@link HeadHeader}), zero padding to a multiple of 4, then each tensor's float32 data
 * at the offset (in floats from the data start) listed in the header.
 *
 * Format 2 (written only by heads that use them) adds two optional tensors, residual paths of
 * the detector's evidence e_0 (the photo node's class evidence) used by fine-tuned heads
 * (`engine/training`): `evidence.weight` [heads * headDim, classes] into H,
 * H = unit(mean_i h_i + E unit(e_0)), and `classifier.evidence` [classes, classes] into the
 * classifier, logits = W_cls H + V e_0 + b. A format-1 reader must not load such a file.
 */

/** Scalars and shapes of a head. */
export interface HeadHeader {
  format: 'constella-head'
  /** 1, or 2 when the head has the evidence residual `evidence.weight` (see the file comment). */
  formatVersion: 1 | 2
  /** Identifies the parameters (recorded with every embedding in the store). */
  modelVersion: string
  description: string
  /** Visual feature size C of F_i (depends on the backbone map). */
  featureDim: number
  /** Which feature map F_i is pooled from, e.g. "inception-v3:mixed5". */
  featureSource: string
  wordDim: number
  classNames: string[]
  /** Node size d of V'_i. */
  nodeDim: number
  /** Activation sigma of eq. 2. */
  nodeActivation: 'identity' | 'relu' | 'sigmoid' | 'tanh'
  heads: number
  headDim: number
  layers: number
  gatActivation: 'elu' | 'relu' | 'identity'
  negativeSlope: number
  /** How P F_i is formed: a learned linear map, or the detector's class evidence in word space. */
  projection: 'linear' | 'detector-evidence'
  ot: { epsilon: number; tolerance: number; maxIterations: number; labelTemperature: number }
  classifier: { scale: number }
  tensors: { name: string; shape: number[]; offset: number }[]
}

/** A loaded head: header plus named float32 tensors. */
export interface HeadParams {
  header: HeadHeader
  tensors: Map<string, Float32Array>
}

const MAGIC = 'CNHEAD1\n'

/** Names of the optional evidence residuals of format 2 (see the file comment). */
export const EVIDENCE_RESIDUAL = 'evidence.weight'
export const CLASSIFIER_EVIDENCE = 'classifier.evidence'

/** Returns the named tensor or throws naming it. */
export function tensor(head: HeadParams, name: string): Float32Array {
  const t = head.tensors.get(name)
  if (!t) throw new Error(`head ${head.header.modelVersion} has no tensor "${name}"`)
  return t
}

/** Encodes a head into the file format. */
export function encodeHead(header: Omit<HeadHeader, 'tensors'>, tensors: Record<string, { shape: number[]; data: Float32Array }>): Uint8Array {
  let offset = 0
  const entries = Object.entries(tensors).map(([name, t]) => {
    const size = t.shape.reduce((a, b) => a * b, 1)
    if (size !== t.data.length) throw new Error(`head tensor ${name}: ${t.data.length} values for shape [${t.shape}]`)
    const e = { name, shape: t.shape, offset }
    offset += size
    return e
  })
  const json = new TextEncoder().encode(JSON.stringify({ ...header, tensors: entries }))
  const start = Math.ceil((12 + json.length) / 4) * 4
  const bytes = new Uint8Array(start + offset * 4)
  bytes.set(new TextEncoder().encode(MAGIC), 0)
  new DataView(bytes.buffer).setUint32(8, json.length, true)
  bytes.set(json, 12)
  const floats = new Float32Array(bytes.buffer, start, offset)
  for (const e of entries) floats.set(tensors[e.name].data, e.offset)
  return bytes
}

/** Decodes a head file; errors name the file and what is wrong. */
export function decodeHead(bytes: Uint8Array, file = 'head'): HeadParams {
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw new Error(`${file} is not a Constella head file (bad magic); rebuild the model pack: npm run build:models -- --force`)
  }
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true)
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + length))) as HeadHeader
  if (header.formatVersion !== 1 && header.formatVersion !== 2) throw new Error(`${file}: head format ${header.formatVersion} is newer than this app supports`)
  const start = Math.ceil((12 + length) / 4) * 4
  // copy into a fresh, aligned buffer (a Node Buffer's slice would be a view at any offset)
  const copy = new Uint8Array(bytes.length - start)
  copy.set(bytes.subarray(start))
  const floats = new Float32Array(copy.buffer, 0, Math.floor(copy.length / 4))
  const tensors = new Map<string, Float32Array>()
  for (const t of header.tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1)
    if (t.offset + size > floats.length) throw new Error(`${file}: tensor ${t.name} runs past the end of the file (truncated)`)
    tensors.set(t.name, floats.subarray(t.offset, t.offset + size))
  }
  return { header, tensors }
}
