/**
 * State shared by the layer translators while one Keras graph is written as ONNX.
 * Keras tensors are channels-last; in the ONNX graph every rank-4 tensor is NCHW.
 */
import type { OnnxGraphBuilder } from '../../../onnx/graph-builder.js'
import { type KerasLayer, inboundNames } from './keras-types.js'
import type { Pads2D } from './spatial.js'
import type { WeightStore } from './weights.js'
import { emitZeroPad } from './zero-pad.js'

/** A Keras tensor as it exists in the ONNX graph. */
export interface TensorRecord {
  /** ONNX value name. For rank 4 the value is NCHW. */
  name: string
  /** The Keras (channels-last) shape, batch first, e.g. [1, 35, 35, 288]. */
  shape: number[]
  /**
   * Zero padding [top, left, bottom, right] that the Keras tensor has but the ONNX value does not
   * yet (a ZeroPadding2D waiting to be folded into the pads of the convolution that reads it).
   */
  pendingPads?: Pads2D
}

/** The ONNX (NCHW for rank 4) shape of a Keras channels-last shape. */
export function onnxShape(kerasShape: number[]): number[] {
  if (kerasShape.length !== 4) return [...kerasShape]
  const [n, h, w, c] = kerasShape
  return [n, c, h, w]
}

/** Maps a Keras axis (channels-last, may be negative) of a tensor of `rank` to the ONNX axis. */
export function onnxAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis
  if (a < 0 || a >= rank) throw new Error(`axis ${axis} is out of range for rank ${rank}`)
  if (rank !== 4) return a
  return [0, 2, 3, 1][a]
}

/** Conversion state: the graph, the weights, the Keras layers and what each one produced. */
export class ConvertContext {
  private readonly records = new Map<string, TensorRecord>()
  private readonly consumers = new Map<string, KerasLayer[]>()

  /**
   * @param g the ONNX graph being written
   * @param weights the model's decoded weights
   * @param layers the Keras layers that will be converted (those the requested outputs need)
   * @param exposed names of layers whose own outputs are requested (never fused away)
   */
  constructor(
    readonly g: OnnxGraphBuilder,
    readonly weights: WeightStore,
    layers: KerasLayer[],
    readonly exposed: ReadonlySet<string>,
  ) {
    for (const layer of layers) {
      for (const src of inboundNames(layer)) this.consumers.set(src, [...(this.consumers.get(src) ?? []), layer])
    }
  }

  /** Whether a layer's output is already in the graph (or was fused into another layer). */
  has(layerName: string): boolean {
    return this.records.has(layerName)
  }

  /** Records what a layer produced. */
  set(layerName: string, record: TensorRecord): void {
    this.records.set(layerName, record)
  }

  /** The tensor a layer produced, padded if a ZeroPadding2D is still pending on it. */
  tensor(layerName: string): TensorRecord {
    const rec = this.rawTensor(layerName)
    if (!rec.pendingPads) return rec
    const [t, l, b, r] = rec.pendingPads
    const [n, h, w, c] = rec.shape
    const name = emitZeroPad(this.g, layerName, rec.name, [n, c, h - t - b, w - l - r], rec.pendingPads)
    const done: TensorRecord = { name, shape: rec.shape }
    this.records.set(layerName, done)
    return done
  }

  /** The tensor a layer produced, possibly with padding still pending. */
  rawTensor(layerName: string): TensorRecord {
    const rec = this.records.get(layerName)
    if (!rec) throw new Error(`Keras layer ${layerName} is used before it was converted`)
    return rec
  }

  /** The (padded) inputs of a layer. */
  inputs(layer: KerasLayer): TensorRecord[] {
    return inboundNames(layer).map((n) => this.tensor(n))
  }

  /** The single (padded) input of a layer. */
  input(layer: KerasLayer): TensorRecord {
    const ins = this.inputs(layer)
    if (ins.length !== 1) throw new Error(`Keras layer ${layer.name} (${layer.class_name}) expects 1 input, has ${ins.length}`)
    return ins[0]
  }

  /** The only layer reading `layerName`'s output, when there is exactly one and the output is not exposed. */
  soleConsumer(layerName: string): KerasLayer | undefined {
    if (this.exposed.has(layerName)) return undefined
    const list = this.consumers.get(layerName) ?? []
    return list.length === 1 ? list[0] : undefined
  }

  /** A fresh ONNX value name for the output of a layer (graph output names are reserved beforehand). */
  outName(layerName: string, suffix = ''): string {
    return this.g.fresh(`${layerName}${suffix}`)
  }

  /** Adds a single-output node writing a fresh value named after the layer; returns the value name. */
  emit(layerName: string, opType: string, inputs: string[], attrs: Parameters<OnnxGraphBuilder['op']>[2] = {}, suffix = ''): string {
    return this.g.op(opType, inputs, attrs, this.outName(layerName, suffix))
  }
}
