/**
 * Finds the folder of an installed npm package, also for packages whose `exports` map hides
 * `package.json` (as `@vladmandic/human` does, so `require.resolve('<pkg>/package.json')` fails).
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

/** The root folder of installed package `name`, resolved from `from` (default: this module). */
export function installedPackageDir(name: string, from: string = import.meta.url): string {
  const require = createRequire(from)
  try {
    return path.dirname(require.resolve(`${name}/package.json`))
  } catch {
    // Fall back to the package's entry point and walk up to its own package.json.
    let dir = path.dirname(require.resolve(name))
    while (path.dirname(dir) !== dir) {
      const file = path.join(dir, 'package.json')
      if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === name) return dir
      dir = path.dirname(dir)
    }
    throw new Error(`package ${name} is installed but its package.json was not found`)
  }
}
