import { describe, expect, it } from 'vitest';
import { parseInputs } from '../src/action/inputs.js';

describe("the Action's inputs", () => {
  const read = (inputs: Record<string, string>) => parseInputs((name) => inputs[name] ?? '');

  it('reads `project` as OWNER/NAME or NAME, and nothing when it is empty', () => {
    expect(read({ project: 'acme/vision' }).config?.project).toEqual({ owner: 'acme', name: 'vision' });
    expect(read({ project: 'vision' }).config?.project).toEqual({ name: 'vision' });
    expect(read({}).config?.project).toBeUndefined();
  });

  it('refuses a malformed `project`, saying what it takes', () => {
    expect(read({ project: 'acme/vision/extra' }).errors).toEqual([
      'input `project` must be OWNER/NAME or NAME (letters, digits, - and _), got `acme/vision/extra`',
    ]);
  });
});
