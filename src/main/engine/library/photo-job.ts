/**
 * One photo through the pipeline: decode -> thumbnail (and the photo view's preview, encoded
 * while the engine process analyses) -> analyse (engine process) -> one atomic
 * store write -> index update. A failure of this photo is recorded on it and never thrown.
 */
import type { GraphVariant } from '../head/graph-embed.js'
import { ensureThumbnail } from '../io/thumbnail.js'
import { ensurePreview } from '../io/preview.js'
import { decodePhoto, DEFAULT_MAX_PIXELS, type DecodedPhoto } from '../pipeline/decode.js'
import { photoSize } from '../pipeline/detect.js'
import { analyzePhoto, NODE_THRESHOLD, type PhotoAnalysisResult } from '../analysis/analyze-photo.js'
import type { Library } from './library.js'
import { InferenceProcessDiedError } from '../worker/inference-client.js'
import { ExclusiveGate } from './exclusive-gate.js'
import { damagedDatabase, isDatabaseCorruption } from '../store/errors.js'
import { METHODS } from './store-vector-source.js'

/** Called with every analysed photo (evaluation uses it to compute its extra methods). */
export type AnalysisHook = (photoId: number, photo: DecodedPhoto, result: PhotoAnalysisResult) => Promise<void> | void

/** Outcome of one job. */
export type JobOutcome = { ok: true; objects: number } | { ok: false; reason: string }

/** Adds the stored vectors of an indexed photo (and its objects) to the indexes. */
export function indexStoredPhoto(lib: Library, photoId: number): void {
  const photo = lib.store.embeddings.get({ kind: 'photo', photoId }, METHODS.photo)
  if (photo) lib.indexes.photos.add(photoId, photo.vector)
  for (const o of lib.store.objects.listByPhoto(photoId)) {
    const e = lib.store.embeddings.get({ kind: 'object', objectId: o.id }, METHODS.object)
    if (e) lib.indexes.objects.add(o.id, e.vector)
  }
}

/** Removes a photo and its objects from the indexes (before its rows change or go). */
export function unindexPhoto(lib: Library, photoId: number): void {
  lib.indexes.photos.remove(photoId)
  for (const o of lib.store.objects.listByPhoto(photoId)) lib.indexes.objects.remove(o.id)
}

/** Per library: analyses share the engine; a re-analysis after an engine crash runs alone. */
const gates = new WeakMap<Library, ExclusiveGate>()

/**
 * Analyses a photo; if the inference process dies meanwhile (which fails every request in flight),
 * analyses it again alone once the engine has restarted. A photo whose analysis kills the engine
 * even alone is the cause: it fails with a reason that says so, and the other photos carry on.
 */
async function analyzeSurvivingCrashes(lib: Library, photo: DecodedPhoto, variant?: GraphVariant): Promise<PhotoAnalysisResult> {
  let gate = gates.get(lib)
  if (!gate) gates.set(lib, (gate = new ExclusiveGate()))
  try {
    return await gate.shared(() => analyzePhoto(lib.parts, photo, variant))
  } catch (err) {
    if (!(err instanceof InferenceProcessDiedError)) throw err
  }
  try {
    return await gate.exclusive(() => analyzePhoto(lib.parts, photo, variant))
  } catch (err) {
    if (!(err instanceof InferenceProcessDiedError)) throw err
    throw new Error(`the inference process crashed while analysing this photo, also when it was analysed alone (${err.message}). `
      + 'Check that it opens in an image viewer, then retry with: constella index --retry-failed', { cause: err })
  }
}

/**
 * Records a photo's failure. If even that cannot be written, the photo stays pending (analysed
 * again by the next run) and the failure is still reported; a damaged database stops the run.
 */
function recordFailure(lib: Library, photoId: number, reason: string): JobOutcome {
  try {
    unindexPhoto(lib, photoId)
    lib.store.saveFailure(photoId, reason)
  } catch (err) {
    if (isDatabaseCorruption(err)) throw damagedDatabase(lib.store.file, err)
  }
  return { ok: false, reason }
}

/**
 * Analyses and stores one photo. Every failure of this photo, including a failed store write
 * (disk full, I/O error), is returned as its outcome; only a damaged database throws.
 */
export async function runPhotoJob(lib: Library, photoId: number, file: string, hook?: AnalysisHook, variant?: GraphVariant): Promise<JobOutcome> {
  try {
    return await analyzeAndStore(lib, photoId, file, hook, variant)
  } catch (err) {
    if (isDatabaseCorruption(err)) throw damagedDatabase(lib.store.file, err)
    return recordFailure(lib, photoId, `its analysis could not be saved in the library: ${(err as Error).message}`)
  }
}

/**
 * Writes the photo view's preview: from the decoded pixels when they are the whole photo, else
 * from the file (decoded at reduced size where the format allows). A preview that cannot be made
 * is not the photo's failure: the photo view makes it on first view instead.
 */
function startPreview(lib: Library, hash: string, file: string, decoded: DecodedPhoto): Promise<unknown> {
  const source = decoded.original
    ? { file, maxPixels: DEFAULT_MAX_PIXELS }
    : { rgb: decoded.rgb, width: decoded.width, height: decoded.height }
  return ensurePreview(lib.paths.thumbsDir, hash, source).catch(() => undefined)
}

async function analyzeAndStore(lib: Library, photoId: number, file: string, hook?: AnalysisHook, variant?: GraphVariant): Promise<JobOutcome> {
  let decoded: DecodedPhoto
  let result: PhotoAnalysisResult
  let thumbnail: string | undefined
  try {
    decoded = await decodePhoto(file)
    const hash = lib.store.photos.get(photoId)?.contentHash
    thumbnail = hash ? await ensureThumbnail(lib.paths.thumbsDir, hash, decoded.rgb, decoded.width, decoded.height) : undefined
    const preview = hash ? startPreview(lib, hash, file, decoded) : undefined
    result = await analyzeSurvivingCrashes(lib, decoded, variant)
    await preview
    await hook?.(photoId, decoded, result)
  } catch (err) {
    return recordFailure(lib, photoId, (err as Error).message)
  }
  const { graph, detections } = result
  const detectorVersion = lib.versions.detector
  const headVersion = lib.versions.head
  unindexPhoto(lib, photoId)
  lib.store.saveAnalysis(photoId, {
    photo: { ...photoSize(decoded), format: decoded.format, thumbnail },
    objects: detections.map((d, i) => ({
      box: d.box,
      classId: d.classId,
      score: d.score,
      modelVersion: detectorVersion,
      features: result.objectFeatures[i],
      embeddings: [
        { method: METHODS.object, modelVersion: headVersion, vector: graph.objectNodes[i] },
        // with F_i (features) and F_0 below, what the head needs to run again without the detector
        { method: METHODS.objectEvidence, modelVersion: detectorVersion, vector: result.graphInput.objects[i].evidence },
      ],
    })),
    labels: [...result.classScores].flatMap((score, classId) =>
      score >= NODE_THRESHOLD ? [{ classId, state: 'positive' as const, confidence: score, modelVersion: detectorVersion }] : []),
    embeddings: [
      { method: METHODS.photo, modelVersion: headVersion, vector: graph.embedding },
      { method: METHODS.labels, modelVersion: detectorVersion, vector: result.classScores },
      { method: METHODS.photoFeature, modelVersion: headVersion, vector: result.photoFeature },
    ],
  })
  indexStoredPhoto(lib, photoId)
  return { ok: true, objects: detections.length }
}
