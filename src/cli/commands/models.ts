/** `constella models`: the model pack with hashes and status. */
import { checkPack, defaultPackDir, REBUILD_COMMAND } from '../../main/engine/models/pack.js'
import type { Command } from '../index.js'
import { table } from '../format.js'

export const modelsCommand: Command = {
  summary: 'list the model pack: name, role, source, size, sha256 and whether the file verifies',
  usage: 'constella models [--json] [--models DIR]',
  options: {},
  async run(values) {
    const dir = defaultPackDir()
    const checks = checkPack(dir)
    if (values.json) {
      console.log(JSON.stringify({ packDir: dir, models: checks.map((c) => ({ ...c.entry, status: c.status, foundSha256: c.found })) }, null, 2))
    } else {
      console.log(`model pack: ${dir}\n`)
      console.log(table(['name', 'role', 'source', 'MB', 'sha256', 'status'], checks.map((c) => [
        c.entry.name, c.entry.role, c.entry.source, Number((c.entry.bytes / 1e6).toFixed(1)), c.entry.sha256.slice(0, 16), c.status,
      ])))
      for (const c of checks) if (c.entry.description) console.log(`\n${c.entry.name}: ${c.entry.description}`)
    }
    const bad = checks.filter((c) => c.status !== 'ok')
    if (bad.length > 0) console.error(`\n${bad.length} model file(s) missing or altered; rebuild: ${REBUILD_COMMAND}`)
    return bad.length > 0 ? 1 : 0
  },
}
