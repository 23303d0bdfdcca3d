import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanBody } from './body-scan.js';

const nested = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

describe('scanBody', () => {
  it('lets an ordinary batch skip the deep scan and the per-event size check', () => {
    const body = JSON.stringify({
      sentAt: '2024-06-01T12:00:00.000Z',
      batch: [
        {
          type: 'track',
          event: 'Product Added',
          userId: 'u1',
          messageId: '3e4f1e2e-9e1a',
          properties: { price: 9.5, ok: true, no: false, tags: ['a', 'b'], nested: { x: { y: 1 } } },
        },
      ],
    });
    expect(scanBody(body)).toEqual({ deepCheck: false, sizeBounded: true });
  });

  it('asks for the deep scan when a prototype key or a NUL escape appears anywhere', () => {
    for (const text of ['{"__proto__":{}}', '{"a":{"constructor":1}}', '{"prototype":1}', '{"a":"x\\u0000y"}']) {
      expect(scanBody(text).deepCheck, text).toBe(true);
    }
  });

  it('asks for the deep scan when a key is spelled with unicode escapes', () => {
    const text = '{"\\u005f_proto__":{"polluted":true}}';
    expect(JSON.parse(text)).toHaveProperty(['__proto__']);
    expect(scanBody(text).deepCheck).toBe(true);
  });

  it('asks for the deep scan past the nesting bound, even with brackets hidden in strings before it', () => {
    expect(scanBody(nested(16)).deepCheck).toBe(false);
    expect(scanBody(nested(17)).deepCheck).toBe(true);
    const disguised = `{"a":"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]","b":${nested(40)}}`;
    expect(scanBody(disguised).deepCheck).toBe(true);
  });

  it('does not count brackets inside strings or after escaped quotes as nesting', () => {
    expect(scanBody(JSON.stringify({ a: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[' })).deepCheck).toBe(false);
    expect(scanBody('{"a":"say \\"[[[[[[[[[[[[[[[[[[[[[[[[[[[\\" loudly"}').deepCheck).toBe(false);
  });

  it('does not bound event sizes by the body when a number has an exponent, which serializes longer', () => {
    for (const text of ['{"n":9e20}', '{"n":1E+20}', '{"n":[1.5e3]}', '{"n":2.e5}']) {
      expect(scanBody(text).sizeBounded, text).toBe(false);
    }
    expect(JSON.stringify(JSON.parse('9e20')).length).toBeGreaterThan(4);
  });

  it('still bounds sizes for e in strings and in true and false', () => {
    expect(scanBody('{"id":"1e20","ok":true,"no":false,"n":-0.5}').sizeBounded).toBe(true);
  });

  it('makes no promise about sizes for bodies with unicode escapes (they get the deep scan anyway)', () => {
    expect(scanBody('{"a":"\\u00e9"}')).toEqual({ deepCheck: true, sizeBounded: false });
  });

  it('holds its promise: a size-bounded body never yields a value that serializes longer', () => {
    const samples = [
      '{"b":"é😀","c":[1.0,0.10,-0,100,0.0000001,123456789012345678901234]}',
      '{"d":"\\n\\t\\"\\\\\\/","e":{"f":null,"g":true,"h":false}, "i" : [ 1 , 2 ] }',
      '{"k":1,"k":2,"long":0.1000000000000000055511151231257827}',
    ];
    for (const text of samples) {
      expect(scanBody(text).sizeBounded, text).toBe(true);
      expect(Buffer.byteLength(JSON.stringify(JSON.parse(text))), text).toBeLessThanOrEqual(Buffer.byteLength(text));
    }
  });

  it('decides as a character-by-character reading does, for any JSON text (strings full of quotes, backslashes and brackets)', () => {
    // The reading scanBody replaced: every character visited, escapes and strings tracked one by one.
    const reference = (text: string, maxDepth = 16) => {
      if (/__proto__|constructor|prototype|\\u/.test(text)) return { deepCheck: true, sizeBounded: false };
      let depth = 0;
      let inString = false;
      let sizeBounded = true;
      for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (inString) {
          if (c === '\\') i++;
          else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === '{' || c === '[') {
          if (++depth > maxDepth) return { deepCheck: true, sizeBounded: false };
        } else if (c === '}' || c === ']') depth--;
        else if ((c === 'e' || c === 'E') && /[0-9.]/.test(text[i - 1] ?? '')) sizeBounded = false;
      }
      return { deepCheck: false, sizeBounded };
    };
    const tricky = fc.string({ unit: fc.constantFrom('"', '\\', '[', ']', '{', '}', 'e', '1', '.', 'a', ' ', '\n') });
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        tricky,
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(tricky, tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, fc.boolean(), (v, spaced) => {
        const text = JSON.stringify({ batch: [v] }, null, spaced ? 1 : undefined);
        expect(scanBody(text)).toEqual(reference(text));
      }),
      { numRuns: 2000 },
    );
    // Deep nesting and raw text the serializer never writes: escaped quotes in runs, whitespace around numbers.
    for (const text of [
      '{"a":"\\\\","b":[[[[1e5]]]]}',
      '{"a":"x\\"y\\\\"}',
      '[ 1 , 2E3 ]',
      nested(30),
      '{"a":"\\\\\\"[[[["}',
    ]) {
      expect(scanBody(text), text).toEqual(reference(text));
    }
  });
});
