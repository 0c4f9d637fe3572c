// Derive TypeScript types from the JSON Schema generated from the Python Structs (never hand-edited).
import { readFileSync, writeFileSync } from 'node:fs'
import { compile } from 'json-schema-to-typescript'

const here = new URL('../src/generated/', import.meta.url)
const schema = JSON.parse(readFileSync(new URL('schema.json', here), 'utf8'))
// One root that references every definition, so each becomes an exported interface.
const root = {
  ...schema,
  title: 'WireRoot',
  type: 'object',
  properties: Object.fromEntries(Object.keys(schema.$defs).map((n) => [n, { $ref: `#/$defs/${n}` }])),
  additionalProperties: false,
}
const ts = await compile(root, 'WireRoot', {
  bannerComment: '/* Generated from schema.json by scripts/gen-types.mjs; do not edit. */',
  additionalProperties: false,
  unreachableDefinitions: true,
  format: false,
})
writeFileSync(new URL('wire.d.ts', here), ts)
console.log(`wire.d.ts: ${Object.keys(schema.$defs).length} types`)
