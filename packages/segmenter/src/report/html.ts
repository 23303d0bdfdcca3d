import type { Segmentation } from '../model.js';
import { FEATURE_NAMES } from '../stages/features.js';
import { barChart, esc, heatmap, lineChart } from './svg.js';

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

/**
 * The segmentation report: one self-contained HTML file (inline CSS and SVG, no scripts, no fetches)
 * with the k criteria, segment sizes, the centroid heatmap, the RFM grid, the funnel, drift against
 * the last run and each segment's business figures.
 */
export function renderReport({ run, segments, profiles }: Segmentation): string {
  const ks = run.criteria.map((c) => c.k);
  const criteria =
    run.criteria.length > 0
      ? lineChart(ks, [
          { name: 'silhouette', values: run.criteria.map((c) => c.silhouette), color: '#4f6bed' },
          { name: 'stability', values: run.criteria.map((c) => c.stability), color: '#2a9d55' },
          { name: 'inertia gain', values: run.criteria.map((c) => c.elbow), color: '#d9822b' },
          ...(run.criteria.every((c) => c.smallest !== undefined)
            ? [{ name: 'smallest segment share', values: run.criteria.map((c) => c.smallest ?? 0), color: '#8a5cc2' }]
            : []),
        ])
      : '<p>k was given, not chosen.</p>';
  const sizes = barChart(
    segments.map((s) => ({
      label: s.name,
      value: s.size,
      text: `${s.size} (${pct(s.size / Math.max(1, run.profiles - run.anomalies))})`,
    })),
  );
  const heat = heatmap(
    segments.map((s) => s.name),
    FEATURE_NAMES,
    segments.map((s) => s.centroid),
  );
  const grid = Array.from({ length: 5 }, () => new Array<number>(5).fill(0));
  for (const p of profiles)
    if (p.rfm) (grid[5 - p.rfm.r] as number[])[p.rfm.f - 1] = ((grid[5 - p.rfm.r] as number[])[p.rfm.f - 1] ?? 0) + 1;
  const rfm = heatmap(['R 5', 'R 4', 'R 3', 'R 2', 'R 1'], ['F 1', 'F 2', 'F 3', 'F 4', 'F 5'], grid, 44);
  const funnel = barChart(
    run.funnel.steps.map((s) => ({
      label: s.step,
      value: s.sessions,
      text: `${s.sessions} sessions, ${pct(s.dropOff)} drop-off`,
    })),
  );
  const figures = segments
    .map(
      (s) =>
        `<tr><td>${esc(s.name)} <code>${esc(s.id)}</code></td><td>${s.size}</td><td>${pct(s.figures.conversionRate)}</td><td>${s.figures.averageOrderValue.toFixed(2)}</td><td>${pct(s.figures.revenueShare)}</td><td>${pct(s.figures.retention30)}</td></tr>`,
    )
    .join('');
  const drift = run.drift
    ? `<p class="${run.drift.alert ? 'alert' : 'ok'}">${run.drift.alert ? `Drift alert: ${esc(run.drift.reasons.join('; '))}` : 'No significant drift since the last run.'}</p>
       ${barChart(run.drift.features.map((f) => ({ label: f.feature, value: f.psi })))}
       <table><tr><th>segment</th><th>share before</th><th>after</th><th>p</th></tr>${run.drift.shares
         .map(
           (s) =>
             `<tr><td>${esc(s.segmentId)}</td><td>${pct(s.before)}</td><td>${pct(s.after)}</td><td>${s.pValue.toExponential(1)}</td></tr>`,
         )
         .join('')}</table>`
    : '<p>First run: nothing to compare with.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Loupe segments · ${esc(run.at)}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:900px;color:#222}svg text{font:12px system-ui,sans-serif}
table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left}.alert{color:#b00020;font-weight:600}.ok{color:#2a7}</style></head>
<body><h1>Segments</h1>
<p>Run ${esc(run.id)}: ${run.events} events, ${run.profiles} profiles, ${run.anomalies} flagged as bots or fraud and kept out. ${esc(run.reason)}.</p>
<h2>Choosing k</h2>${criteria}
<h2>Segment sizes</h2>${sizes}
<h2>What sets them apart</h2><p>Centroids in robust units (0 = the median customer; red above, blue below).</p>${heat}
<h2>Business figures</h2><table><tr><th>segment</th><th>people</th><th>conversion</th><th>avg order</th><th>revenue share</th><th>30-day retention</th></tr>${figures}</table>
<h2>RFM grid</h2><p>Customers by recency and frequency quintile.</p>${rfm}
<h2>Funnel</h2>${funnel}
<h2>Drift against the last run</h2>${drift}
</body></html>
`;
}
