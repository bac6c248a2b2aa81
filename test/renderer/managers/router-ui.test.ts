import { mockApi } from '../support/mock-api.js'
import { beforeEach, describe, expect, it } from 'vitest'
import { parseRoute, routeHash, Router } from '../../../src/renderer/lib/managers/router.svelte.js'
import { errorMessage, Toasts } from '../../../src/renderer/lib/managers/toasts.svelte.js'
import { UiState } from '../../../src/renderer/lib/managers/ui.svelte.js'
import { ApiError } from '../../../src/shared/envelope.js'

describe('routes', () => {
  beforeEach(() => mockApi.reset())

  it('reads and writes location hashes, unknown ones leading to the library', () => {
    expect(parseRoute('#/photo/42')).toEqual({ view: 'photo', id: 42 })
    expect(parseRoute('#/photo/x')).toEqual({ view: 'library' })
    expect(parseRoute('#/jobs')).toEqual({ view: 'jobs' })
    expect(parseRoute('')).toEqual({ view: 'library' })
    expect(parseRoute('#/nope')).toEqual({ view: 'library' })
    for (const r of [{ view: 'photo', id: 3 }, { view: 'search' }, { view: 'settings' }] as const) expect(parseRoute(routeHash(r))).toEqual(r)
  })

  it('returns from a photo to the view it was opened from', () => {
    const router = new Router()
    router.go({ view: 'search' })
    router.go({ view: 'photo', id: 5 })
    router.go({ view: 'photo', id: 6 })
    router.close()
    expect(router.route).toEqual({ view: 'search' })
  })
})

describe('toasts and confirmations', () => {
  it('keeps errors until dismissed and at most five toasts', () => {
    const toasts = new Toasts()
    const id = toasts.error('Could not add the folder', new ApiError('bad-request', 'path: not a folder'))
    expect(toasts.items[0]).toMatchObject({ kind: 'error', message: 'path: not a folder' })
    for (let i = 0; i < 6; i++) toasts.show('info', `n${i}`, undefined, 60_000)
    expect(toasts.items).toHaveLength(5)
    toasts.dismiss(id)
    expect(toasts.items.some((t) => t.id === id)).toBe(false)
    expect(errorMessage('plain')).toBe('plain')
  })

  it('answers a confirmation once; a newer question cancels the older one', async () => {
    const ui = new UiState()
    const first = ui.confirm({ title: 'Remove?', message: '', confirmLabel: 'Remove' })
    const second = ui.confirm({ title: 'Remove B?', message: '', confirmLabel: 'Remove' })
    expect(await first).toBe(false)
    expect(ui.confirmation?.title).toBe('Remove B?')
    ui.confirmation?.resolve(true)
    expect(await second).toBe(true)
    expect(ui.confirmation).toBeNull()
  })
})
