/**
 * `npm run build:models [-- --force] [--dir DIR]`: builds the model pack (also run by `npm install`).
 */
import { buildPack } from './build-pack.js'
import { defaultPackDir } from '../models/pack.js'

const args = process.argv.slice(2)
const dirFlag = args.indexOf('--dir')
const dir = dirFlag >= 0 ? args[dirFlag + 1] : defaultPackDir()
buildPack(dir, { force: args.includes('--force') }).catch((err: Error) => {
  console.error(`model pack build failed: ${err.message}`)
  process.exit(1)
})
