/**
 * Lint: typescript-eslint recommended + Svelte, plus the layering rules of the architecture
 * (DESIGN.md habit 6): the renderer and shared code import no Electron and no Node; the renderer
 * never imports main-process code; shared code imports neither side.
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
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: relativeInto('renderer'), message: 'The main process may not import renderer code; share it through src/shared.' }] },
      ],
    },
  },
)
