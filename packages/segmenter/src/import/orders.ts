import type { TrackEvent } from '@loupe/schema';
import { parseTime } from './parse-time.js';

export type ImportFormat = 'csv' | 'tsv' | 'whitespace';

/** Which column holds what: header names, or 1-based positions for files without a header. */
export interface ImportColumns {
  user: string;
  time: string;
  order?: string;
  /** The line's total; or give quantity and price. */
  amount?: string;
  quantity?: string;
  price?: string;
  product?: string;
}

export interface ImportOptions {
  format: ImportFormat;
  header: boolean;
  columns: ImportColumns;
  /** Pattern for `parseTime` (e.g. `YYYYMMDD`, `DD/MM/YYYY HH:mm`); ISO 8601 when absent. */
  timeFormat?: string;
}

/** Parses `user=customer_id,time=date,amount=total` into columns. */
export function parseColumns(spec: string): ImportColumns {
  const entries = spec.split(',').map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) throw new RangeError(`bad column mapping "${pair}": use name=column`);
    return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()] as const;
  });
  const known = new Set(['user', 'time', 'order', 'amount', 'quantity', 'price', 'product']);
  for (const [name] of entries) if (!known.has(name)) throw new RangeError(`unknown column role "${name}"`);
  const columns = Object.fromEntries(entries) as Partial<ImportColumns>;
  if (!columns.user || !columns.time) throw new RangeError('the mapping needs user= and time=');
  if (!columns.amount && !(columns.quantity && columns.price))
    throw new RangeError('the mapping needs amount= or quantity= and price=');
  return columns as ImportColumns;
}

/** Splits one line of a CSV (RFC 4180 quotes), TSV or whitespace-separated file. */
export function splitLine(line: string, format: ImportFormat): string[] {
  if (format === 'whitespace') return line.trim().split(/\s+/);
  if (format === 'tsv') return line.split('\t');
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

export interface OrderLine {
  user: string;
  at: number;
  order: string | null;
  amount: number;
  quantity: number;
  product: string | null;
}

export interface ParseProblem {
  line: number;
  message: string;
}

/** Turns lines of a file into order lines; bad lines are reported, not fatal. */
export function parseOrderLines(
  lines: Iterable<string>,
  options: ImportOptions,
): { rows: OrderLine[]; problems: ParseProblem[] } {
  const rows: OrderLine[] = [];
  const problems: ParseProblem[] = [];
  let index: ((role: keyof ImportColumns) => number) | null = null;
  let n = 0;
  for (const raw of lines) {
    n += 1;
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    const cells = splitLine(line, options.format);
    if (index === null) {
      if (options.header) {
        const names = cells.map((c) => c.trim());
        index = (role) => {
          const col = options.columns[role];
          return col === undefined ? -1 : names.indexOf(col);
        };
        for (const role of ['user', 'time'] as const) {
          if (index(role) < 0) throw new RangeError(`no column "${options.columns[role]}" in the header`);
        }
        continue;
      }
      index = (role) => {
        const col = options.columns[role];
        return col === undefined ? -1 : Number(col) - 1;
      };
    }
    const get = (role: keyof ImportColumns) => {
      const i = (index as (r: keyof ImportColumns) => number)(role);
      return i < 0 ? undefined : cells[i]?.trim();
    };
    const user = get('user');
    const at = parseTime(get('time') ?? '', options.timeFormat);
    const quantity = Number(get('quantity') ?? '1');
    const amountText = get('amount');
    const amount = amountText !== undefined ? Number(amountText) : quantity * Number(get('price'));
    if (!user) problems.push({ line: n, message: 'no user' });
    else if (Number.isNaN(at)) problems.push({ line: n, message: `unreadable time "${get('time')}"` });
    else if (!Number.isFinite(amount) || !Number.isFinite(quantity))
      problems.push({ line: n, message: 'amount is not a number' });
    else rows.push({ user, at, order: get('order') || null, amount, quantity, product: get('product') || null });
  }
  return { rows, problems };
}

/** 53-bit string hash (cyrb53): deterministic message ids, so importing twice stores nothing new. */
function hash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** Cancelled orders in shop exports are marked by an order id starting with C (as in UCI Online Retail). */
const isCancelled = (order: string | null) => order !== null && /^C\d/.test(order);

/**
 * Groups order lines into `Order Completed` events (line items by order; without an order column
 * every line is its own order) and turns negative quantities, negative amounts and cancelled orders
 * into `Order Refunded` events that reduce monetary value. Message ids derive from the content, so a
 * second import of the same file is all duplicates.
 */
export function toOrderEvents(rows: readonly OrderLine[]): TrackEvent[] {
  const groups = new Map<string, OrderLine[]>();
  const seen = new Map<string, number>();
  for (const row of rows) {
    const refund = row.quantity < 0 || row.amount < 0 || isCancelled(row.order);
    let id: string;
    if (row.order !== null) {
      id = `${row.user}\u0000${row.order}\u0000${refund ? 'R' : 'O'}`;
    } else {
      // Identical lines are distinct purchases: number them by occurrence.
      const base = `${row.user}\u0000${row.at}\u0000${row.amount}\u0000${row.quantity}\u0000${row.product ?? ''}`;
      const count = (seen.get(base) ?? 0) + 1;
      seen.set(base, count);
      id = `${base}\u0000${count}${refund ? 'R' : 'O'}`;
    }
    const group = groups.get(id);
    if (group) group.push(row);
    else groups.set(id, [row]);
  }
  const events: TrackEvent[] = [];
  for (const [id, lines] of groups) {
    const first = lines[0] as OrderLine;
    const refund = id.endsWith('R');
    const revenue = Math.round(lines.reduce((s, l) => s + Math.abs(l.amount), 0) * 100) / 100;
    const orderId = first.order ?? `import-${hash(id)}`;
    events.push({
      type: 'track',
      event: refund ? 'Order Refunded' : 'Order Completed',
      messageId: `import-${hash(id)}`,
      userId: first.user,
      timestamp: new Date(Math.min(...lines.map((l) => l.at))).toISOString(),
      properties: {
        order_id: orderId,
        revenue,
        products: lines.map((l) => ({
          ...(l.product ? { product_id: l.product } : {}),
          quantity: Math.abs(l.quantity),
          price: l.quantity === 0 ? Math.abs(l.amount) : Math.abs(l.amount / l.quantity),
        })),
      },
      context: { library: { name: 'loupe-import', version: '1' } },
    });
  }
  return events.sort((a, b) => ((a.timestamp ?? '') < (b.timestamp ?? '') ? -1 : 1));
}
