import { describe, expect, it } from 'vitest';
import { parseColumns, parseOrderLines, splitLine, toOrderEvents } from './orders.js';
import { parseTime } from './parse-time.js';

describe('import of purchase history', () => {
  it('reads CSV with quotes, TSV and whitespace', () => {
    expect(splitLine('a,"b, c","d ""e"""', 'csv')).toEqual(['a', 'b, c', 'd "e"']);
    expect(splitLine('a\tb', 'tsv')).toEqual(['a', 'b']);
    expect(splitLine(' 00001 20210101  1   11.77\r', 'whitespace')).toEqual(['00001', '20210101', '1', '11.77']);
  });

  it('parses time patterns and ISO dates as UTC', () => {
    expect(new Date(parseTime('20210112', 'YYYYMMDD')).toISOString()).toBe('2021-01-12T00:00:00.000Z');
    expect(new Date(parseTime('3/7/2021 9:05', 'DD/MM/YYYY HH:mm')).toISOString()).toBe('2021-07-03T09:05:00.000Z');
    expect(new Date(parseTime('2021-02-03')).toISOString()).toBe('2021-02-03T00:00:00.000Z');
    expect(parseTime('13/13/2021', 'DD/MM/YYYY')).toBeNaN();
  });

  it('groups line items by order and turns cancellations into refunds', () => {
    const csv = [
      'InvoiceNo,CustomerID,InvoiceDate,Quantity,UnitPrice,StockCode',
      '536365,17850,2010-12-01T08:26:00Z,6,2.55,85123A',
      '536365,17850,2010-12-01T08:26:00Z,2,3.00,71053',
      'C536379,17850,2010-12-02T09:41:00Z,-1,2.55,85123A',
      '536366,13047,bad date,1,1,X',
    ];
    const { rows, problems } = parseOrderLines(csv, {
      format: 'csv',
      header: true,
      columns: parseColumns(
        'user=CustomerID,time=InvoiceDate,order=InvoiceNo,quantity=Quantity,price=UnitPrice,product=StockCode',
      ),
    });
    expect(problems).toEqual([{ line: 5, message: 'unreadable time "bad date"' }]);
    const events = toOrderEvents(rows);
    expect(events.map((e) => [e.event, e.properties?.revenue])).toEqual([
      ['Order Completed', 21.3],
      ['Order Refunded', 2.55],
    ]);
  });

  it('treats each line as an order without an order column, with stable message ids', () => {
    const lines = ['00002 20210112 1 12.00', '00002 20210112 5 77.00', '00002 20210112 1 12.00'];
    const options = {
      format: 'whitespace',
      header: false,
      columns: parseColumns('user=1,time=2,quantity=3,amount=4'),
      timeFormat: 'YYYYMMDD',
    } as const;
    const first = toOrderEvents(parseOrderLines(lines, options).rows);
    const again = toOrderEvents(parseOrderLines(lines, options).rows);
    expect(first).toHaveLength(3);
    expect(new Set(first.map((e) => e.messageId)).size).toBe(3);
    expect(again.map((e) => e.messageId)).toEqual(first.map((e) => e.messageId));
  });

  it('rejects a mapping without user, time or an amount', () => {
    expect(() => parseColumns('user=a,time=b')).toThrow(/amount/);
    expect(() => parseColumns('time=b,amount=c')).toThrow(/user/);
  });
});
