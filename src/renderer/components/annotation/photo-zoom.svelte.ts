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
  /** Current scale (1 = fitted). */
  scale = $state(1)
  /** True while Space is held (the next drag pans). */
  spaceHeld = $state(false)
  #pz: PanzoomObject | null = null

  /** Puts `frame` (inside `stage`) under zoom and pan; returns the cleanup. */
  attach(frame: HTMLElement, stage: HTMLElement): () => void {
    const pz = Panzoom(frame, { noBind: true, minScale: 1, maxScale: MAX_ZOOM, step: 0.35, cursor: 'default', canvas: true, handleStartEvent: (e: Event) => e.preventDefault() })
    this.#pz = pz
    const sync = (): void => {
      this.scale = pz.getScale()
    }
    const wheel = (e: WheelEvent): void => {
      pz.zoomWithWheel(e)
      sync()
    }
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
    this.scale = 1
  }

  /** One step closer (Ctrl+=). */
  zoomIn(): void {
    if (this.#pz) this.scale = this.#pz.zoomIn({ animate: false }).scale
  }

  /** One step back (Ctrl+-). */
  zoomOut(): void {
    if (this.#pz) this.scale = this.#pz.zoomOut({ animate: false }).scale
  }
}

function isField(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.closest('input, textarea, select, button, [contenteditable="true"]') !== null)
}
