/**
 * Undo and redo from the correction log alone, so they survive a reload or a restart: a person's
 * recent edits are replayed as the two stacks of a linear history. An ordinary edit is pushed on
 * the undo stack and clears the redo stack; an "undo" edit that reverts the top of the undo stack
 * moves to the redo stack; a "redo" edit that reverts the top of the redo stack goes back on the
 * undo stack. Undo reverts the top of the undo stack, redo reverts the top of the redo stack.
 */
import type { EditRecord } from '../store/annotation-types.js'

/** How many of a person's last edits undo can reach. */
export const UNDO_DEPTH = 200

/** The two stacks, top last. */
export interface UndoStacks {
  /** Edits undo would revert, the next one last. */
  undo: EditRecord[]
  /** Undo edits redo would revert, the next one last. */
  redo: EditRecord[]
}

/** Replays a person's edits (oldest first) into the undo and redo stacks. */
export function undoStacks(edits: readonly EditRecord[]): UndoStacks {
  const undo: EditRecord[] = []
  const redo: EditRecord[] = []
  for (const e of edits) {
    if (e.action === 'undo' && e.reverts !== null && undo.at(-1)?.id === e.reverts) {
      undo.pop()
      redo.push(e)
    } else if (e.action === 'redo' && e.reverts !== null && redo.at(-1)?.id === e.reverts) {
      redo.pop()
      undo.push(e)
    } else {
      undo.push(e)
      redo.length = 0
    }
  }
  return { undo, redo }
}
