/** Shared plumbing of the store's repositories. */
import type { Database, Statement } from 'better-sqlite3'

/** A repository over one connection, caching its prepared statements. */
export abstract class RepositoryBase {
  private readonly statements = new Map<string, Statement>()

  constructor(
    protected readonly db: Database,
    protected readonly now: () => number,
  ) {}

  /** The prepared statement for `text`, prepared once per repository. */
  protected sql(text: string): Statement {
    let stmt = this.statements.get(text)
    if (!stmt) {
      stmt = this.db.prepare(text)
      this.statements.set(text, stmt)
    }
    return stmt
  }
}
