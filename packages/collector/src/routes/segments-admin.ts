import { barChart, escapeHtml as esc, FEATURE_NAMES, heatmap, lineChart, type SegmentStore } from '@loupe/segmenter';
import { Hono } from 'hono';
import { HttpError } from '../errors.js';
import { adminAuth } from '../middleware/admin-auth.js';
import { type SegmentsOverview, segmentsOverview } from '../services/segment-health.js';

export interface SegmentAdminDeps {
  adminToken: string | null;
  segments: SegmentStore | null;
  clock: () => Date;
  /** A last run older than this makes the health `stale` (default: two weeks, twice the default schedule). */
  staleAfterMs?: number;
}

const TWO_WEEKS = 14 * 86_400_000;

/** `GET /v1/admin/segments` (mounted at /v1/admin): segments with sizes, centroids, health and the last run. */
export function segmentAdminRoutes({ adminToken, segments, clock, staleAfterMs = TWO_WEEKS }: SegmentAdminDeps): Hono {
  const routes = new Hono();
  routes.use('/segments', adminAuth(adminToken));
  routes.get('/segments', async (c) => {
    if (!segments) throw new HttpError(501, 'not_supported', 'this storage adapter does not keep segments');
    return c.json(await segmentsOverview(segments, { now: clock(), staleAfterMs }));
  });
  return routes;
}

/**
 * `GET /dashboard` (admin token as Bearer or `?token=`): one self-contained page, inline CSS and SVG,
 * no scripts and no fetches, with segment health, drift and the funnel.
 */
export function dashboardRoutes({ adminToken, segments, clock, staleAfterMs = TWO_WEEKS }: SegmentAdminDeps): Hono {
  const routes = new Hono();
  routes.use('/dashboard', adminAuth(adminToken));
  routes.get('/dashboard', async (c) => {
    if (!segments) throw new HttpError(501, 'not_supported', 'this storage adapter does not keep segments');
    const overview = await segmentsOverview(segments, { now: clock(), staleAfterMs });
    return c.html(renderDashboard(overview), 200, {
      'Cache-Control': 'no-store',
      // The token may be in the URL: never send it on as a referrer, and load nothing from anywhere.
      'Referrer-Policy': 'no-referrer',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
    });
  });
  return routes;
}

const pct = (v: number | null) => (v === null ? '–' : `${(100 * v).toFixed(1)} %`);

export function renderDashboard({ health, lastRun, segments, runs }: SegmentsOverview): string {
  const banner = `<p class="status ${health.status}" data-status="${health.status}"><strong>${esc(health.status)}</strong>${
    health.reasons.length ? `: ${esc(health.reasons.join('; '))}` : ''
  }${health.lastRunAt ? ` · last run ${esc(health.lastRunAt)} (${(health.ageHours ?? 0).toFixed(1)} h ago)` : ''}</p>`;
  if (!lastRun) {
    return page(
      `${banner}<p>No segments yet. Run <code>loupe segment</code> or wait for the scheduled run of <code>loupe serve</code>.</p>`,
    );
  }
  const sizes = barChart(
    segments.flatMap((s) => [
      { label: `${s.name} (run)`, value: s.size, text: `${s.size} · ${pct(s.health.share)}` },
      { label: `${s.name} (now)`, value: s.health.liveSize, text: `${s.health.liveSize} live` },
    ]),
  );
  const table = segments
    .map(
      (s) =>
        `<tr data-segment="${esc(s.id)}"><td>${esc(s.name)} <code>${esc(s.id)}</code></td><td class="${s.health.status}">${s.health.status}</td><td>${s.size}</td><td>${s.health.liveSize}</td><td>${pct(s.health.share)}</td><td>${pct(s.health.shareBefore)}</td><td>${s.health.pValue === null ? '–' : s.health.pValue.toExponential(1)}</td><td>${pct(s.figures.conversionRate)}</td><td>${s.figures.averageOrderValue.toFixed(2)}</td><td>${pct(s.figures.revenueShare)}</td></tr>`,
    )
    .join('');
  const heat = heatmap(
    segments.map((s) => s.name),
    FEATURE_NAMES,
    segments.map((s) => s.centroid),
  );
  const drift = lastRun.drift
    ? `<p class="${lastRun.drift.alert ? 'drift' : 'ok'}">${lastRun.drift.alert ? `Drift alert: ${esc(lastRun.drift.reasons.join('; '))}` : 'No significant drift since the run before.'} Segment-share PSI ${lastRun.drift.segmentPsi.toFixed(3)}.</p>
       <h3>PSI per feature</h3>${barChart(lastRun.drift.features.map((f) => ({ label: f.feature, value: f.psi })))}`
    : '<p>First run: nothing to compare with yet.</p>';
  const funnel = barChart(
    lastRun.funnel.steps.map((s) => ({
      label: s.step,
      value: s.sessions,
      text: `${s.sessions} sessions, ${pct(s.dropOff)} drop-off`,
    })),
  );
  const ordered = [...runs].reverse();
  const history =
    ordered.length > 1
      ? lineChart(
          ordered.map((_, i) => i + 1),
          [
            { name: 'profiles', values: ordered.map((r) => r.profiles), color: '#4f6bed' },
            { name: 'flagged', values: ordered.map((r) => r.anomalies), color: '#d9822b' },
          ],
        )
      : '';
  const runRows = runs
    .map(
      (r) =>
        `<tr><td>${esc(r.at)}</td><td>${r.k}</td><td>${r.events}</td><td>${r.profiles}</td><td>${r.anomalies}</td><td>${r.driftAlert ? '<span class="drift">alert</span>' : 'ok'}</td></tr>`,
    )
    .join('');
  return page(`${banner}
<p>Run <code>${esc(lastRun.id)}</code>: ${lastRun.events} events, ${lastRun.profiles} profiles, ${lastRun.anomalies} flagged, k=${lastRun.k} (${esc(lastRun.reason)}).</p>
<h2>Segment health</h2>
<table><tr><th>segment</th><th>health</th><th>at run</th><th>now</th><th>share</th><th>share before</th><th>p</th><th>conversion</th><th>avg order</th><th>revenue</th></tr>${table}</table>
<h2>Sizes</h2>${sizes}
<h2>Centroids</h2><p>Robust units: 0 is the median profile; red above, blue below.</p>${heat}
<h2 id="drift">Drift</h2>${drift}
<h2 id="funnel">Funnel</h2>${funnel}
<h2>Runs</h2>${history}<table><tr><th>at</th><th>k</th><th>events</th><th>profiles</th><th>flagged</th><th>drift</th></tr>${runRows}</table>`);
}

function page(body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Loupe · segments</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:960px;padding:0 1rem;color:#222}svg{max-width:100%;height:auto}svg text{font:12px system-ui,sans-serif}
table{border-collapse:collapse;margin:.5rem 0}td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left}
.status{padding:.6rem 1rem;border-radius:6px;background:#eef7ee}.status.drift,.status.stale{background:#fdecea}.status.no-run{background:#f3f3f3}
.drift,.shifted{color:#b00020;font-weight:600}.ok{color:#1b7a3a}.small,.empty{color:#8a5a00}</style></head>
<body><h1>Segments</h1>
${body}
</body></html>
`;
}
