/**
 * The pushed-event connection as rune state, for the "reconnecting…" and "open the link again"
 * notices; after a reconnect the views refetch what they show (events may have been missed).
 */
import { connectionState, type ConnectionState } from '../api.js'

/** The event connection's state. */
export class ConnectionManager {
  state = $state<ConnectionState>('connecting')

  /** Follows the connection; calls `onReconnect` when it comes back. Returns the unsubscribe. */
  connect(onReconnect: () => void): () => void {
    return connectionState.subscribe((next) => {
      const was = this.state
      this.state = next
      if (next === 'connected' && was === 'reconnecting') onReconnect()
    })
  }
}
