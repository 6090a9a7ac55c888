/** Rounding and averaging for every report and score, so two pages never round one figure two ways. */

/** `n` to `digits` decimal places (half up, as Math.round). */
export const roundTo = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The mean of `xs`, rounded to `digits` places when given; null when there is nothing to average. */
export function meanOf(xs: readonly number[], digits?: number): number | null {
  if (!xs.length) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return digits === undefined ? mean : roundTo(mean, digits);
}
