/**
 * A switch for crash tests, and nothing else: with `QT_CRASH_AT=<point>` (or `<point>#<n>` for the n-th
 * time) in its environment the process kills itself with SIGKILL when it reaches that point, e.g. right
 * after an entry order was accepted by the exchange and before anything about it was committed. Unset
 * (always, outside tests) it does nothing. Point names: `intent:<purpose>` (the order is committed,
 * not yet sent), `sent:<purpose>` (the venue answered, the answer is not committed), `cancel-intent`,
 * `cancel-sent`, `cycle` (a cycle's trading is done, its commit not made).
 */
const wanted = parse(process.env.QT_CRASH_AT);
const seen = new Map<string, number>();

export function crashPoint(point: string): void {
  if (wanted === undefined || wanted.point !== point) return;
  const count = (seen.get(point) ?? 0) + 1;
  seen.set(point, count);
  if (count === wanted.nth) process.kill(process.pid, 'SIGKILL');
}

function parse(value: string | undefined): { point: string; nth: number } | undefined {
  if (value === undefined || value === '') return undefined;
  const [point, nth] = value.split('#');
  return { point: point!, nth: nth === undefined ? 1 : Number(nth) };
}
