/**
 * The annotation shortcuts of the photo view, for the `?` help overlay (bound in
 * `views/photo-view.svelte`). Keys follow X-AnyLabeling / CVAT where they have one: R draws, Delete
 * deletes, Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y undo and redo, A / D move through photos while editing,
 * wheel / Ctrl+= / Ctrl+- zoom, F or double-click fits.
 */
import type { ShortcutHelp } from '../../lib/shortcuts.js'

/** Annotation shortcuts, grouped as the help overlay shows them. */
export const ANNOTATION_SHORTCUT_GROUPS: { title: string; items: ShortcutHelp[] }[] = [
  {
    title: 'Photo: labels',
    items: [
      { keys: ['↑', '↓'], action: 'Pick a label row' },
      { keys: ['y'], action: 'Accept the label (present); also Enter' },
      { keys: ['n'], action: 'Reject the label (absent)' },
      { keys: ['m'], action: 'Mark the label unknown (maybe: training ignores it)' },
      { keys: ['u'], action: 'Withdraw your label (the model counts again); also Backspace' },
      { keys: ['l'], action: 'Add a label by name' },
      { keys: ['k'], action: 'Mark the photo reviewed / not reviewed' },
      { keys: ['Ctrl', 'Z'], action: 'Undo the last edit' },
      { keys: ['Ctrl', 'Shift', 'Z'], action: 'Redo (also Ctrl+Y)' },
    ],
  },
  {
    title: 'Photo: editing boxes',
    items: [
      { keys: ['e'], action: 'Edit boxes on / off' },
      { keys: ['r'], action: 'Draw a box (drag on the photo; starts editing)' },
      { keys: ['drag'], action: 'Move a box; its handles resize it' },
      { keys: ['Delete'], action: 'Delete the selected box' },
      { keys: ['1', '…', '9'], action: 'Class of the selected box (and of new boxes)' },
      { keys: ['a', 'd'], action: 'Previous / next photo while editing' },
      { keys: ['Esc'], action: 'Cancel a drag, stop drawing, clear the selection, stop editing' },
      { keys: ['wheel'], action: 'Zoom at the pointer (also Ctrl+= / Ctrl+-)' },
      { keys: ['Space', 'drag'], action: 'Pan (or drag with the middle button)' },
      { keys: ['f'], action: 'Fit the whole photo (or double-click)' },
    ],
  },
]
