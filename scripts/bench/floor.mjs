// The floor a transpiler cannot beat: a fresh process that parses the same input and writes the
// same output with the same `yaml` package, doing nothing in between.
// Usage: node floor.mjs INPUT.yaml OUTPUT.json RESULT.yaml
import { readFileSync, writeFileSync } from 'node:fs';
import { LineCounter, parseDocument, stringify } from 'yaml';

const [input, manifestJson, result] = process.argv.slice(2);
const lineCounter = new LineCounter();
parseDocument(readFileSync(input, 'utf8'), { version: '1.1', lineCounter }).toJS();
const manifest = JSON.parse(readFileSync(manifestJson, 'utf8'));
// The options transpile writes with: the same text, and no walk over the tree for directives.
writeFileSync(
  result,
  stringify(manifest, { aliasDuplicateObjects: false, directives: false, lineWidth: 0, version: '1.1' }),
);
