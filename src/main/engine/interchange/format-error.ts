/**
 * A ground-truth file that cannot be read as its format: the message names the file and the line
 * (text formats) or the field (JSON), e.g. `labels.json: images[3].boxes[2]: ...` or
 * `labels/a.txt line 4: ...`, so the user can open the file at the right place.
 */

/** A file that is not valid in its format; nothing was imported. */
export class FormatError extends Error {
  override readonly name = 'FormatError'

  constructor(
    readonly file: string,
    /** "line 4", "images[3].boxes[2]", "line 12 (<xmin>)" ... */
    readonly where: string | undefined,
    readonly reason: string,
  ) {
    super(`${file}${where ? `${where.startsWith('line') ? ' ' : ': '}${where}` : ''}: ${reason}`)
  }
}

/** Line and column (1-based) of a character offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let start = 0
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++
    start = i + 1
  }
  return { line, column: offset - start + 1 }
}

/** JSON.parse, with a syntax error reported as a FormatError at its line and column. */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    const message = (error as Error).message
    const at = /at position (\d+)/.exec(message)
    const pos = at ? lineColumn(text, Number(at[1])) : undefined
    const reason = message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+/, '')
    throw new FormatError(file, pos ? `line ${pos.line} column ${pos.column}` : undefined, `not valid JSON (${reason})`)
  }
}
