/** Every schema migration of this build, in order. Append new ones; never edit a released one. */
import type { Migration } from '../migrate.js'
import { migration001 } from './001-initial.js'
import { migration002 } from './002-workbench.js'
import { migration003 } from './003-annotation.js'
import { migration004 } from './004-job-kinds.js'
import { migration005 } from './005-scenes.js'

/** All migrations, numbered 1..n. */
export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005]
