/**
 * The `salgl` method of `constella eval --head DIR` when DIR holds a salgl head: per photo, the
 * refined label scores from the photo's context feature F_0 and class evidence, exactly as held-out
 * scoring on the head-input cache computes them (`salgl-reference.ts`). It is a classifier:
 * its retrieval row ranks photos by the cosine of their refined label-score vectors.
 */
import { l2normalize } from '../../../../shared/math/vector.js'
import type { GraphInput } from '../../head/graph-embed.js'
import { findSalglHead } from './salgl-params.js'
import { salglForward } from './salgl-reference.js'

/** One photo's method outputs (the shape of eval's MethodOutputs). */
interface Outputs {
  vectors: Record<string, Float32Array>
  scores: Record<string, Float32Array>
}

/** The method of a head folder, or undefined when it has no salgl head. */
export function salglMethod(dir: string): { modelVersion: string; note: string; add(out: Outputs, input: GraphInput): Outputs } | undefined {
  const p = findSalglHead(dir)
  if (!p) return undefined
  const h = p.header
  return {
    modelVersion: h.modelVersion,
    note: `SALGL scene-aware label refinement of the detector's evidence (K ${h.scenes}, T ${h.steps}; ${h.modelVersion}); retrieval by its label scores`,
    add(out, input) {
      const scores = salglForward(p, input.photoFeature, input.photoEvidence).scores
      return { vectors: { ...out.vectors, salgl: l2normalize(scores) }, scores: { ...out.scores, salgl: scores } }
    },
  }
}
