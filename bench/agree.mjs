// Do two engines give the same answers? omnikpi's are the reference: the same groups, and every
// KPI of every group within 1e-9 relative (absolute below 1), nulls only where omnikpi has them.

// The KPIs every engine computes (bench.mjs `KPIS`); the volume heatmap is contacts only.
const KPIS = ['contacts', 'aht_s', 'csat', 'abandonment_rate', 'resolution_rate', 'first_response_mean_s'];
const kpisOf = (q) => (q === 'volume' ? ['contacts'] : KPIS);

const close = (a, b) => (a === null || b === null ? a === b : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)));

/** The first difference of answer `got` from `want` (both [key, {kpi: value}] entries), or null. */
function differs(name, q, want, got) {
  const g = new Map(got);
  if (want.length !== g.size) return `${name}: ${g.size} groups, omnikpi ${want.length}`;
  for (const [k, w] of want) {
    const x = g.get(k);
    if (!x) return `${name}: group ${k} missing`;
    for (const id of kpisOf(q)) if (!close(w[id] ?? null, x[id] ?? null)) return `${name} ${k} ${id}: ${x[id]} vs omnikpi ${w[id]}`;
  }
  return null;
}

/** Every query whose answer in `got` differs from `want` ({query: entries}), one line each. */
export function disagreements(label, want, got) {
  return Object.keys(want).map((q) => differs(`${label} ${q}`, q, want[q], got[q] ?? [])).filter(Boolean);
}
