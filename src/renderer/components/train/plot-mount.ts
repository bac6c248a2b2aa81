/**
 * Puts an Observable Plot figure into the page under the app's strict CSP (`style-src 'self'`):
 * Plot adds `<style>` elements to its SVGs, which the CSP would refuse (a console error each
 * time), so they are removed first; the chart component's stylesheet carries their few rules.
 */

/** Shows `figure` in `host` without its inline `<style>` elements; returns the remover. */
export function mountPlot(host: HTMLElement, figure: Element): () => void {
  for (const style of Array.from(figure.querySelectorAll('style'))) style.remove()
  host.replaceChildren(figure)
  return () => figure.remove()
}
