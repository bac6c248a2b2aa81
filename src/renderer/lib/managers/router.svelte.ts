/**
 * Which view is on screen, kept in the URL hash (`#/library`, `#/photo/42`, ...) so Back/Forward
 * and reloads work in the browser and in the Electron window alike.
 */

/** A place in the app. */
export type Route =
  | { view: 'library' }
  | { view: 'photo'; id: number }
  | { view: 'search' }
  | { view: 'jobs' }
  | { view: 'settings' }
  | { view: 'review' }
  | { view: 'train' }
  | { view: 'scenes' }
  | { view: 'map' }

/** Names of the top-level views in the sidebar. */
export type ViewName = Route['view']

/** Reads a route from a location hash; anything unknown is the library. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean)
  switch (parts[0]) {
    case 'photo': {
      const id = Number(parts[1])
      return Number.isInteger(id) && id > 0 ? { view: 'photo', id } : { view: 'library' }
    }
    case 'search':
    case 'jobs':
    case 'settings':
    case 'review':
    case 'train':
    case 'scenes':
    case 'map':
      return { view: parts[0] }
    default:
      return { view: 'library' }
  }
}

/** The location hash of a route. */
export function routeHash(route: Route): string {
  return route.view === 'photo' ? `#/photo/${route.id}` : `#/${route.view}`
}

/** The current route; follows `hashchange` when a window exists. */
export class Router {
  route = $state<Route>({ view: 'library' })
  /** The route to go back to from the photo view (the grid it was opened from). */
  returnTo = $state<Route>({ view: 'library' })

  constructor() {
    if (typeof window === 'undefined') return
    this.route = parseRoute(window.location.hash)
    window.addEventListener('hashchange', () => {
      this.#set(parseRoute(window.location.hash))
    })
  }

  /** Goes to a route (pushes a history entry unless `replace`). */
  go(route: Route, options: { replace?: boolean } = {}): void {
    this.#set(route)
    if (typeof window === 'undefined') return
    const hash = routeHash(route)
    if (window.location.hash === hash) return
    if (options.replace) history.replaceState(null, '', hash)
    else history.pushState(null, '', hash)
  }

  /** Leaves the photo view for the view it was opened from. */
  close(): void {
    this.go(this.returnTo)
  }

  #set(route: Route): void {
    if (route.view === 'photo' && this.route.view !== 'photo') this.returnTo = this.route
    this.route = route
  }
}
