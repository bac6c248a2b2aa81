/**
 * The class names of a YOLO `data.yaml`: its `names` key, as a flow list (`names: [a, 'b c']`), a
 * block list (`- a` lines) or a map of index to name (`0: person` lines). Only that key is read; no
 * YAML library is installed, so this is a small reader of that subset (with quoted strings and
 * `#` comments), and anything else under `names` is a FormatError naming the line.
 */
import { FormatError } from './format-error.js'

/** A YAML scalar: quotes removed (with '' and \" escapes), comments stripped. */
function scalar(raw: string, file: string, line: number): string {
  const s = raw.trim()
  if (s.startsWith("'")) {
    const m = /^'((?:[^']|'')*)'\s*(#.*)?$/.exec(s)
    if (!m) throw new FormatError(file, `line ${line}`, `unterminated quoted name ${s}`)
    return m[1].replace(/''/g, "'")
  }
  if (s.startsWith('"')) {
    const m = /^"((?:[^"\\]|\\.)*)"\s*(#.*)?$/.exec(s)
    if (!m) throw new FormatError(file, `line ${line}`, `unterminated quoted name ${s}`)
    return JSON.parse(`"${m[1]}"`) as string
  }
  return s.replace(/\s+#.*$/, '').trim()
}

/** Splits a flow list's inside on commas outside quotes. */
function splitFlow(inside: string): string[] {
  const parts: string[] = []
  let quote = ''
  let start = 0
  for (let i = 0; i < inside.length; i++) {
    const ch = inside[i]
    if (quote) {
      if (ch === quote) quote = ''
    } else if (ch === "'" || ch === '"') quote = ch
    else if (ch === ',') {
      parts.push(inside.slice(start, i))
      start = i + 1
    }
  }
  parts.push(inside.slice(start))
  return parts.filter((p) => p.trim().length > 0)
}

/** The `names` of a data.yaml text (index = class id). */
export function readYamlNames(text: string, file: string): string[] {
  const lines = text.split(/\r?\n/)
  const at = lines.findIndex((l) => /^names\s*:/.test(l))
  if (at < 0) throw new FormatError(file, undefined, 'no "names:" key (the class names of the dataset)')
  const rest = lines[at].replace(/^names\s*:/, '').replace(/\s+#.*$/, '').trim()
  if (rest.startsWith('[')) {
    let flow = rest
    let end = at
    while (!flow.includes(']') && end + 1 < lines.length) flow += ' ' + lines[++end].trim()
    if (!flow.trimEnd().endsWith(']')) throw new FormatError(file, `line ${at + 1}`, 'the names list "[..." is not closed with "]"')
    return splitFlow(flow.slice(flow.indexOf('[') + 1, flow.lastIndexOf(']'))).map((p) => scalar(p, file, at + 1))
  }
  if (rest) throw new FormatError(file, `line ${at + 1}`, `expected a list or a map of names after "names:", got "${rest}"`)
  const names: string[] = []
  const byIndex = new Map<number, string>()
  for (let i = at + 1; i < lines.length; i++) {
    const l = lines[i]
    if (!l.trim() || l.trim().startsWith('#')) continue
    if (!/^\s/.test(l)) break // the next top-level key
    const item = /^\s*-\s+(.*)$/.exec(l)
    const entry = /^\s*(\d+)\s*:\s*(.*)$/.exec(l)
    if (item) names.push(scalar(item[1], file, i + 1))
    else if (entry) byIndex.set(Number(entry[1]), scalar(entry[2], file, i + 1))
    else throw new FormatError(file, `line ${i + 1}`, `expected "- name" or "N: name" under "names:", got "${l.trim()}"`)
  }
  if (byIndex.size > 0) {
    if (names.length > 0) throw new FormatError(file, `line ${at + 1}`, 'mixes "- name" and "N: name" entries under "names:"')
    const max = Math.max(...byIndex.keys())
    for (let k = 0; k <= max; k++) {
      const n = byIndex.get(k)
      if (n === undefined) throw new FormatError(file, `line ${at + 1}`, `names has no entry for class ${k} (indexes must be 0..${max})`)
      names.push(n)
    }
  }
  if (names.length === 0) throw new FormatError(file, `line ${at + 1}`, '"names:" is empty')
  return names
}
