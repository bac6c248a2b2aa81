/**
 * Detector quality as an image-level multi-label classifier, on the coco-dev photos: the pack's
 * MobileNetV3-CenterNet run through the product path (decodePhoto -> CenterNetDetector ->
 * InferenceEngine process), once with letterboxed input (how it was trained) and once with plain
 * 512x512 resizing, in the same run, so the letterbox gain is measured and not assumed.
 *
 *   npx tsx bench/detector-quality.ts [--split val2017|train2017|all] [--json] [--threads T]
 *
 * Score of class c in an image = the highest score of its class-c detections after class-aware
 * NMS (IoU 0.5), with a 0.01 score threshold so the rankings behind mAP are informative. mAP is
 * over the classes with at least one positive image in the split. CP/CR/CF1/OP/OR/OF1 are given at
 * 0.5 (the papers) and at 0.25 (the pipeline's detection threshold tau). The detector was trained
 * on COCO train2017: quote the val2017 figures.
 *
 * images/s times each detect() call: resize/letterbox, the RPC to the inference process,
 * onnxruntime and NMS (decoding the JPEG is not included; it is reported separately).
 */
import { availableParallelism } from 'node:os'
import path from 'node:path'
import { COCO_CLASSES } from '../src/shared/class-names.js'
import type { Detection } from '../src/shared/domain.js'
import type { ClassificationMetrics } from '../src/shared/metrics/classification.js'
import { decodePhoto, type DecodedPhoto } from '../src/main/engine/pipeline/decode.js'
import { CenterNetDetector } from '../src/main/engine/pipeline/detect.js'
import { InferenceEngine } from '../src/main/engine/worker/inference-client.js'
import { COCO_DEV_DIR, cocoDevClasses, cocoDevImages, type CocoDevImage } from '../test/support/coco-images.js'
import { machineLine, parseArgs, table } from './support/bench-report.js'
import { bootstrapMAPDifference, imageClassScores, imageLevelQuality, topDetectionIsTrue, type ImageLevelQuality } from './support/image-level-detection.js'

const MODEL = 'centernet-mobilenetv3'
const SCORE_THRESHOLD = 0.01
const IOU_THRESHOLD = 0.5
/** The papers' threshold first (mAP does not depend on it), then the pipeline's tau. */
const THRESHOLDS = [0.5, 0.25] as const
const WARMUP = 2

interface ModeRun {
  label: string
  detector: CenterNetDetector
  scores: Float32Array[]
  topHits: number
  ms: number[]
}

function parseSplit(value: string | undefined): CocoDevImage['split'] | undefined {
  if (value === undefined || value === 'val2017') return 'val2017'
  if (value === 'train2017') return 'train2017'
  if (value === 'all') return undefined
  throw new Error(`--split must be val2017, train2017 or all (got ${value})`)
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length
const fmt = (x: number): string => x.toFixed(2)
const signed = (x: number): string => (x >= 0 ? '+' : '') + x.toFixed(2)

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const split = parseSplit(args.get('split'))
  const json = args.get('json') === 'true'
  const threads = Number(args.get('threads') ?? availableParallelism())
  if (!Number.isInteger(threads) || threads < 1) throw new Error('--threads needs a positive integer')
  const log = json ? (): void => undefined : (line: string): void => console.log(line)
  if (cocoDevClasses().join('|') !== COCO_CLASSES.join('|')) throw new Error('coco-dev classes differ from the detector classes (COCO_CLASSES)')

  const images = cocoDevImages(split)
  const splitName = split ?? 'all'
  log(`machine: ${machineLine()}; ORT intra-op threads: ${threads}`)
  log(`detector-quality: ${MODEL} on coco-dev ${splitName} (${images.length} images), score threshold ${SCORE_THRESHOLD}, NMS IoU ${IOU_THRESHOLD}`)

  const engine = new InferenceEngine({ intraOpNumThreads: threads })
  try {
    const loaded = await engine.loadModel(MODEL)
    const pr = loaded.provider
    const tried = pr.tried.length > 0 ? `; ${pr.tried.map((t) => t.provider).join(', ')} failed to initialise` : ''
    log(`inference process pid ${(await engine.info()).pid}: provider ${pr.provider} (requested ${pr.requested}${tried}); session created in ${loaded.loadMs.toFixed(0)} ms`)
    const options = { scoreThreshold: SCORE_THRESHOLD, iouThreshold: IOU_THRESHOLD }
    const modes: ModeRun[] = [
      { label: 'letterbox', detector: new CenterNetDetector(engine, MODEL, { ...options, letterbox: true }), scores: [], topHits: 0, ms: [] },
      { label: 'resize 512x512', detector: new CenterNetDetector(engine, MODEL, { ...options, letterbox: false }), scores: [], topHits: 0, ms: [] },
    ]
    const decodeMs: number[] = []
    const wall0 = performance.now()
    for (let i = 0; i < images.length; i++) {
      const image = images[i]
      const d0 = performance.now()
      const photo: DecodedPhoto = await decodePhoto(path.join(COCO_DEV_DIR, 'images', image.file))
      decodeMs.push(performance.now() - d0)
      if (i === 0) for (const m of modes) for (let k = 0; k < WARMUP; k++) await m.detector.detect(photo)
      // Alternate which mode goes first so neither always meets warm caches.
      for (const m of i % 2 === 0 ? modes : [...modes].reverse()) {
        const t0 = performance.now()
        const { detections }: { detections: Detection[] } = await m.detector.detect(photo)
        m.ms.push(performance.now() - t0)
        m.scores.push(imageClassScores(detections, COCO_CLASSES.length))
        if (topDetectionIsTrue(detections, image.labels)) m.topHits++
      }
      if (!json && process.stderr.isTTY) process.stderr.write(`\r${i + 1}/${images.length}`)
    }
    if (!json && process.stderr.isTTY) process.stderr.write('\r')
    const wallS = (performance.now() - wall0) / 1000

    const labels = images.map((im) => im.labels)
    const results = modes.map((m) => ({ mode: m, q: imageLevelQuality(m.scores, labels, m.topHits, COCO_CLASSES, THRESHOLDS) }))
    const [lb, rs] = results
    const ips = (m: ModeRun): number => 1000 / mean(m.ms)
    const gainCI = bootstrapMAPDifference(lb.mode.scores, rs.mode.scores, labels, COCO_CLASSES.length)

    if (json) {
      const summary = ({ mode, q }: { mode: ModeRun; q: ImageLevelQuality }) => ({
        mAP: q.mAP,
        atThreshold: q.atThreshold,
        topDetectionHits: q.topDetectionHits,
        imagesPerSecond: ips(mode),
        meanMs: mean(mode.ms),
        perClass: q.perClass,
      })
      console.log(JSON.stringify({
        split: splitName, images: images.length, classesCounted: lb.q.classesCounted, model: MODEL,
        scoreThreshold: SCORE_THRESHOLD, iouThreshold: IOU_THRESHOLD, thresholds: THRESHOLDS, threads,
        letterbox: summary(lb), resize: summary(rs), letterboxGainMAP: lb.q.mAP - rs.q.mAP, letterboxGainMAP95: gainCI,
        decodeMeanMs: mean(decodeMs), wallSeconds: wallS,
      }, null, 2))
      return
    }

    const rows: (string | number)[][] = [['mAP', '-', fmt(lb.q.mAP), fmt(rs.q.mAP), signed(lb.q.mAP - rs.q.mAP)]]
    for (const t of THRESHOLDS) {
      for (const k of ['CP', 'CR', 'CF1', 'OP', 'OR', 'OF1'] as (keyof ClassificationMetrics)[]) {
        const a = lb.q.atThreshold[String(t)][k]
        const b = rs.q.atThreshold[String(t)][k]
        rows.push([k, String(t), fmt(a), fmt(b), signed(a - b)])
      }
    }
    const pct = (h: number): string => `${h}/${images.length} (${((100 * h) / images.length).toFixed(1)}%)`
    rows.push(['top detection is a GT class', '-', pct(lb.q.topDetectionHits), pct(rs.q.topDetectionHits), (lb.q.topDetectionHits >= rs.q.topDetectionHits ? '+' : '') + String(lb.q.topDetectionHits - rs.q.topDetectionHits)])
    rows.push(['images/s (detect call)', '-', fmt(ips(lb.mode)), fmt(ips(rs.mode)), ''])
    log('')
    log(`${splitName}: ${images.length} images; mAP and C* averages over ${lb.q.classesCounted} of ${COCO_CLASSES.length} classes (those with a positive image in the split); percentages`)
    log(table(['metric', 'thr', 'letterbox', 'resize 512x512', 'letterbox gain'], rows))
    log('')
    log(`letterbox mAP gain ${signed(lb.q.mAP - rs.q.mAP)} points, 95% paired bootstrap interval over images [${signed(gainCI.lo)}, ${signed(gainCI.hi)}] (${gainCI.resamples} resamples)`)
    log(`decode (sharp, not in images/s): ${mean(decodeMs).toFixed(1)} ms/photo; whole run ${wallS.toFixed(1)} s for ${images.length} photos x 2 detector configurations`)

    const tau = String(THRESHOLDS[THRESHOLDS.length - 1])
    const missed = lb.q.perClass.filter((c) => c.found[tau] === 0)
    log(`letterbox, classes never detected at >= ${tau} in their positive images (${missed.length}): ` +
      (missed.map((c) => `${c.name} (0/${c.positives}, AP ${c.ap.toFixed(1)})`).join(', ') || 'none'))
    const worst = [...lb.q.perClass].sort((a, b) => a.ap - b.ap).slice(0, 8)
    log(`letterbox, lowest AP: ${worst.map((c) => `${c.name} ${c.ap.toFixed(1)} (${c.positives} pos)`).join(', ')}`)
    const gains = lb.q.perClass.map((c, i) => ({ c, d: c.ap - rs.q.perClass[i].ap })).sort((a, b) => a.d - b.d)
    log(`per-class AP letterbox - resize: largest gains ${gains.slice(-4).reverse().map((g) => `${g.c.name} ${signed(g.d)}`).join(', ')}; ` +
      `largest losses ${gains.slice(0, 4).map((g) => `${g.c.name} ${signed(g.d)}`).join(', ')}; ` +
      `${gains.filter((g) => g.d > 0).length} classes up, ${gains.filter((g) => g.d < 0).length} down`)
  } finally {
    await engine.dispose()
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
