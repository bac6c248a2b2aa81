/**
 * TF.js layers (Keras) -> ONNX conversion of the nsfwjs backbones.
 */
export { convertInceptionV3, INCEPTION_V3_OUTPUTS } from './inception-v3.js'
export { convertMobileNetV2, MOBILENET_V2_OUTPUTS } from './mobilenet-v2.js'
export { convertLayersModel, type ConvertOptions, type ConvertResult, type OutputRequest } from './convert-model.js'
export { readNsfwjsModel } from './nsfwjs-source.js'
export type { LayersModelArtifacts } from './keras-types.js'
