/**
 * App-wide UI state that several views open: the folder dialog (browser mode), the shortcut help,
 * and a pending confirmation.
 */

/** A question waiting for the user's answer. */
export interface Confirmation {
  title: string
  message: string
  confirmLabel: string
  /** Destructive actions get a red button. */
  danger?: boolean
  resolve: (ok: boolean) => void
}

/** Dialogs and overlays of the shell. */
export class UiState {
  folderDialogOpen = $state(false)
  helpOpen = $state(false)
  confirmation = $state.raw<Confirmation | null>(null)

  /** Asks a yes/no question in a dialog; resolves true when confirmed. */
  confirm(question: Omit<Confirmation, 'resolve'>): Promise<boolean> {
    this.confirmation?.resolve(false)
    return new Promise((resolve) => {
      this.confirmation = {
        ...question,
        resolve: (ok) => {
          this.confirmation = null
          resolve(ok)
        },
      }
    })
  }
}
