/**
 * A Kubernetes resource quantity as a number (cores, bytes, counts), for comparing requests with
 * limits and quotas: the suffixes of k8s.io/apimachinery/pkg/api/resource (binary Ki…Ei, decimal
 * n, u, m, k, M, G, T, P, E, and exponents).
 */
const SUFFIXES: Readonly<Record<string, number>> = {
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
  n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
};
const QUANTITY = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;

/** The value of a quantity (`250m` → 0.25, `512Mi` → 536870912, 4 → 4); throws on anything else. */
export function quantityValue(quantity: unknown): number {
  if (typeof quantity === "number") return quantity;
  const match = QUANTITY.exec(String(quantity));
  if (!match) throw new Error(`not a Kubernetes quantity: ${JSON.stringify(quantity)}`);
  const suffix = match[2] ?? "";
  const factor = SUFFIXES[suffix] ?? 10 ** Number(suffix.slice(1));
  return Number(match[1]) * factor;
}
