/** Escapes text for HTML and SVG. */
export const esc = (s: string | number): string =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3));

/** Horizontal bars with labels and values. */
export function barChart(items: readonly { label: string; value: number; text?: string }[], width = 560): string {
  const max = Math.max(1e-9, ...items.map((i) => i.value));
  const row = 24;
  const labelW = 170;
  const bars = items
    .map((item, i) => {
      const w = ((width - labelW - 70) * Math.max(0, item.value)) / max;
      const y = i * row;
      return `<text x="0" y="${y + 16}">${esc(item.label)}</text><rect x="${labelW}" y="${y + 4}" width="${w.toFixed(1)}" height="16" fill="#4f6bed"/><text x="${labelW + w + 6}" y="${y + 16}">${esc(item.text ?? fmt(item.value))}</text>`;
    })
    .join('');
  return `<svg viewBox="0 0 ${width} ${items.length * row + 4}" width="${width}" role="img">${bars}</svg>`;
}

/** One or more lines over x = k. */
export function lineChart(
  xs: readonly number[],
  series: readonly { name: string; values: readonly number[]; color: string }[],
  width = 560,
  height = 200,
): string {
  const pad = 34;
  const all = series.flatMap((s) => s.values);
  const lo = Math.min(0, ...all);
  const hi = Math.max(1e-9, ...all);
  const x = (i: number) => pad + ((width - 2 * pad) * i) / Math.max(1, xs.length - 1);
  const y = (v: number) => height - pad - ((height - 2 * pad) * (v - lo)) / (hi - lo || 1);
  const lines = series
    .map((s) => {
      const points = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      const dots = s.values
        .map(
          (v, i) =>
            `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${s.color}"><title>${esc(`${s.name} k=${xs[i]}: ${fmt(v)}`)}</title></circle>`,
        )
        .join('');
      return `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${points}"/>${dots}`;
    })
    .join('');
  const ticks = xs
    .map((k, i) => `<text x="${x(i).toFixed(1)}" y="${height - 10}" text-anchor="middle">${k}</text>`)
    .join('');
  const legend = series
    .map((s, i) => `<text x="${pad + i * 130}" y="14" fill="${s.color}">■ ${esc(s.name)}</text>`)
    .join('');
  return `<svg viewBox="0 0 ${width} ${height}" width="${width}" role="img"><line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" stroke="#999"/>${lines}${ticks}${legend}</svg>`;
}

/** A grid of cells colored by value (−max..max: blue..red), with row and column labels. */
export function heatmap(
  rows: readonly string[],
  cols: readonly string[],
  values: readonly (readonly number[])[],
  cell = 34,
): string {
  const labelW = 150;
  const headH = 110;
  const max = Math.max(1e-9, ...values.flat().map(Math.abs));
  const color = (v: number) => {
    const t = Math.max(-1, Math.min(1, v / max));
    const r = t > 0 ? 255 : Math.round(255 * (1 + t));
    const b = t < 0 ? 255 : Math.round(255 * (1 - t));
    const g = Math.round(255 * (1 - Math.abs(t)));
    return `rgb(${r},${g},${b})`;
  };
  const head = cols
    .map(
      (c, j) =>
        `<text transform="translate(${labelW + j * cell + cell / 2},${headH - 4}) rotate(-60)">${esc(c)}</text>`,
    )
    .join('');
  const body = rows
    .map((r, i) => {
      const y = headH + i * cell;
      const cells = cols
        .map((c, j) => {
          const v = values[i]?.[j] ?? 0;
          return `<rect x="${labelW + j * cell}" y="${y}" width="${cell - 1}" height="${cell - 1}" fill="${color(v)}"><title>${esc(`${r} · ${c}: ${fmt(v)}`)}</title></rect>`;
        })
        .join('');
      return `<text x="0" y="${y + cell / 2 + 4}">${esc(r)}</text>${cells}`;
    })
    .join('');
  const width = labelW + cols.length * cell + 10;
  return `<svg viewBox="0 0 ${width} ${headH + rows.length * cell + 4}" width="${width}" role="img">${head}${body}</svg>`;
}
