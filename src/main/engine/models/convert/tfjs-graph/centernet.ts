/**
 * The CenterNet detector of `@vladmandic/human` (MobileNetV3-CenterNet, COCO 80 classes) as an
 * ONNX model with the decoded detections, the raw heads, and two feature maps for RoIAlign.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { ConvertedModel, TensorSpec } from '../../manifest.js'
import { type GraphOutputSpec, convertGraphModel } from './converter.js'
import { readHumanObjectLabels } from './human-labels.js'
import { loadGraphModel } from './weights.js'

const INPUT_SIZE = 512

/** TF node names behind each ONNX tensor of the CenterNet model. */
export const CENTERNET_TF_NAMES = {
  images: 'tower_0/images',
  detections: 'tower_0/detections',
  heatmap: 'tower_0/keypoints',
  wh: 'tower_0/wh',
  /** Last block of the MobileNetV3 backbone (stride 32, 120 channels). */
  features_s32: 'tower_0/MobilenetV3/expanded_conv_14/add',
  /** The stride-4 FPN map after the head's channel attention, which both heads read (128 channels). */
  features_fpn: 'tower_0/CenternetHead/mul',
} as const

/** Output layout of each ONNX output: the heads as in TF (NHWC), feature maps as NCHW for RoIAlign. */
const OUTPUTS: GraphOutputSpec[] = [
  { onnxName: 'detections', tfName: CENTERNET_TF_NAMES.detections, layout: 'NHWC' },
  { onnxName: 'heatmap', tfName: CENTERNET_TF_NAMES.heatmap, layout: 'NHWC' },
  { onnxName: 'wh', tfName: CENTERNET_TF_NAMES.wh, layout: 'NHWC' },
  { onnxName: 'features_s32', tfName: CENTERNET_TF_NAMES.features_s32, layout: 'NCHW' },
  { onnxName: 'features_fpn', tfName: CENTERNET_TF_NAMES.features_fpn, layout: 'NCHW' },
]

const DESCRIPTIONS: Record<string, string> = {
  images: 'RGB image, 0..255, letterboxed (aspect kept, centred, zero padding) to 512x512, NHWC',
  detections: 'top 100 peaks of the 3x3-max-pooled class heatmap: x1, y1, x2, y2 (512-px input space), score, class 0..79 (float); not NMS-filtered',
  heatmap: 'class heatmap after sigmoid, stride 4, NHWC',
  wh: 'box extents from each stride-4 cell in input pixels: left, top, right, bottom distances from the cell centre (x*4, y*4)',
  features_s32: 'MobileNetV3 expanded_conv_14 output, stride 32, NCHW',
  features_fpn: 'CenterNet FPN map after channel attention (input of both heads), stride 4, NCHW',
}

/** Converts `models/centernet.json` of the installed `@vladmandic/human` package to ONNX. */
export async function convertCenterNet(humanPackageDir: string): Promise<ConvertedModel> {
  const pkg = JSON.parse(readFileSync(path.join(humanPackageDir, 'package.json'), 'utf8')) as { name: string; version: string }
  const source = `${pkg.name}@${pkg.version}`
  const classes = readHumanObjectLabels(humanPackageDir)
  const model = loadGraphModel(path.join(humanPackageDir, 'models', 'centernet.json'))
  const converted = convertGraphModel(model, {
    graphName: 'centernet-mobilenetv3',
    inputs: [{ tfName: CENTERNET_TF_NAMES.images, onnxName: 'images' }],
    outputs: OUTPUTS,
    docString: `MobileNetV3-CenterNet (COCO, 80 classes) converted from ${source} models/centernet.json`,
    metadata: { source, classes: JSON.stringify(classes) },
  })
  const spec = (t: { name: string; shape: number[]; dtype: string }): TensorSpec => ({ ...t, shape: t.shape.slice(), description: DESCRIPTIONS[t.name] })
  return {
    bytes: converted.bytes,
    entry: {
      name: 'centernet-mobilenetv3',
      role: 'detector',
      file: 'centernet-mobilenetv3.onnx',
      source,
      description:
        'MobileNetV3-CenterNet object detector (github.com/610265158/mobilenetv3_centernet, as shipped ' +
        `in ${source}), trained on COCO 2017: 80 classes, 512x512 input, stride-4 heatmap with ` +
        'in-graph peak decoding to 100 candidate boxes. Converted from the TF.js graph model.',
      inputs: converted.inputs.map(spec),
      outputs: converted.outputs.map(spec),
      preprocessing: { size: INPUT_SIZE, layout: 'NHWC', colour: 'RGB', scale: '0..255', letterbox: true, pad: 0 },
      extra: {
        classes,
        tfNames: CENTERNET_TF_NAMES,
        strides: strides(converted.outputs),
        featureChannels: Object.fromEntries(converted.outputs.filter((o) => o.name.startsWith('features_')).map((o) => [o.name, o.shape[1]])),
        decoding: 'box = (x*4 - wh0, y*4 - wh1, x*4 + wh2, y*4 + wh3) at heatmap peak (y, x); score = heatmap peak; run NMS on detections',
        opCounts: converted.opCounts,
      },
    },
  }
}

/** Input pixels per output cell of each spatial output (NCHW feature maps: H at index 2). */
function strides(outputs: { name: string; shape: number[] }[]): Record<string, number> {
  const spatial = outputs.filter((o) => o.shape.length === 4)
  return Object.fromEntries(spatial.map((o) => [o.name, INPUT_SIZE / (o.name.startsWith('features_') ? o.shape[2] : o.shape[1])]))
}
