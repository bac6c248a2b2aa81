/**
 * Lint: typescript-eslint recommended + Svelte, plus the layering rules of the architecture
 * (DESIGN.md habit 6): the renderer and shared code import no Electron and no Node; the renderer
 * never imports main-process code; shared code imports neither side; the engine's folders import
 * only lower layers (ENGINE_LEVELS).
 */
import { builtinModules } from 'node:module'
import { defineConfig } from 'eslint/config'
import svelte from 'eslint-plugin-svelte'
import tseslint from 'typescript-eslint'

/** `electron`, `node:*` and every bare Node builtin (`fs`, `fs/promises`, `path`, `child_process`, ...). */
const NODE_AND_ELECTRON = {
  paths: [
    { name: 'electron', message: 'Electron is main/preload only: go through window.api (src/renderer/lib/api.ts).' },
    ...builtinModules
      .filter((name) => !name.startsWith('_'))
      .map((name) => ({ name, message: 'Node builtins are main-process only: renderer and shared code run in a browser.' })),
  ],
  patterns: [{ group: ['node:*', 'electron/*'], message: 'Node and Electron modules are main-process only.' }],
}

/** A relative import that walks into a folder named `name`, e.g. `../../main/api/handlers.js`. */
const relativeInto = (...names) => `^(\\.{1,2}/)+(.*/)?(${names.join('|')})(/|$)`

/** The main process may not import renderer code (part of every src/main rule below). */
const NO_RENDERER = { regex: relativeInto('renderer'), message: 'The main process may not import renderer code; share it through src/shared.' }

/**
 * The engine's layers (src/main/engine/<folder>), lowest first. A folder may import the folders
 * of the levels below its own, never a folder of its own level or above; `inference-types.ts`
 * (the engine root's only file) imports no folder. The engine imports nothing of the app around it
 * (api, http, ipc, preload, cli), which sits above every level.
 *
 *   0  onnx (ONNX graph builder), io (files, hashes, processes)             leaves
 *   1  store (SQLite), index (USearch), models (model pack, converters, float16)
 *   2  worker (inference process), pipeline (decode, detect, features, label vectors),
 *      scenes (SALGL scene model, per-scene label co-occurrence, the embedding map; reads the store only)
 *   3  head (SARL-GAT head: parameters, TS reference, ONNX head graph, default head + its pack entry)
 *   4  analysis (one photo through pipeline + head), pack-builder (builds the model pack)
 *   5  search (search by example and the photo graph, over a SearchContext)
 *   6  library (an open library: store, indexes, engine, indexing; builds the SearchContext),
 *      annotation (label and box corrections, correction log, undo, review queue, vocabulary)
 *   7  training (fine-tuning the head on cached head inputs, in its own process; trained heads)
 *   8  eval, interchange (import and export of labels and boxes: COCO, YOLO, VOC, CSV, JSONL)
 */
const ENGINE_LEVELS = [
  ['onnx', 'io'],
  ['store', 'index', 'models'],
  ['worker', 'pipeline', 'scenes'],
  ['head'],
  ['analysis', 'pack-builder'],
  ['search'],
  ['library', 'annotation'],
  ['training'],
  ['eval', 'interchange'],
]
const OUTSIDE_ENGINE = ['api', 'app', 'http', 'ipc', 'preload', 'cli']

/** One lint config per engine folder: it may import only the folders of lower levels. */
const engineLayerRules = ENGINE_LEVELS.flatMap((level, l) => level.map((folder) => {
  const lower = ENGINE_LEVELS.slice(0, l).flat()
  const forbidden = ENGINE_LEVELS.flat().filter((f) => f !== folder && !lower.includes(f))
  const may = lower.length ? `only ${lower.join(', ')}` : 'no other engine folder'
  return {
    files: [`src/main/engine/${folder}/**`],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          NO_RENDERER,
          { regex: relativeInto(...forbidden), message: `src/main/engine/${folder} may import ${may} (engine layers: see ENGINE_LEVELS in eslint.config.js).` },
          { regex: relativeInto(...OUTSIDE_ENGINE), message: 'The engine may not import the app around it (api, http, ipc, preload, cli).' },
        ],
      }],
    },
  }
}))

export default defineConfig(
  {
    ignores: ['out/**', 'dist/**', 'node_modules/**', 'resources/models/**', 'test-results/**', '.cache/**', 'coverage/**'],
  },
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['src/renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: NODE_AND_ELECTRON.paths,
          patterns: [
            ...NODE_AND_ELECTRON.patterns,
            { regex: relativeInto('main', 'preload'), message: 'The renderer may not import main-process or preload code: use window.api via lib/api.ts.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**'],
    ignores: ['src/renderer/lib/api.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='window'][property.name='api']", message: 'Only src/renderer/lib/api.ts touches window.api.' },
      ],
    },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: NODE_AND_ELECTRON.paths,
          patterns: [
            ...NODE_AND_ELECTRON.patterns,
            { regex: relativeInto('main', 'renderer', 'preload'), message: 'Shared code may not import from src/main, src/preload or src/renderer.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [NO_RENDERER] }],
    },
  },
  // the engine's layers (after the src/main rule, which they extend)
  ...engineLayerRules,
  {
    files: ['src/main/engine/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [NO_RENDERER, { regex: relativeInto(...ENGINE_LEVELS.flat(), ...OUTSIDE_ENGINE), message: 'Files at the engine root are leaves: they import no engine folder.' }],
      }],
    },
  },
)
