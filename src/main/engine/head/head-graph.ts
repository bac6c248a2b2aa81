/**
 * The SARL-GAT head as one ONNX graph, built from a head parameter file, so the inference engine
 * runs the whole embedding next to the detector. It computes exactly what `embedGraph` (the
 * TypeScript reference, also used for the ablations) computes, node 0 being the whole photo:
 * nodes (eq. 1-2), the cost against all class words and the label demand b, over-relaxed entropic
 * Sinkhorn in float64 inside a Loop (eq. 3-4; the marginal error is checked every 5 sweeps, with
 * the fallback to plain sweeps), A_ij = cos(T_i, T_j), two multi-head GAT layers with every alpha
 * as an output (eq. 5-8), the mean pool H (eq. 9) and the sigmoid classifier (eq. 10).
 *
 * Inputs (N nodes): `node_features` [N, featureDim] (F_i), `node_words` [N, wordDim] (w_i, as
 * `graphNodes` forms them: an object's from its class distribution) and
 * `node_evidence` [N, classes] (detector class evidence). Outputs: see {@link HEAD_GRAPH_OUTPUTS}.
 */
import { attr, f32, f64, i64, OnnxGraphBuilder } from '../onnx/graph-builder.js'
import { DEFAULT_OVER_RELAXATION, SWEEPS_PER_CHECK } from '../../../shared/math/sinkhorn.js'
import { unitClassWords } from './graph-embed.js'
import { CLASSIFIER_EVIDENCE, EVIDENCE_RESIDUAL, type HeadParams, tensor } from './head-params.js'

/** Output names of the head graph. */
export const HEAD_GRAPH_OUTPUTS = {
  embedding: 'embedding',
  nodeEmbeddings: 'node_embeddings',
  labelScores: 'label_scores',
  adjacency: 'adjacency',
  plan: 'transport_plan',
  iterations: 'sinkhorn_iterations',
  marginalError: 'marginal_error',
  transportCost: 'transport_cost',
  attention: (layer: number): string => `attention_${layer}`,
} as const

/** Row-major transpose of a rows x cols matrix. */
function transposed(m: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(m.length)
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c]
  return t
}

/** Builds the ONNX graph of `head` (opset 17). */
export function buildHeadGraph(head: HeadParams): Uint8Array {
  const h = head.header
  const C = h.classNames.length
  const width = h.heads * h.headDim
  const g = new OnnxGraphBuilder('sarl-gat-head')
  const op = g.op.bind(g)
  const F = g.input('node_features', 'FLOAT', ['N', h.featureDim])
  const words = g.input('node_words', 'FLOAT', ['N', h.wordDim])
  const evidence = g.input('node_evidence', 'FLOAT', ['N', C])
  const axes = (...a: number[]) => g.initializer('axes', i64(a))
  const one32 = g.initializer('one_f', f32([1], []))
  const one64 = g.initializer('one_d', f64([1], []))
  const tiny = g.initializer('tiny', f32([1e-30], []))
  /** Rows (or the whole vector, for rank 1) at unit length; zero rows stay zero. */
  const unit = (x: string, rowAxis = 1) =>
    op('Div', [x, op('Max', [op('Sqrt', [op('ReduceSum', [op('Mul', [x, x]), axes(rowAxis)], { keepdims: attr.int(1) })]), tiny])])

  // eq. 1-2: V'_i = sigma(W [F_i/|F_i| || w_i/|w_i|] + b)
  const cat = op('Concat', [unit(F), unit(words)], { axis: attr.int(1) })
  const W = g.initializer('node_weight', f32(tensor(head, 'node.weight'), [h.nodeDim, h.featureDim + h.wordDim]))
  const pre = op('Gemm', [cat, W, g.initializer('node_bias', f32(tensor(head, 'node.bias'), [h.nodeDim]))], { transB: attr.int(1) })
  const activation = { identity: 'Identity', relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh' }[h.nodeActivation]
  let x = op(activation, [pre])

  // eq. 3: C_ik = 1 - cos(P F_i, w_k) over all classes, then the OT problem in float64
  const pf = h.projection === 'linear'
    ? op('Gemm', [unit(F), g.initializer('projection', f32(tensor(head, 'projection.weight'), [h.wordDim, h.featureDim]))], { transB: attr.int(1) })
    : op('MatMul', [evidence, g.initializer('class_words', f32(tensor(head, 'classWords'), [C, h.wordDim]))])
  const cos = op('MatMul', [unit(pf), g.initializer('unit_words_t', f32(transposed(unitClassWords(head), C, h.wordDim), [h.wordDim, C]))])
  const cost = op('Cast', [op('Sub', [one32, cos])], { to: attr.int(11) })
  // a_i = 1/n; b_k = sum_i a_i softmax_k(-C_ik / tau), floored at 1e-9 and rescaled to the mass of a
  const shapeN1 = op('Concat', [op('Slice', [op('Shape', [F]), g.initializer('s0', i64([0])), g.initializer('s1', i64([1]))]), g.initializer('one_i', i64([1]))], { axis: attr.int(0) })
  const onesN1 = op('ConstantOfShape', [shapeN1], { value: attr.tensor(f64([1], [1])) })
  const a = op('Div', [onesN1, op('ReduceSum', [onesN1], { keepdims: attr.int(0) })])
  const demand = op('Softmax', [op('Div', [op('Neg', [cost]), g.initializer('tau', f64([h.ot.labelTemperature], []))])], { axis: attr.int(1) })
  const bRow = op('Max', [op('ReduceSum', [op('Mul', [a, demand]), axes(0)], { keepdims: attr.int(1) }), g.initializer('b_floor', f64([1e-9], []))])
  const bScaled = op('Mul', [bRow, op('Div', [op('ReduceSum', [a], { keepdims: attr.int(0) }), op('ReduceSum', [bRow], { keepdims: attr.int(0) })])])
  const b = op('Transpose', [bScaled], { perm: attr.ints([1, 0]) })
  const minCost = op('ReduceMin', [cost], { keepdims: attr.int(0) })
  const K = op('Exp', [op('Div', [op('Sub', [minCost, cost]), g.initializer('epsilon', f64([h.ot.epsilon], []))])])
  const KT = op('Transpose', [K], { perm: attr.ints([1, 0]) })

  // Sinkhorn: a Loop of SWEEPS_PER_CHECK over-relaxed sweeps and one marginal check per trip
  const body = new OnnxGraphBuilder('sinkhorn-sweeps', 'sk_')
  const bop = body.op.bind(body)
  body.input('sk_trip', 'INT64', [])
  body.input('sk_cond', 'BOOL', [])
  let u = body.input('sk_u', 'DOUBLE', ['N', 1])
  let v = body.input('sk_v', 'DOUBLE', [C, 1])
  const omega = body.input('sk_omega', 'DOUBLE', [])
  const previous = body.input('sk_error', 'DOUBLE', [])
  const sweeps = body.input('sk_sweeps', 'INT64', [])
  // x <- x (target / x)^omega, as x exp(omega log(target / x))
  const relax = (s: string, target: string) => bop('Mul', [s, bop('Exp', [bop('Mul', [omega, bop('Log', [bop('Div', [target, s])])])])])
  for (let k = 0; k < SWEEPS_PER_CHECK; k++) {
    u = relax(u, bop('Div', [a, bop('MatMul', [K, v])]))
    v = relax(v, bop('Div', [b, bop('MatMul', [KT, u])]))
  }
  const violation = (s: string, sums: string, target: string) => bop('ReduceMax', [bop('Abs', [bop('Sub', [bop('Mul', [s, sums]), target])])], { keepdims: attr.int(0) })
  const error = bop('Max', [violation(u, bop('MatMul', [K, v]), a), violation(v, bop('MatMul', [KT, u]), b)])
  body.node('Where', [bop('Greater', [error, previous]), one64, omega], ['sk_omega_out'])
  body.node('Not', [bop('Less', [error, g.initializer('tolerance', f64([h.ot.tolerance], []))])], ['sk_cond_out'])
  body.node('Identity', [u], ['sk_u_out'])
  body.node('Identity', [v], ['sk_v_out'])
  body.node('Identity', [error], ['sk_error_out'])
  body.node('Add', [sweeps, g.initializer('sweeps_per_check', i64([SWEEPS_PER_CHECK], []))], ['sk_sweeps_out'])
  body.output('sk_cond_out', 'BOOL', [])
  body.output('sk_u_out', 'DOUBLE', ['N', 1])
  body.output('sk_v_out', 'DOUBLE', [C, 1])
  body.output('sk_omega_out', 'DOUBLE', [])
  body.output('sk_error_out', 'DOUBLE', [])
  body.output('sk_sweeps_out', 'INT64', [])
  const [uEnd, vEnd, , errEnd, sweepsEnd] = g.node('Loop', [
    g.initializer('max_trips', i64([Math.ceil(h.ot.maxIterations / SWEEPS_PER_CHECK)], [])),
    g.initializer('go', { type: 'BOOL', dims: [], data: new Uint8Array([1]) }),
    onesN1,
    g.initializer('v0', f64(new Array(C).fill(1), [C, 1])),
    g.initializer('omega0', f64([DEFAULT_OVER_RELAXATION], [])),
    g.initializer('error0', f64([Infinity], [])),
    g.initializer('sweeps0', i64([0], [])),
  ], 5, { body: attr.graph(body) })
  const plan = op('Mul', [op('Mul', [uEnd, K]), op('Transpose', [vEnd], { perm: attr.ints([1, 0]) })])
  g.node('Cast', [plan], [HEAD_GRAPH_OUTPUTS.plan], { to: attr.int(1) })
  g.node('Identity', [sweepsEnd], [HEAD_GRAPH_OUTPUTS.iterations])
  g.node('Cast', [errEnd], [HEAD_GRAPH_OUTPUTS.marginalError], { to: attr.int(1) })
  g.node('Cast', [op('ReduceSum', [op('Mul', [plan, cost])], { keepdims: attr.int(0) })], [HEAD_GRAPH_OUTPUTS.transportCost], { to: attr.int(1) })

  // eq. 4: A_ij = cos(T_i, T_j), A_ii = 1
  const rows = op('Div', [plan, op('Max', [op('Sqrt', [op('ReduceSum', [op('Mul', [plan, plan]), axes(1)], { keepdims: attr.int(1) })]), g.initializer('tiny_d', f64([1e-300], []))])])
  const gram = op('MatMul', [rows, op('Transpose', [rows], { perm: attr.ints([1, 0]) })])
  const eye = op('EyeLike', [gram])
  const A = g.op('Cast', [op('Add', [op('Mul', [gram, op('Sub', [one64, eye])]), eye])], { to: attr.int(1) }, HEAD_GRAPH_OUTPUTS.adjacency)
  const logA = op('Log', [A])

  // eq. 5-8: z^k = W^k x, e_ij = LeakyReLU(a_src.z_i + a_dst.z_j) + log A_ij, alpha = softmax_j
  for (let l = 0; l < h.layers; l++) {
    const dIn = l === 0 ? h.nodeDim : width
    const Wl = g.initializer(`gat${l}_weight`, f32(tensor(head, `gat${l}.weight`), [width, dIn]))
    const z = op('Transpose', [op('Reshape', [op('Gemm', [x, Wl], { transB: attr.int(1) }), g.initializer('heads_shape', i64([-1, h.heads, h.headDim]))])], { perm: attr.ints([1, 0, 2]) })
    const score = (name: string) => op('MatMul', [z, g.initializer(`gat${l}_${name}`, f32(tensor(head, `gat${l}.${name}`), [h.heads, h.headDim, 1]))])
    const e = op('Add', [op('LeakyRelu', [op('Add', [score('attnSrc'), op('Transpose', [score('attnDst')], { perm: attr.ints([0, 2, 1]) })])], { alpha: attr.float(h.negativeSlope) }), logA])
    const alpha = g.op('Softmax', [e], { axis: attr.int(-1) }, HEAD_GRAPH_OUTPUTS.attention(l))
    let mixed = op('MatMul', [alpha, z])
    if (h.gatActivation === 'elu') mixed = op('Elu', [mixed], { alpha: attr.float(1) })
    else if (h.gatActivation === 'relu') mixed = op('Relu', [mixed])
    x = op('Reshape', [op('Transpose', [mixed], { perm: attr.ints([1, 0, 2]) }), g.initializer('nodes_shape', i64([-1, width]))])
  }

  // eq. 9-10: H = mean of the nodes at unit length; h_i = node i at unit length; sigmoid classifier
  g.node('Identity', [unit(x)], [HEAD_GRAPH_OUTPUTS.nodeEmbeddings])
  let pooled = op('ReduceMean', [x], { axes: attr.ints([0]), keepdims: attr.int(0) })
  const residual = head.tensors.get(EVIDENCE_RESIDUAL)
  if (residual) {
    // format 2: + E unit(e_0), e_0 the photo node's evidence (row 0)
    const e0 = unit(op('Gather', [evidence, g.initializer('photo_row', i64([0], []))], { axis: attr.int(0) }), 0)
    pooled = op('Add', [pooled, op('MatMul', [g.initializer('evidence_weight', f32(residual, [width, C])), e0])])
  }
  const H = g.op('Identity', [unit(pooled, 0)], {}, HEAD_GRAPH_OUTPUTS.embedding)
  let logits = op('Gemm', [op('Unsqueeze', [H, axes(0)]), g.initializer('classifier_weight', f32(tensor(head, 'classifier.weight'), [C, width])),
    g.initializer('classifier_bias', f32(tensor(head, 'classifier.bias'), [C]))], { transB: attr.int(1) })
  const direct = head.tensors.get(CLASSIFIER_EVIDENCE)
  if (direct) {
    // format 2: + V e_0 (the photo node's evidence, row 0 of node_evidence)
    const e0 = op('Gather', [evidence, g.initializer('photo_rows', i64([0]))], { axis: attr.int(0) })
    logits = op('Add', [logits, op('Gemm', [e0, g.initializer('classifier_evidence', f32(direct, [C, C]))], { transB: attr.int(1) })])
  }
  g.node('Reshape', [op('Sigmoid', [logits]), g.initializer('classes_shape', i64([C]))], [HEAD_GRAPH_OUTPUTS.labelScores])

  g.output(HEAD_GRAPH_OUTPUTS.embedding, 'FLOAT', [width])
  g.output(HEAD_GRAPH_OUTPUTS.nodeEmbeddings, 'FLOAT', ['N', width])
  g.output(HEAD_GRAPH_OUTPUTS.labelScores, 'FLOAT', [C])
  g.output(HEAD_GRAPH_OUTPUTS.adjacency, 'FLOAT', ['N', 'N'])
  for (let l = 0; l < h.layers; l++) g.output(HEAD_GRAPH_OUTPUTS.attention(l), 'FLOAT', [h.heads, 'N', 'N'])
  g.output(HEAD_GRAPH_OUTPUTS.plan, 'FLOAT', ['N', C])
  g.output(HEAD_GRAPH_OUTPUTS.iterations, 'INT64', [])
  g.output(HEAD_GRAPH_OUTPUTS.marginalError, 'FLOAT', [])
  g.output(HEAD_GRAPH_OUTPUTS.transportCost, 'FLOAT', [])
  return g.encode({ docString: `SARL-GAT head ${h.modelVersion}`, metadata: { modelVersion: h.modelVersion, featureSource: h.featureSource } })
}
