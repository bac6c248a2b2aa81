/**
 * Toast messages: short notices that an action worked or failed, shown in a corner and gone after
 * a few seconds (errors stay until dismissed).
 */
import { ApiError } from '../../../shared/envelope.js'

/** How a toast looks. */
export type ToastKind = 'info' | 'ok' | 'error'

/** One toast. */
export interface Toast {
  id: number
  kind: ToastKind
  title: string
  message?: string
}

/** The text of any thrown value, for a message line. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message
  if (err instanceof Error) return err.message
  return String(err)
}

/** The toasts on screen, newest last. */
export class Toasts {
  items = $state<Toast[]>([])
  #next = 1

  /** Shows a toast; info and ok toasts leave after `ttlMs`, errors stay until dismissed. */
  show(kind: ToastKind, title: string, message?: string, ttlMs = 5000): number {
    const id = this.#next++
    this.items = [...this.items.slice(-4), { id, kind, title, message }]
    if (kind !== 'error' && typeof setTimeout === 'function') setTimeout(() => this.dismiss(id), ttlMs)
    return id
  }

  /** Shows an error toast for a failed action. */
  error(title: string, err: unknown): number {
    return this.show('error', title, errorMessage(err))
  }

  /** Removes a toast. */
  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id)
  }
}
