/**
 * How Polyaxon's Jinja writes a scalar into a container's command line: Python's `str()`.
 * `True`/`False` for booleans; floats as Python's shortest repr (`100.0`, `1e-07`, `1e+16`),
 * which differs from JavaScript's (`100`, `1e-7`, `10000000000000000`).
 */

export const pythonBool = (value: boolean): string => (value ? 'True' : 'False');

/** `repr(float)`: the shortest digits that read back, in Python's layout. */
export function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  // toExponential() without a precision gives the shortest digits that read back: "-7.01e-6".
  const [mantissa = '', power = '0'] = value.toExponential().split('e');
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace(/^-/, '').replace('.', '');
  const exponent = Number(power);
  // Python writes exponents below -4 or from 16 up in scientific notation, with two digits at least.
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const magnitude = String(Math.abs(exponent)).padStart(2, '0');
    return `${sign}${digits[0]}${fraction}e${exponent < 0 ? '-' : '+'}${magnitude}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  return `${sign}${whole}.${digits.slice(exponent + 1) || '0'}`;
}
