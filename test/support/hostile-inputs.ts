/**
 * Files a stranger's pull request might hold to break the validator, each with the diagnostic
 * code that must refuse it. Shared by the hostile-input tests and `npm run bench`, which times
 * each refusal in a fresh process.
 */
export const HEADER = 'version: 1.1\nkind: component\n';
const JOB = 'run: {kind: job, container: {image: alpine}}\n';

export const HOSTILE: Record<string, [string | Buffer, string]> = {
  'alias-bomb.yaml': [
    `${HEADER}a: &a [x, x, x, x, x, x, x, x, x]\n${[...'bcdefghi'].map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`).join('\n')}\n${JOB}`,
    'too-long',
  ],
  // A 256 KiB value repeated by 999 aliases: a 266 KB file that stood for a 262 MB manifest.
  'alias-wide.yaml': [
    `${HEADER}run:\n  kind: job\n  container:\n    image: alpine\n    args: [&a "${'v'.repeat(256 * 1024 - 16)}", ${Array(999).fill('*a').join(', ')}]\n`,
    'too-long',
  ],
  'alias-cycle.yaml': [`${HEADER}tags: &x [a, *x]\n${JOB}`, 'too-deep'],
  'alias-merge-cycle.yaml': [
    `${HEADER}run: &r {kind: job, container: {image: alpine}, environment: {<<: *r}}\n`,
    'too-deep',
  ],
  'alias-many.yaml': [`${HEADER}tags: [&a x, ${Array(1001).fill('*a').join(', ')}]\n${JOB}`, 'too-long'],
  'alias-deep.yaml': [
    `${HEADER}tags: &d ${'['.repeat(100)}x${']'.repeat(100)}\ndescription: ${'['.repeat(60)}*d${']'.repeat(60)}\n${JOB}`,
    'too-deep',
  ],
  'deep-flow.yaml': [`${HEADER}tags: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n${JOB}`, 'too-deep'],
  'deep-block.yaml': [`${HEADER}tags:\n${'- '.repeat(20_000)}x\n${JOB}`, 'too-deep'],
  'huge-scalar.yaml': [`${HEADER}description: ${'x'.repeat(1_000_000)}\n${JOB}`, 'too-long'],
  'huge-name.yaml': [`${HEADER}name: ${'n'.repeat(100_000)}\n${JOB}`, 'too-long'],
  'binary.yaml': [Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)), 'unreadable-file'],
  'latin1.yaml': [Buffer.from(`${HEADER}name: caf\xe9\n${JOB}`, 'latin1'), 'unreadable-file'],
  'empty.yaml': ['', 'empty-file'],
  'list-root.yaml': ['- version: 1.1\n- kind: component\n', 'not-a-mapping'],
  'scalar-root.yaml': ['just text\n', 'not-a-mapping'],
  'duplicate-keys.yaml': [`${HEADER}kind: operation\n${JOB}`, 'duplicate-key'],
  'proto-key.yaml': [`${HEADER}__proto__: {polluted: yes}\n${JOB}`, 'reserved-key'],
  'proto-deep.yaml': [
    `${HEADER}run: {kind: job, environment: {labels: {__proto__: {polluted: yes}}}, container: {image: alpine}}\n`,
    'reserved-key',
  ],
  'constructor-key.yaml': [
    `${HEADER}inputs: [{name: x, type: str, constructor: {prototype: {polluted: yes}}}]\n${JOB}`,
    'reserved-key',
  ],
  'over-size-cap.yaml': [`${HEADER}${'# padding\n'.repeat(500_000)}${JOB}`, 'unreadable-file'],
};
