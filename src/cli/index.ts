/**
 * `constella <command>`: the command line over the same engine as the desktop app.
 * Each command lives in its own file under commands/.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { nearest } from './suggest.js'
import { libraryPaths } from '../main/engine/library/library-paths.js'
import { damagedDatabase, isDatabaseCorruption } from '../main/engine/store/errors.js'

/** A CLI command: its options (node:util parseArgs) and what it does. */
export interface Command {
  summary: string
  usage: string
  options: NonNullable<ParseArgsConfig['options']>
  run(values: Record<string, string | boolean | string[] | undefined>, positionals: string[]): Promise<number>
}

const COMMANDS: Record<string, () => Promise<Command>> = {
  models: async () => (await import('./commands/models.js')).modelsCommand,
  detect: async () => (await import('./commands/detect.js')).detectCommand,
  index: async () => (await import('./commands/index-photos.js')).indexCommand,
  search: async () => (await import('./commands/search.js')).searchCommand,
  eval: async () => (await import('./commands/eval.js')).evalCommand,
  train: async () => (await import('./commands/train.js')).trainCommand,
  serve: async () => (await import('./commands/serve.js')).serveCommand,
  import: async () => (await import('./commands/import.js')).importCommand,
  export: async () => (await import('./commands/export.js')).exportCommand,
  scenes: async () => (await import('./commands/scenes.js')).scenesCommand,
}

const COMMON = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  provider: { type: 'string' },
  models: { type: 'string' },
  library: { type: 'string' },
  verbose: { type: 'boolean' },
} as const

/** The message for a parseArgs error: an unknown option names the nearest valid one. */
function optionError(err: unknown, options: Record<string, unknown>): string {
  const e = err as { code?: string; message: string }
  if (e.code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return e.message
  const given = /option '([^']+)'/i.exec(e.message)?.[1] ?? '?'
  const valid = Object.keys(options).map((o) => `--${o}`)
  const guess = nearest(given.replace(/=.*$/, ''), valid)
  return `unknown option ${given}${guess ? ` (did you mean ${guess}?)` : ''}; valid options: ${valid.join(' ')}`
}

async function help(): Promise<void> {
  const lines = ['usage: constella <command> [options]', '', 'commands:']
  for (const [name, load] of Object.entries(COMMANDS)) {
    try {
      lines.push(`  ${name.padEnd(8)} ${(await load()).summary}`)
    } catch {
      lines.push(`  ${name.padEnd(8)} (unavailable)`)
    }
  }
  lines.push('', 'common options: --json  --provider auto|cpu|cuda|dml|coreml|webgpu  --models DIR  --library DIR  --verbose', 'run `constella <command> --help` for its options')
  console.log(lines.join('\n'))
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    await help()
    return name ? 0 : 2
  }
  const load = COMMANDS[name]
  if (!load) {
    const guess = nearest(name, Object.keys(COMMANDS))
    console.error(`constella: unknown command "${name}"${guess ? ` (did you mean ${guess}?)` : ''}; commands: ${Object.keys(COMMANDS).join(', ')}`)
    return 2
  }
  const command = await load()
  const options = { ...COMMON, ...command.options }
  let parsed
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true })
  } catch (err) {
    console.error(`constella ${name}: ${optionError(err, options)}\nusage: ${command.usage}`)
    return 2
  }
  if (parsed.values.help) {
    console.log(`${command.summary}\n\nusage: ${command.usage}`)
    return 0
  }
  if (parsed.values.models) process.env.CONSTELLA_MODELS = String(parsed.values.models)
  if (parsed.values.library) process.env.CONSTELLA_LIBRARY = String(parsed.values.library)
  if (parsed.values.provider) process.env.CONSTELLA_PROVIDER = String(parsed.values.provider)
  if (parsed.values.verbose) process.env.CONSTELLA_VERBOSE = '1'
  return command.run(parsed.values as Record<string, string | boolean | string[] | undefined>, parsed.positionals)
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: Error) => {
    // SQLite reports a damaged page only when a statement reads it: name the file and what to do.
    const err = isDatabaseCorruption(error) ? damagedDatabase(libraryPaths().database, error) : error
    console.error(`constella: ${err.message}`)
    if (process.env.CONSTELLA_VERBOSE && err.stack) console.error(err.stack)
    process.exitCode = 1
  },
)
