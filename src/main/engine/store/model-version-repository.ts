/** Model versions: which model file (by sha256) produced the stored objects, labels and vectors. */
import { RepositoryBase } from './repository-base.js'
import type { ModelVersionRecord } from './types.js'

interface ModelVersionRow {
  version: string
  name: string
  role: string
  sha256: string
  source: string
  registered_at: number
}

const toRecord = (r: ModelVersionRow): ModelVersionRecord => ({
  version: r.version, name: r.name, role: r.role, sha256: r.sha256, source: r.source, registeredAt: r.registered_at,
})

/** A model file to register. */
export interface ModelVersionInput {
  name: string
  /** e.g. "detector", "backbone", "word-vectors", "head" (see the model manifest). */
  role: string
  /** sha256 (hex, 64 chars) of the model file. */
  sha256: string
  source: string
}

/** The version string of a model file: `name@` + the first 12 hex digits of its sha256. */
export function modelVersionOf(name: string, sha256: string): string {
  return `${name}@${sha256.slice(0, 12).toLowerCase()}`
}

/** Reads and writes `model_versions`. */
export class ModelVersionRepository extends RepositoryBase {
  /** Registers a model file (idempotent) and returns its record; the version string goes into `model_version` columns. */
  register(input: ModelVersionInput): ModelVersionRecord {
    const version = modelVersionOf(input.name, input.sha256)
    this.sql(`INSERT INTO model_versions (version, name, role, sha256, source, registered_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (version) DO NOTHING`).run(version, input.name, input.role, input.sha256.toLowerCase(), input.source, this.now())
    const stored = this.get(version)!
    if (stored.sha256 !== input.sha256.toLowerCase()) {
      throw new Error(`model version ${version} is already registered with sha256 ${stored.sha256}`)
    }
    return stored
  }

  /** One model version. */
  get(version: string): ModelVersionRecord | undefined {
    const row = this.sql('SELECT * FROM model_versions WHERE version = ?').get(version) as ModelVersionRow | undefined
    return row && toRecord(row)
  }

  /** All registered versions, newest first, optionally of one role. */
  list(role?: string): ModelVersionRecord[] {
    const rows = (role === undefined
      ? this.sql('SELECT * FROM model_versions ORDER BY registered_at DESC, version').all()
      : this.sql('SELECT * FROM model_versions WHERE role = ? ORDER BY registered_at DESC, version').all(role)) as ModelVersionRow[]
    return rows.map(toRecord)
  }
}
