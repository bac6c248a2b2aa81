/**
 * The engine's layer rules (ENGINE_LEVELS in eslint.config.js), run by ESLint itself on import
 * lines placed in engine folders: lower layers may be imported, same-level and higher ones not.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import { beforeAll, describe, expect, it } from 'vitest'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
let eslint: ESLint

/** The no-restricted-imports messages for `import ... from spec` in a file of `folder`. */
async function violations(folder: string, spec: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import { x } from '${spec}'\nexport const y = x\n`, { filePath: path.join(ROOT, 'src/main/engine', folder, 'probe.ts') })
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)
}

beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT })
})

describe('engine layer rules', () => {
  it('let a folder import lower layers and its own files', async () => {
    for (const [folder, spec] of [
      ['models/convert/tfjs-graph', '../../../onnx/graph-builder.js'],
      ['pipeline', '../models/float16.js'],
      ['head', '../pipeline/label-vectors.js'],
      ['analysis', '../head/graph-embed.js'],
      ['search', '../analysis/analyze-photo.js'],
      ['search', './search-service.js'],
      ['library', '../search/context.js'],
      ['eval', '../library/library.js'],
    ]) expect(await violations(folder, spec), `${folder} -> ${spec}`).toEqual([])
  })

  it('refuse imports of the same level or above, and of the app around the engine', async () => {
    for (const [folder, spec, why] of [
      ['onnx', '../io/walk.js', /onnx may import no other engine folder/],
      ['models/convert', '../../head/head-graph.js', /models may import only onnx, io/],
      ['models', '../pipeline/label-vectors.js', /models may import only/],
      ['pipeline', '../head/graph-embed.js', /pipeline may import only/],
      ['pipeline', '../worker/inference-client.js', /pipeline may import only/],
      ['head', '../analysis/analyze-photo.js', /head may import only/],
      ['store', '../index/index-set.js', /store may import only/],
      ['search', '../library/library.js', /search may import only/],
      ['library', '../eval/run-eval.js', /library may import only/],
      ['search', '../../api/handlers.js', /may not import the app around it/],
      ['.', './io/walk.js', /Files at the engine root are leaves/],
    ] as const) {
      const messages = await violations(folder, spec)
      expect(messages, `${folder} -> ${spec}`).toHaveLength(1)
      expect(messages[0]).toMatch(why)
    }
  })
})
