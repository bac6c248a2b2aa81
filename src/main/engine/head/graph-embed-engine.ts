/**
 * Runs the SARL-GAT head graph (`head-graph.ts`) on the inference engine: the photo's nodes go in
 * as three matrices, the embedding and everything the UI explains it by come back.
 */
import { float32Tensor, type InferenceRunner, type RunOptions, type TensorMap } from '../inference-types.js'
import type { HeadParams } from './head-params.js'
import { graphNodes, objectNode, PHOTO_NODE, type GraphEmbedding, type GraphInput } from './graph-embed.js'
import { HEAD_GRAPH_OUTPUTS as OUT } from './head-graph.js'

/** Stacks one vector per node into an n x dim float32 matrix. */
function stack(rows: Float32Array[], dim: number): Float32Array {
  const out = new Float32Array(rows.length * dim)
  rows.forEach((r, i) => out.set(r, i * dim))
  return out
}

function output(result: TensorMap, name: string): TensorMap[string] {
  const t = result[name]
  if (!t) throw new Error(`the head graph returned no ${name}`)
  return t
}

/** Computes the graph embedding of one photo with the head graph `model` of the pack. */
export async function embedGraphOnEngine(engine: InferenceRunner, model: string, head: HeadParams, input: GraphInput, options?: RunOptions): Promise<GraphEmbedding> {
  const h = head.header
  const nodes = graphNodes(head, input)
  const n = nodes.length
  const C = h.classNames.length
  const result = await engine.run(model, {
    node_features: float32Tensor(stack(nodes.map((x) => x.feature), h.featureDim), [n, h.featureDim]),
    node_words: float32Tensor(stack(nodes.map((x) => x.word), h.wordDim), [n, h.wordDim]),
    node_evidence: float32Tensor(stack(nodes.map((x) => x.evidence), C), [n, C]),
  }, undefined, options)
  const f32 = (name: string) => output(result, name).data as Float32Array
  const width = h.heads * h.headDim
  const nodeMatrix = f32(OUT.nodeEmbeddings)
  const node = (i: number) => nodeMatrix.slice(i * width, (i + 1) * width)
  const plane = n * n
  const attention = Array.from({ length: h.layers }, (_, l) => {
    const all = f32(OUT.attention(l))
    return Array.from({ length: h.heads }, (_, k) => all.slice(k * plane, (k + 1) * plane))
  })
  const marginalError = f32(OUT.marginalError)[0]
  return {
    embedding: f32(OUT.embedding),
    photoNode: node(PHOTO_NODE),
    objectNodes: input.objects.map((_, i) => node(objectNode(i))),
    adjacency: Float64Array.from(f32(OUT.adjacency)),
    attention,
    transport: {
      iterations: Number((output(result, OUT.iterations).data as BigInt64Array)[0]),
      converged: marginalError < h.ot.tolerance,
      marginalError,
      cost: f32(OUT.transportCost)[0],
      plan: Float64Array.from(f32(OUT.plan)),
    },
    labelScores: f32(OUT.labelScores),
  }
}
