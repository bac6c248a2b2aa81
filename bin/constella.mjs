#!/usr/bin/env node
// The Constella command line: runs src/cli/index.ts through tsx (no build step needed).
import { register } from 'tsx/esm/api'

register()
await import('../src/cli/index.ts')
