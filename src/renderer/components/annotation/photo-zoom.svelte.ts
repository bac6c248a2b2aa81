/**
 * Zoom and pan of the photo frame (`@panzoom/panzoom`, CSS transforms): the wheel zooms at the
 * pointer, a drag with the middle button or with Space held pans, `F` / double-click fit, Ctrl+= /
 * Ctrl+- zoom by steps. Overlays are SVG in the photo's pixels inside the frame, so boxes keep
 * their photo coordinates at any zoom; `scale` lets marks keep their screen size.
 */
import Panzoom, { type PanzoomObject } from '@panzoom/panzoom'

/** Largest zoom (times the fitted size). */
export const MAX_ZOOM = 12

/** Zoom state of one photo stage. */
export class PhotoZoom {
  /** Current scale (1 = fitted), as drawn: Panzoom applies a change on the next animation frame
   * and then reports it, so the level shown and the marks' size never run ahead of the photo. */
  scale = $state(1)
  /** True while Space is held (the next drag pans). */
  spaceHeld = $state(false)
  #pz: PanzoomObject | null = null

  /** Puts `frame` (inside `stage`) under zoom and pan; returns the cleanup. */
  attach(frame: HTMLElement, stage: HTMLElement): () => void {
    const pz = Panzoom(frame, { noBind: true, minScale: 1, maxScale: MAX_ZOOM, step: 0.35, cursor: 'default', canvas: true, handleStartEvent: (e: Event) => e.preventDefault() })
    this.#pz = pz
    const sync = (e: Event): void => {
      this.scale = (e as CustomEvent<{ scale: number }>).detail.scale
    }
    const wheel = (e: WheelEvent): void => void pz.zoomWithWheel(e)
    const down = (e: PointerEvent): void => {
      if (e.button !== 1 && !(e.button === 0 && this.spaceHeld)) return
      e.stopPropagation()
      pz.handleDown(e)
    }
    const move = (e: PointerEvent): void => pz.handleMove(e)
    const up = (e: PointerEvent): void => pz.handleUp(e)
    const keydown = (e: KeyboardEvent): void => {
      if (e.code === 'Space' && !isField(e.target)) {
        this.spaceHeld = true
        e.preventDefault()
      }
    }
    const keyup = (e: KeyboardEvent): void => {
      if (e.code === 'Space') this.spaceHeld = false
    }
    stage.addEventListener('wheel', wheel, { passive: false })
    // capture: a pan wins over the box editor's own pointer handling
    stage.addEventListener('pointerdown', down, { capture: true })
    document.addEventListener('pointermove', move)
    document.addEventListener('pointerup', up)
    window.addEventListener('keydown', keydown)
    window.addEventListener('keyup', keyup)
    frame.addEventListener('panzoomchange', sync)
    return () => {
      stage.removeEventListener('wheel', wheel)
      stage.removeEventListener('pointerdown', down, { capture: true })
      document.removeEventListener('pointermove', move)
      document.removeEventListener('pointerup', up)
      window.removeEventListener('keydown', keydown)
      window.removeEventListener('keyup', keyup)
      frame.removeEventListener('panzoomchange', sync)
      pz.destroy()
      pz.resetStyle()
      if (this.#pz === pz) this.#pz = null
      this.scale = 1
    }
  }

  /** Back to the whole photo, fitted (F, double-click). */
  fit(): void {
    this.#pz?.reset({ animate: false })
  }

  /** One step closer (Ctrl+=). */
  zoomIn(): void {
    this.#pz?.zoomIn({ animate: false })
  }

  /** One step back (Ctrl+-). */
  zoomOut(): void {
    this.#pz?.zoomOut({ animate: false })
  }
}

function isField(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.closest('input, textarea, select, button, [contenteditable="true"]') !== null)
}
