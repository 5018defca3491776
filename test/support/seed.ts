/**
 * The seed of a generated test, from its environment variable: N replays a run, `random` draws
 * a fresh one to explore, and nothing gives the fixed seed, so that what lands is not decided by
 * a draw.
 */
export function seedFrom(value: string | undefined, fixed: number): number {
  if (value === 'random') return Math.floor(Math.random() * 2 ** 31);
  return value === undefined ? fixed : Number(value);
}
