/**
 * TF.js graph-model -> ONNX conversion: the generic converter and the CenterNet detector of
 * `@vladmandic/human` built with it.
 */
export { CENTERNET_TF_NAMES, convertCenterNet } from './centernet.js'
export { type ConvertOptions, type ConvertedGraph, type GraphOutputSpec, convertGraphModel } from './converter.js'
export { readHumanObjectLabels } from './human-labels.js'
export { installedPackageDir } from './package-dir.js'
export { type LoadedGraphModel, loadGraphModel } from './weights.js'
