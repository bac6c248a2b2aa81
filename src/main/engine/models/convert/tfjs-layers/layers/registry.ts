/**
 * Which translator handles each Keras layer class.
 */
import type { ConvertContext } from '../context.js'
import type { KerasLayer } from '../keras-types.js'
import { convertActivation, convertReLU } from './activation.js'
import { convertBatchNorm } from './batch-norm.js'
import { convertConv } from './conv.js'
import { convertDense, convertFlatten, convertIdentity, convertRescaling } from './core.js'
import { convertConcatenate, convertElementwise } from './merge.js'
import { convertZeroPadding2D } from './padding.js'
import { convertGlobalPool2D, convertPool2D } from './pooling.js'

/** Writes one Keras layer into the ONNX graph and records its output in the context. */
export type LayerTranslator = (layer: KerasLayer, ctx: ConvertContext) => void

/** Translators by Keras `class_name` (InputLayer is handled by the model converter). */
export const LAYER_TRANSLATORS: Readonly<Record<string, LayerTranslator>> = {
  Conv2D: convertConv,
  DepthwiseConv2D: convertConv,
  BatchNormalization: convertBatchNorm,
  Activation: convertActivation,
  ReLU: convertReLU,
  ZeroPadding2D: convertZeroPadding2D,
  MaxPooling2D: convertPool2D,
  AveragePooling2D: convertPool2D,
  GlobalAveragePooling2D: convertGlobalPool2D,
  GlobalMaxPooling2D: convertGlobalPool2D,
  Concatenate: convertConcatenate,
  Add: convertElementwise,
  Multiply: convertElementwise,
  Dense: convertDense,
  Flatten: convertFlatten,
  Dropout: convertIdentity,
  SpatialDropout2D: convertIdentity,
  Rescaling: convertRescaling,
}
