import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pythonBool, pythonFloat } from '../src/check/bind/python-text.js';

/** Python's own repr() is the judge: random doubles of every magnitude, and the edges. */
const PYTHON = `
import json, random, struct, sys
random.seed(int(sys.argv[1]))
values = [0.0, -0.0, 1.0, 100.0, 1e16, 1e15, 9999999999999998.0, 1e-4, 1e-5, 0.1, 2.5e-7, 5e-324,
          1.7976931348623157e308, 1e22, -7.0128387374069335e-06]
for _ in range(2000):
    bits = struct.unpack('d', struct.pack('Q', random.getrandbits(64)))[0]
    if bits == bits and abs(bits) != float('inf'):
        values.append(bits)
    values.append(random.uniform(-1e6, 1e6))
    values.append(10 ** random.uniform(-12, 22))
print(json.dumps([[v, repr(v)] for v in values]))
`;

describe("Python's str() of a value, as Polyaxon's Jinja renders it", () => {
  it('writes floats as Python does, for doubles of every magnitude', () => {
    const seed = Math.floor(Math.random() * 2 ** 31);
    const cases = JSON.parse(execFileSync('python3', ['-c', PYTHON, String(seed)], { encoding: 'utf8' })) as [
      number,
      string,
    ][];
    const wrong = cases.filter(([value, repr]) => pythonFloat(value) !== repr).slice(0, 5);
    expect(wrong, `seed ${seed}`).toEqual([]);
    expect(cases.length).toBeGreaterThan(4000);
  });

  it('writes what JSON cannot hold, and booleans', () => {
    expect([NaN, Infinity, -Infinity, -0].map(pythonFloat)).toEqual(['nan', 'inf', '-inf', '-0.0']);
    expect([true, false].map(pythonBool)).toEqual(['True', 'False']);
  });
});
