/**
 * The small readers written while no XML or YAML library is installed: the XML subset of VOC
 * files, the `names` of a YOLO data.yaml, and RFC 4180 CSV (what the CSV export writes, read back).
 */
import { describe, expect, it } from 'vitest'
import { csvLine, parseCsv } from '../../../../src/main/engine/interchange/csv.js'
import { child, childrenNamed, parseXml } from '../../../../src/main/engine/interchange/xml-reader.js'
import { readYamlNames } from '../../../../src/main/engine/interchange/yaml-names.js'

describe('XML reader', () => {
  it('reads elements, attributes, entities, CDATA and comments, with line numbers', () => {
    const root = parseXml(`<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE annotation>
<!-- made by a tool -->
<annotation verified='yes'>
  <filename>caf&#233; &amp; bar.jpg</filename>
  <object><name><![CDATA[dining <table>]]></name><bndbox><xmin>1</xmin></bndbox></object>
  <object><name>dog&#x21;</name><empty/></object>
</annotation>`, 'a.xml')
    expect(root).toMatchObject({ name: 'annotation', attributes: { verified: 'yes' }, line: 4 })
    expect(child(root, 'filename')!.text).toBe('café & bar.jpg')
    const objects = childrenNamed(root, 'object')
    expect(objects.map((o) => [child(o, 'name')!.text, o.line])).toEqual([['dining <table>', 6], ['dog!', 7]])
    expect(child(objects[1], 'empty')).toMatchObject({ children: [], text: '' })
  })

  it('refuses malformed XML naming the line', () => {
    expect(() => parseXml('<a>\n<b>\n</a>', 'x.xml')).toThrow('x.xml line 3: not well-formed XML: </a> closes <b> (opened on line 2)')
    expect(() => parseXml('<a>\n  fish & chips\n</a>', 'x.xml')).toThrow(/x\.xml line 2: .*a bare "&"/)
    expect(() => parseXml('<a>&nbsp;</a>', 'x.xml')).toThrow(/unknown entity &nbsp;/)
    expect(() => parseXml('<a>\n<b>', 'x.xml')).toThrow(/<b> \(line 2\) is not closed/)
    expect(() => parseXml('<a/><b/>', 'x.xml')).toThrow(/a second root element <b>/)
  })
})

describe('data.yaml names', () => {
  it('reads flow lists, block lists and index maps', () => {
    expect(readYamlNames("path: ../d\nnames: [person, 'dining table', \"tv\"]  # 3\nnc: 3\n", 'd.yaml')).toEqual(['person', 'dining table', 'tv'])
    expect(readYamlNames("names: ['a',\n  'b, c']\n", 'd.yaml')).toEqual(['a', 'b, c'])
    expect(readYamlNames('names:\n  - person\n  - "hot dog"  # food\n\ntrain: x\n', 'd.yaml')).toEqual(['person', 'hot dog'])
    expect(readYamlNames("names:\n  0: person\n  1: it's\n  2: 'o''clock'\n", 'd.yaml')).toEqual(['person', "it's", "o'clock"])
  })

  it('refuses what it cannot read, naming the line', () => {
    expect(() => readYamlNames('nc: 2\n', 'd.yaml')).toThrow('d.yaml: no "names:" key')
    expect(() => readYamlNames('names: person\n', 'd.yaml')).toThrow('d.yaml line 1: expected a list or a map of names')
    expect(() => readYamlNames('names:\n  - a\n  b: c\n', 'd.yaml')).toThrow(/d\.yaml line 3: expected "- name" or "N: name"/)
    expect(() => readYamlNames('names: [a, b\n', 'd.yaml')).toThrow(/not closed with "\]"/)
  })
})

describe('CSV', () => {
  it('reads back what it writes: quotes, commas, line breaks, empty fields', () => {
    const rows = [['a.jpg', 'dining table', '', '1.5'], ['b "quoted".jpg', 'x,y', 'two\nlines', ' padded ']]
    const text = rows.map((r) => csvLine(r)).join('') + 'c.jpg,1,2,3\n'
    expect(parseCsv(`\ufeff${text}`, 'a.csv')).toEqual([
      { line: 1, fields: rows[0] }, { line: 2, fields: rows[1] }, { line: 4, fields: ['c.jpg', '1', '2', '3'] },
    ])
  })

  it('refuses broken quoting, naming the line', () => {
    expect(() => parseCsv('a,b\n"x"y,z\n', 'a.csv')).toThrow('a.csv line 2: text after a closing quote')
    expect(() => parseCsv('a,b\nc,"open\n', 'a.csv')).toThrow('a.csv line 2: a quoted field is not closed')
  })
})
