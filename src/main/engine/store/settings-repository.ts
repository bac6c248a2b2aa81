/** User settings kept in the library (migration 002): one JSON value per key. */
import { RepositoryBase } from './repository-base.js'

/** Reads and writes `settings`. */
export class SettingsRepository extends RepositoryBase {
  /** The stored value of `key`, or undefined. */
  get(key: string): unknown {
    const row = this.sql('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined
    return row === undefined ? undefined : (JSON.parse(row.value) as unknown)
  }

  /** Stores `value` (JSON) under `key`. */
  set(key: string, value: unknown): void {
    this.sql(`INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`).run(key, JSON.stringify(value), this.now())
  }
}
