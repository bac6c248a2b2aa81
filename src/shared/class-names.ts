/**
 * Class names of the two label sets the project speaks: COCO's 80 detection classes and
 * PASCAL VOC's 20. Pure TS (no node or electron imports): the engine, the CLI and the renderer
 * share these lists.
 */

/**
 * The 80 COCO 2017 detection classes in the standard contiguous order (index = class id 0..79),
 * as used by the CenterNet detector's `class` output and by `coco-dev/labels.json` "classes".
 * The names are COCO's own spellings, including its "hair drier" and "tv".
 */
export const COCO_CLASSES: readonly string[] = Object.freeze([
  'person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat',
  'traffic light', 'fire hydrant', 'stop sign', 'parking meter', 'bench', 'bird', 'cat', 'dog',
  'horse', 'sheep', 'cow', 'elephant', 'bear', 'zebra', 'giraffe', 'backpack', 'umbrella',
  'handbag', 'tie', 'suitcase', 'frisbee', 'skis', 'snowboard', 'sports ball', 'kite',
  'baseball bat', 'baseball glove', 'skateboard', 'surfboard', 'tennis racket', 'bottle',
  'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple', 'sandwich', 'orange',
  'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair', 'couch', 'potted plant',
  'bed', 'dining table', 'toilet', 'tv', 'laptop', 'mouse', 'remote', 'keyboard', 'cell phone',
  'microwave', 'oven', 'toaster', 'sink', 'refrigerator', 'book', 'clock', 'vase', 'scissors',
  'teddy bear', 'hair drier', 'toothbrush',
])

/**
 * The 20 PASCAL VOC classes in the standard order (index = class id 0..19), in VOC's own
 * spellings: the compounds `diningtable`, `pottedplant` and `tvmonitor` are written as one
 * word, so they must be split before a word-vector lookup.
 */
export const VOC_CLASSES: readonly string[] = Object.freeze([
  'aeroplane', 'bicycle', 'bird', 'boat', 'bottle', 'bus', 'car', 'cat', 'chair', 'cow',
  'diningtable', 'dog', 'horse', 'motorbike', 'person', 'pottedplant', 'sheep', 'sofa', 'train',
  'tvmonitor',
])
