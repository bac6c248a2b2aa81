/**
 * Renderer entry. It is small on purpose: it asks for the library grid's first page and count at
 * once, then loads the app (app.ts), so the replies are in by the time the grid mounts, while
 * the app's code downloads and compiles; the grid's own identical requests take them.
 */
import { askEarly } from './lib/api.js'
import { countRequest, DEFAULT_SORT, pageRequest } from './lib/grid-requests.js'
import './styles.css'
import './controls.css'

askEarly('photos.count', countRequest({}))
askEarly('photos.list', pageRequest({}, DEFAULT_SORT, 0))
import('./app.js').catch((err: unknown) => {
  const target = document.getElementById('app')
  if (target) target.textContent = `Constella could not load its code (${err instanceof Error ? err.message : String(err)}): reload the page.`
})
