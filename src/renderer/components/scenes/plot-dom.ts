/**
 * Helpers for putting Observable Plot figures and downloads into the page under the app's strict
 * CSP (`style-src 'self'`): Plot adds `<style>` elements to its SVGs, which the CSP would refuse
 * (a console error each time), so they are removed before the figure enters the document and their
 * few rules live in the component's stylesheet instead.
 */

/** A heatmap cell as the plot needs it; `data` is handed back when the cell is clicked. */
export interface PlotCell<D> {
  given: string
  label: string
  value: number
  /** The tooltip's text (several lines). */
  tip: string
  data: D
}

/** Removes Plot's inline `<style>` elements and shows `figure` in `host`; returns the remover. */
export function mountFigure(host: HTMLElement, figure: Element): () => void {
  figure.querySelectorAll('style').forEach((style) => style.remove())
  host.replaceChildren(figure)
  return () => figure.remove()
}

/** Offers `text` as a file download (a Blob URL, revoked after the click). */
export function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** A file-name-safe slug of a scene name ("car · traffic light" -> "car-traffic-light"). */
export function fileSlug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'matrix'
  )
}
