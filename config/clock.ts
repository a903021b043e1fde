/**
 * The real date, for the command-line entry points only (`main.ts` and the scripts' `main`s).
 * Everything that depends on the date (a Kubernetes version's support window) takes `now` as a
 * parameter instead, so tests pass fixed dates and the suite passes on any day. ESLint refuses
 * `new Date()` and `Date.now()` everywhere else, and this module in tests.
 */
export function realDate(): Date {
  // eslint-disable-next-line no-restricted-syntax -- the one reading of the clock
  return new Date();
}
