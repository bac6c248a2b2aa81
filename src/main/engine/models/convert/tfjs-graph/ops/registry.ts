/**
 * The TF op name -> translator table. Ops not listed make the conversion fail with the op's
 * name rather than produce a wrong model.
 */
import type { Translator } from '../translator.js'
import { conv2d, depthwiseConv2d } from './conv.js'
import { activation, binary, cast, floorDiv, floorMod, identity, unary } from './elementwise.js'
import { gather, topK } from './index-ops.js'
import { expandDims, reshape, squeeze, stridedSlice } from './shape-ops.js'
import { avgPool, concat, maxPool, mean, resizeBilinear } from './spatial.js'

/** Translators by TF op name. */
export const TRANSLATORS: Readonly<Record<string, Translator>> = {
  Conv2D: conv2d,
  _FusedConv2D: conv2d,
  DepthwiseConv2dNative: depthwiseConv2d,
  FusedDepthwiseConv2dNative: depthwiseConv2d,
  Add: binary('Add'),
  AddV2: binary('Add'),
  BiasAdd: binary('Add'),
  Sub: binary('Sub'),
  Mul: binary('Mul'),
  RealDiv: binary('Div'),
  Maximum: binary('Max'),
  Minimum: binary('Min'),
  Equal: binary('Equal', 'bool'),
  Greater: binary('Greater', 'bool'),
  Less: binary('Less', 'bool'),
  FloorDiv: floorDiv,
  FloorMod: floorMod,
  Relu: activation('Relu'),
  Relu6: activation('Relu6'),
  Elu: activation('Elu'),
  Selu: activation('Selu'),
  LeakyRelu: activation('LeakyRelu'),
  Prelu: activation('Prelu'),
  Sigmoid: activation('Sigmoid'),
  Tanh: activation('Tanh'),
  Exp: unary('Exp'),
  Sqrt: unary('Sqrt'),
  Neg: unary('Neg'),
  Abs: unary('Abs'),
  Floor: unary('Floor'),
  Identity: identity,
  StopGradient: identity,
  Cast: cast,
  Mean: mean,
  MaxPool: maxPool,
  AvgPool: avgPool,
  ResizeBilinear: resizeBilinear,
  ConcatV2: concat,
  Reshape: reshape,
  ExpandDims: expandDims,
  Squeeze: squeeze,
  StridedSlice: stridedSlice,
  TopKV2: topK,
  GatherV2: gather,
}
