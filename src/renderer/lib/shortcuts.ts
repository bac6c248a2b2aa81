/**
 * Keyboard shortcuts: one list for the `?` help overlay and the bindings (tinykeys). Single-key
 * shortcuts never fire while the user types in a field or a dialog is open.
 */
import { tinykeys, type KeyBindingMap } from 'tinykeys'

/** One line of the help overlay. */
export interface ShortcutHelp {
  keys: string[]
  action: string
}

/** The shortcuts, grouped as the help overlay shows them. */
export const SHORTCUT_GROUPS: { title: string; items: ShortcutHelp[] }[] = [
  {
    title: 'Everywhere',
    items: [
      { keys: ['?'], action: 'Show or hide this help' },
      { keys: ['g', 'l'], action: 'Go to the library' },
      { keys: ['g', 's'], action: 'Go to search' },
      { keys: ['g', 'j'], action: 'Go to jobs' },
    ],
  },
  {
    title: 'Library grid',
    items: [
      { keys: ['←', '→', '↑', '↓'], action: 'Move between photos' },
      { keys: ['Home', 'End'], action: 'First / last photo' },
      { keys: ['Enter'], action: 'Open the photo' },
      { keys: ['/'], action: 'Filter by name' },
      { keys: ['Ctrl', 'click'], action: 'Select or deselect a photo (then a click toggles)' },
      { keys: ['Shift', 'click'], action: 'Select the photos from the last one clicked' },
      { keys: ['Space'], action: 'Select or deselect the focused photo' },
      { keys: ['Ctrl', 'A'], action: 'Select every photo the filters show' },
      { keys: ['Esc'], action: 'Deselect all' },
    ],
  },
  {
    title: 'Review',
    items: [
      { keys: ['j', 'k'], action: 'Next / previous row (also ↓ / ↑)' },
      { keys: ['y', 'n'], action: "Accept / reject the row's label" },
      { keys: ['u'], action: "Withdraw the person's label (the model's counts)" },
      { keys: ['r'], action: 'Mark the row (or the selection) reviewed' },
      { keys: ['x'], action: 'Select or deselect the row' },
      { keys: ['Enter'], action: 'Open the photo (Back returns to the same row)' },
    ],
  },
  {
    title: 'Photo',
    items: [
      { keys: ['←', '→'], action: 'Previous / next photo in the grid order' },
      { keys: ['Esc'], action: 'Back to the grid' },
      { keys: ['b'], action: 'Boxes on / off' },
      { keys: ['o'], action: 'OT relations (adjacency) on / off' },
      { keys: ['a'], action: 'GAT attention on / off (not while editing boxes)' },
      { keys: ['1', '2'], action: 'Attention layer 1 / 2 (not while editing boxes)' },
      { keys: ['h'], action: 'Next attention head (then the mean)' },
      { keys: ['s'], action: 'Find similar photos' },
      { keys: ['Shift', 'click'], action: 'Select several objects' },
    ],
  },
  {
    title: 'Search',
    items: [
      { keys: ['Ctrl', 'V'], action: 'Paste a photo to search with' },
      { keys: ['r'], action: 'Draw a box on the query photo' },
      { keys: ['←', '→'], action: 'Previous / next result in an explanation' },
    ],
  },
  {
    title: 'Map',
    items: [
      { keys: ['s'], action: 'Lasso: drag to select photos (Shift-drag in any mode)' },
      { keys: ['g'], action: 'Pan: drag to move the map' },
      { keys: ['f'], action: 'Fit the whole map (or double-click)' },
      { keys: ['Esc'], action: 'Clear the selection' },
    ],
  },
]

/** True when a key event comes from a text field (or an editable element). */
export function isTyping(event: Event): boolean {
  const el = event.target as HTMLElement | null
  if (!el || typeof el.closest !== 'function') return false
  return el.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]') !== null
}

/** True while a modal dialog is open (its own keys win). */
export function dialogOpen(): boolean {
  return typeof document !== 'undefined' && document.querySelector('[role="dialog"], [role="alertdialog"]') !== null
}

/**
 * Binds shortcuts on `target` (default the window); handlers are skipped while typing or while a
 * dialog is open. Returns the unbind function (use in an `$effect`).
 */
export function bindShortcuts(map: KeyBindingMap, target: Window | HTMLElement = window): () => void {
  const guarded: KeyBindingMap = {}
  for (const [keys, handler] of Object.entries(map)) {
    guarded[keys] = (event) => {
      if (isTyping(event) || dialogOpen() || event.defaultPrevented) return
      handler(event)
    }
  }
  return tinykeys(target, guarded)
}
