/**
 * User actions on library folders: add (native dialog in Electron, the folder browser in browser
 * mode), remove (after a confirmation) and rescan. Each tells the user what happened in a toast.
 */
import { appMode, call } from '../api.js'
import { baseName, plural } from '../format.js'
import type { Workbench } from '../workbench.js'

/** Adds `path` to the library and starts indexing it; true on success. */
export async function addFolder(wb: Workbench, path: string): Promise<boolean> {
  try {
    const { folder } = await call('folders.add', { path: path.trim() })
    wb.toasts.show('ok', `Added ${baseName(folder.path)}`, 'Indexing has started; the grid fills in as photos are analysed.')
    // The caller (the folder dialog) closes now; the folder list, the job and the grid follow.
    void Promise.all([wb.library.refresh(), wb.jobs.refresh()]).then(() => wb.grid.refresh())
    return true
  } catch (err) {
    wb.toasts.error('Could not add the folder', err)
    return false
  }
}

/**
 * "Add folder": in Electron the native folder dialog, then {@link addFolder}; in the browser opens
 * the folder browser dialog (which calls {@link addFolder} itself).
 */
export async function chooseFolder(wb: Workbench): Promise<void> {
  if (appMode !== 'electron') {
    wb.ui.folderDialogOpen = true
    return
  }
  try {
    const { path } = await call('folders.pick', {})
    if (path) await addFolder(wb, path)
  } catch (err) {
    wb.toasts.error('Could not open the folder dialog', err)
  }
}

/** Removes a folder from the library after asking; files on disk are never touched. */
export async function removeFolder(wb: Workbench, path: string, photos: number): Promise<void> {
  const ok = await wb.ui.confirm({
    title: `Remove ${baseName(path)}?`,
    message: `${plural(photos, 'photo')} under ${path} leave the library, with their labels and search entries. The files on disk are not touched; you can add the folder again later.`,
    confirmLabel: 'Remove folder',
    danger: true,
  })
  if (!ok) return
  try {
    const { removedPhotos } = await call('folders.remove', { path })
    wb.toasts.show('ok', `Removed ${baseName(path)}`, `${plural(removedPhotos, 'photo')} left the library.`)
    await wb.library.refresh()
    void wb.grid.refresh()
  } catch (err) {
    wb.toasts.error('Could not remove the folder', err)
  }
}

/** Indexes a folder (or every folder) again: new, changed and removed files. */
export async function rescanFolder(wb: Workbench, path?: string): Promise<void> {
  try {
    await call('folders.rescan', path ? { path } : {})
    wb.toasts.show('info', path ? `Rescanning ${baseName(path)}` : 'Rescanning every folder')
    await wb.jobs.refresh()
  } catch (err) {
    wb.toasts.error('Could not rescan', err)
  }
}
