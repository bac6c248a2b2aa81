/**
 * A small XML reader for Pascal VOC annotation files: elements, attributes, text, the five
 * predefined entities and character references, comments, CDATA, the XML declaration and a
 * DOCTYPE without an internal subset. No XML library is installed (fast-xml-parser would be the
 * one to add); VOC files use nothing beyond this. Malformed XML is a FormatError naming the line.
 */
import { FormatError } from './format-error.js'

/** An element: its name, attributes, child elements and text (concatenated, entities decoded). */
export interface XmlElement {
  name: string
  attributes: Record<string, string>
  children: XmlElement[]
  text: string
  /** 1-based line of its start tag. */
  line: number
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }
const NAME = /^[A-Za-z_:][\w.:-]*/

/** Parses an XML document; returns its root element. */
export function parseXml(text: string, file: string): XmlElement {
  let pos = 0
  let line = 1
  const failAt = (at: number, reason: string): never => {
    throw new FormatError(file, `line ${at}`, `not well-formed XML: ${reason}`)
  }
  const fail = (reason: string): never => failAt(line, reason)
  const advance = (to: number): void => {
    for (let i = pos; i < to; i++) if (text.charCodeAt(i) === 10) line++
    pos = to
  }
  const skipPast = (token: string, what: string): void => {
    const end = text.indexOf(token, pos)
    if (end < 0) fail(`${what} is not closed with "${token}"`)
    advance(end + token.length)
  }
  /** Decodes the entities of text that starts on the current line. */
  const decode = (s: string): string => s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);|&/g, (_m, ref: string | undefined, offset: number) => {
    const at = line + (s.slice(0, offset).match(/\n/g)?.length ?? 0)
    if (!ref) return failAt(at, 'a bare "&" (write &amp;)')
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16))
    if (ref.startsWith('#')) return String.fromCodePoint(Number(ref.slice(1)))
    return ENTITIES[ref] ?? failAt(at, `unknown entity &${ref};`)
  })
  const stack: XmlElement[] = []
  let root: XmlElement | undefined
  while (pos < text.length) {
    const lt = text.indexOf('<', pos)
    const chunk = text.slice(pos, lt < 0 ? text.length : lt)
    if (chunk.trim()) {
      if (stack.length === 0) fail(`text outside the root element: "${chunk.trim().slice(0, 30)}"`)
      stack[stack.length - 1].text += decode(chunk)
    }
    advance(lt < 0 ? text.length : lt)
    if (lt < 0) break
    if (text.startsWith('<!--', pos)) skipPast('-->', 'a comment')
    else if (text.startsWith('<![CDATA[', pos)) {
      const end = text.indexOf(']]>', pos)
      if (end < 0 || stack.length === 0) fail('a CDATA section is not closed or is outside the root')
      stack[stack.length - 1].text += text.slice(pos + 9, end)
      advance(end + 3)
    } else if (text.startsWith('<?', pos)) skipPast('?>', 'a processing instruction')
    else if (text.startsWith('<!', pos)) skipPast('>', 'a declaration')
    else if (text.startsWith('</', pos)) {
      const name = NAME.exec(text.slice(pos + 2))?.[0] ?? fail('a closing tag without a name')
      const open = stack.pop()
      if (!open) fail(`</${name}> closes nothing`)
      if (open!.name !== name) fail(`</${name}> closes <${open!.name}> (opened on line ${open!.line})`)
      skipPast('>', `</${name}`)
    } else {
      const start = line
      advance(pos + 1)
      const name = NAME.exec(text.slice(pos))?.[0] ?? fail('"<" not followed by a tag name (write &lt;)')
      advance(pos + name.length)
      const el: XmlElement = { name, attributes: {}, children: [], text: '', line: start }
      for (;;) {
        const ws = /^\s*/.exec(text.slice(pos))![0]
        advance(pos + ws.length)
        if (text.startsWith('/>', pos) || text.startsWith('>', pos)) break
        const attr = /^([A-Za-z_:][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(text.slice(pos)) ?? fail(`a malformed attribute in <${name}>`)
        el.attributes[attr[1]] = decode(attr[3] ?? attr[4])
        advance(pos + attr[0].length)
      }
      if (stack.length > 0) stack[stack.length - 1].children.push(el)
      else if (root) fail(`a second root element <${name}>`)
      else root = el
      const selfClosing = text.startsWith('/>', pos)
      advance(pos + (selfClosing ? 2 : 1))
      if (!selfClosing) stack.push(el)
    }
  }
  if (stack.length > 0) fail(`<${stack[stack.length - 1].name}> (line ${stack[stack.length - 1].line}) is not closed`)
  return root ?? fail('no root element')
}

/** The first child element named `name`. */
export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name)
}

/** Every child element named `name`. */
export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name)
}
