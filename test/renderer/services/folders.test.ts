import { mockApi } from '../support/mock-api.js'
import { beforeEach, describe, expect, it } from 'vitest'
import { addFolder, chooseFolder, removeFolder, rescanFolder } from '../../../src/renderer/lib/services/folders.js'
import { createWorkbench } from '../../../src/renderer/lib/workbench.js'
import type { LibraryStatus } from '../../../src/shared/api-types.js'

const emptyStatus: LibraryStatus = { dir: '/lib', folders: [], photos: { total: 0, indexed: 0, pending: 0, failed: 0 }, objects: 0, activeJob: null }

describe('folder actions', () => {
  beforeEach(() => {
    mockApi.reset()
    mockApi.handle('library.status', () => emptyStatus)
    mockApi.handle('jobs.list', () => [])
    mockApi.handle('photos.count', () => ({ total: 0 }))
  })

  it('in the browser, "Add folder" opens the folder browser; in Electron, the native dialog then folders.add', async () => {
    const wb = createWorkbench()
    await chooseFolder(wb)
    expect(wb.ui.folderDialogOpen).toBe(true)
    expect(mockApi.callsOf('folders.pick')).toEqual([])

    mockApi.setMode('electron')
    mockApi.handle('folders.pick', () => ({ path: '/home/ann/Pictures' }))
    mockApi.handle('folders.add', ({ path }) => ({ folder: { path, photos: 0, indexed: 0, failed: 0, available: true, addedAt: 1 }, jobId: 3 }))
    const electron = createWorkbench()
    await chooseFolder(electron)
    expect(mockApi.callsOf('folders.add')).toEqual([{ path: '/home/ann/Pictures' }])
    expect(electron.toasts.items[0]).toMatchObject({ kind: 'ok', title: 'Added Pictures' })
    expect(mockApi.callsOf('library.status').length).toBeGreaterThan(0)

    // Cancelling the native dialog adds nothing.
    mockApi.handle('folders.pick', () => ({ path: null }))
    await chooseFolder(electron)
    expect(mockApi.callsOf('folders.add')).toHaveLength(1)
  })

  it('shows why a folder could not be added', async () => {
    mockApi.fail('folders.add', '/nope does not exist', 'bad-request')
    const wb = createWorkbench()
    expect(await addFolder(wb, ' /nope ')).toBe(false)
    expect(mockApi.callsOf('folders.add')).toEqual([{ path: '/nope' }])
    expect(wb.toasts.items[0]).toMatchObject({ kind: 'error', message: '/nope does not exist' })
  })

  it('removes a folder only after the user confirms', async () => {
    mockApi.handle('folders.remove', () => ({ removedPhotos: 12 }))
    const wb = createWorkbench()
    const declined = removeFolder(wb, '/photos/a', 12)
    expect(wb.ui.confirmation?.message).toContain('12 photos')
    wb.ui.confirmation?.resolve(false)
    await declined
    expect(mockApi.callsOf('folders.remove')).toEqual([])
    const accepted = removeFolder(wb, '/photos/a', 12)
    wb.ui.confirmation?.resolve(true)
    await accepted
    expect(mockApi.callsOf('folders.remove')).toEqual([{ path: '/photos/a' }])
    expect(wb.toasts.items.at(-1)?.message).toBe('12 photos left the library.')
  })

  it('rescans one folder or all', async () => {
    mockApi.handle('folders.rescan', () => ({ jobId: 9 }))
    const wb = createWorkbench()
    await rescanFolder(wb, '/photos/a')
    await rescanFolder(wb)
    expect(mockApi.callsOf('folders.rescan')).toEqual([{ path: '/photos/a' }, {}])
  })
})
