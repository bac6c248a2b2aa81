/**
 * Builds the offline model pack: converts the TF.js models shipped in npm packages to ONNX,
 * packs the GloVe vectors, and writes `manifest.json` with sha256 of every file.
 * Idempotent: when the converters and source packages are unchanged and every file verifies,
 * it does no work.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { projectRoot, SHIPPED_HEAD_FILE } from '../head/default-head-entry.js'
import type { ConvertedModel, ModelEntry, ModelManifest } from '../models/manifest.js'
import { checkPack, defaultPackDir, readManifest, sha256 } from '../models/pack.js'
import { installedPackageDir } from '../models/convert/tfjs-graph/package-dir.js'
import { PACK_SOURCES } from './pack-sources.js'

const FORMAT = 'constella-pack-1'

/** Directory of an installed npm package. */
export const packageDir = (name: string): string => installedPackageDir(name)

function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(path.join(packageDir(name), 'package.json'), 'utf8')) as { version: string }).version
}

function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name)
    return d.isDirectory() ? listSources(p) : d.name.endsWith('.ts') ? [p] : []
  }).sort()
}

/** Hash over the converter sources and the source package versions. */
export function packInputsHash(): string {
  const engine = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
  const h = createHash('sha256').update(FORMAT)
  // what shapes the pack's bytes: this builder, the converters, the float16 codec, the ONNX
  // builder, the default head (with the word-vector reader and the math its graph embeds) and
  // the class list; runtime-only code (sessions, pack reading) does not
  const shared = path.join(engine, '..', '..', 'shared')
  const sources = [
    ...listSources(path.join(engine, 'pack-builder')), ...listSources(path.join(engine, 'models', 'convert')),
    path.join(engine, 'models', 'float16.ts'), path.join(engine, 'models', 'manifest.ts'), ...listSources(path.join(engine, 'onnx')),
    ...listSources(path.join(engine, 'head')), path.join(engine, 'pipeline', 'label-vectors.ts'),
    ...listSources(path.join(shared, 'math')), path.join(shared, 'class-names.ts'),
    // the trained default head shipped with the source, when there is one
    ...[path.join(projectRoot(), SHIPPED_HEAD_FILE)].filter((f) => existsSync(f)),
  ]
  for (const file of sources) h.update(path.relative(engine, file)).update(readFileSync(file))
  for (const source of PACK_SOURCES) h.update(`${source.packageName}@${packageVersion(source.packageName)}`)
  return h.digest('hex')
}

/** Whether the pack at `dir` is complete, verified and built from the current inputs. */
export function packIsCurrent(dir: string, inputsHash = packInputsHash()): boolean {
  try {
    const manifest = readManifest(dir)
    return manifest.inputsHash === inputsHash &&
      PACK_SOURCES.every((s) => manifest.models.some((m) => m.name === s.name)) &&
      checkPack(dir).every((c) => c.status === 'ok')
  } catch {
    return false
  }
}

/** Builds the pack into `dir` (default resources/models). Returns what was done. */
export async function buildPack(dir = defaultPackDir(), { force = false, log = console.log } = {}): Promise<{ built: boolean; manifest: ModelManifest }> {
  const inputsHash = packInputsHash()
  if (!force && packIsCurrent(dir, inputsHash)) {
    log(`model pack in ${dir} is up to date (nothing to do)`)
    return { built: false, manifest: readManifest(dir) }
  }
  mkdirSync(dir, { recursive: true })
  const entries: ModelEntry[] = []
  const built = new Map<string, ConvertedModel>()
  for (const source of PACK_SOURCES) {
    const started = Date.now()
    const pkg = `${source.packageName}@${packageVersion(source.packageName)}`
    log(`converting ${source.name} from ${pkg} ...`)
    let converted: ConvertedModel
    try {
      converted = await source.convert(packageDir(source.packageName), built)
    } catch (err) {
      throw new Error(`could not build ${source.name} from ${pkg}: ${(err as Error).message}`, { cause: err })
    }
    built.set(source.name, converted)
    const file = path.join(dir, converted.entry.file)
    writeFileSync(`${file}.tmp`, converted.bytes)
    renameSync(`${file}.tmp`, file)
    entries.push({ ...converted.entry, sha256: sha256(converted.bytes), bytes: statSync(file).size })
    log(`  ${converted.entry.file}: ${(converted.bytes.length / 1e6).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  }
  const manifest: ModelManifest = { formatVersion: 1, inputsHash, builtAt: new Date().toISOString(), models: entries }
  const manifestFile = path.join(dir, 'manifest.json')
  writeFileSync(`${manifestFile}.tmp`, JSON.stringify(manifest, null, 2))
  renameSync(`${manifestFile}.tmp`, manifestFile)
  log(`model pack written to ${dir}`)
  return { built: true, manifest }
}
