/**
 * The server-side folder browser of browser mode (`fs.browse`): where it is, its sub-folders with
 * photo counts, the places to start from, and a typed path.
 */
import type { FolderListing } from '../../../shared/api-contract.js'
import { call } from '../api.js'
import { errorMessage } from './toasts.svelte.js'

/** Browses folders on the machine running the engine. */
export class FolderBrowser {
  listing = $state.raw<FolderListing | null>(null)
  loading = $state(false)
  error = $state<string | null>(null)
  /** The path field (follows the listing; the user may type another). */
  path = $state('')
  #token = 0

  /** Opens a folder (default: the home folder); keeps the previous listing on failure. */
  async open(path?: string): Promise<void> {
    const token = ++this.#token
    const typed = this.path
    this.loading = true
    try {
      const listing = await call('fs.browse', path ? { path } : {})
      if (token !== this.#token) return
      this.listing = listing
      // The field follows the listing unless the user typed in it meanwhile.
      if (this.path === typed || path !== undefined) this.path = listing.path
      this.error = null
    } catch (err) {
      if (token === this.#token) this.error = errorMessage(err)
    } finally {
      if (token === this.#token) this.loading = false
    }
  }

  /** Opens the parent folder, if any. */
  async up(): Promise<void> {
    if (this.listing?.parent) await this.open(this.listing.parent)
  }
}
