/** CSV as RFC 4180 writes it: comma-separated, fields with commas, quotes or line breaks quoted ("" for "). */
import { FormatError } from './format-error.js'

/** One CSV field. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return ''
  const s = String(value)
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s
}

/** One CSV line (with its line break). */
export function csvLine(values: readonly (string | number | null | undefined)[]): string {
  return values.map(csvField).join(',') + '\r\n'
}

/** The rows of a CSV text, each with the 1-based line it starts on. */
export function parseCsv(text: string, file: string): { line: number; fields: string[] }[] {
  const rows: { line: number; fields: string[] }[] = []
  let fields: string[] = []
  let field = ''
  let quoted = false
  let line = 1
  let rowLine = 1
  let atFieldStart = true
  const endField = (): void => {
    fields.push(field)
    field = ''
    atFieldStart = true
  }
  const endRow = (): void => {
    endField()
    if (!(fields.length === 1 && fields[0] === '')) rows.push({ line: rowLine, fields })
    fields = []
  }
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') {
        quoted = false
        const next = s[i + 1]
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
          throw new FormatError(file, `line ${line}`, `text after a closing quote (a field is "..." followed by "," or a line end)`)
        }
      } else {
        if (ch === '\n') line++
        field += ch
      }
    } else if (ch === '"' && atFieldStart) {
      quoted = true
      atFieldStart = false
    } else if (ch === ',') endField()
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++
      endRow()
      line++
      rowLine = line
    } else {
      field += ch
      atFieldStart = false
    }
  }
  if (quoted) throw new FormatError(file, `line ${rowLine}`, 'a quoted field is not closed')
  if (field !== '' || fields.length > 0) endRow()
  return rows
}
