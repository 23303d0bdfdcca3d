import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate, inflateRaw, type ZlibOptions } from 'node:zlib';
import type { Context } from 'hono';

/** Why a body was not read: the caller answers with this status and reason. */
export interface BodyRefusal {
  status: 400 | 413 | 415;
  code: 'request_too_large' | 'unsupported_encoding' | 'invalid_encoding';
  message: string;
}

/**
 * The request body as UTF-8 text, or why it was refused: larger than `maxBytes` (as sent or once
 * decompressed), or in a content coding that is unknown or does not decode.
 *
 * Under @hono/node-server the body is read straight from the socket's `IncomingMessage`: the web
 * `Request` that `c.req.text()` needs is otherwise never built, and building it (headers, an
 * AbortSignal, a web stream over the socket) cost more per request than the whole parse-and-ack
 * server spends. Elsewhere (`app.request()` in tests, other runtimes) the standard body is read.
 */
export async function readBodyText(c: Context, maxBytes: number): Promise<string | BodyRefusal> {
  const header = c.req.header('content-encoding');
  const coding = contentCoding(header);
  if (coding === undefined) {
    return {
      status: 415,
      code: 'unsupported_encoding',
      message: `Content-Encoding "${(header ?? '').slice(0, 64)}" is not supported: send the body as it is, or in one of ${Object.keys(DECODERS).join(', ')}`,
    };
  }
  const tooLarge: BodyRefusal = {
    status: 413,
    code: 'request_too_large',
    message: `request body is larger than ${maxBytes} bytes${coding === 'identity' ? '' : ' once decompressed'}`,
  };
  const declared = c.req.header('content-length');
  if (declared !== undefined && c.req.header('transfer-encoding') === undefined && Number(declared) > maxBytes)
    return tooLarge;
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  let bytes =
    incoming && !incoming.readableDidRead
      ? await readIncoming(incoming, maxBytes)
      : await readStandard(c.req.raw, maxBytes);
  if (bytes === null) return tooLarge;
  if (coding !== 'identity') {
    const decoded = await decode(coding, bytes, maxBytes);
    if (decoded === 'too_large') return tooLarge;
    if (decoded === 'invalid') {
      return { status: 400, code: 'invalid_encoding', message: `body is not valid ${coding} data` };
    }
    bytes = decoded;
  }
  // What Request.text() does: decode as UTF-8 (bad sequences become U+FFFD) without a leading BOM.
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

type Decoder = (input: Buffer, options: ZlibOptions) => Promise<Buffer>;
const gunzipAsync = promisify(gunzip) as Decoder;
const inflateAsync = promisify(inflate) as Decoder;
const inflateRawAsync = promisify(inflateRaw) as Decoder;
const brotliAsync = promisify(brotliDecompress) as Decoder;

/**
 * The request codings understood: Segment's Java library and RudderStack's Node SDK gzip their
 * batches by default, Segment's Python library on request. HTTP's "deflate" is zlib-wrapped, but
 * some clients send raw deflate under that name: both are read.
 */
const DECODERS: Record<string, Decoder> = {
  gzip: gunzipAsync,
  deflate: (input, options) => inflateAsync(input, options).catch(() => inflateRawAsync(input, options)),
  br: brotliAsync,
};

/** The one coding a body is in ('identity' for none), or undefined when it is unknown or more than one. */
function contentCoding(header: string | undefined): string | undefined {
  if (header === undefined) return 'identity';
  const codings = header
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity')
    .map((c) => (c === 'x-gzip' ? 'gzip' : c));
  if (codings.length === 0) return 'identity';
  if (codings.length > 1) return undefined;
  const coding = codings[0] as string;
  return Object.hasOwn(DECODERS, coding) ? coding : undefined;
}

/**
 * Decompressed with an output bound, so a small body that inflates to gigabytes (a zip bomb) costs
 * at most `maxBytes` of memory before it is refused; zlib runs on libuv's thread pool, off the
 * thread that answers requests.
 */
async function decode(coding: string, bytes: Buffer, maxBytes: number): Promise<Buffer | 'too_large' | 'invalid'> {
  try {
    return await (DECODERS[coding] as Decoder)(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    return (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? 'too_large' : 'invalid';
  }
}

function readIncoming(incoming: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (value: Buffer | null) => {
      incoming.off('data', onData).off('end', onEnd).off('error', onError);
      resolve(value);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        incoming.pause();
        done(null);
      } else chunks.push(chunk);
    };
    const onEnd = () => done(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    const onError = (error: Error) => {
      incoming.off('data', onData).off('end', onEnd).off('error', onError);
      reject(error);
    };
    incoming.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

async function readStandard(request: Request, maxBytes: number): Promise<Buffer | null> {
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}
