import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/**
 * The request body as UTF-8 text, or `null` once it passes `maxBytes` (the caller answers 413).
 *
 * Under @hono/node-server the body is read straight from the socket's `IncomingMessage`: the web
 * `Request` that `c.req.text()` needs is otherwise never built, and building it (headers, an
 * AbortSignal, a web stream over the socket) cost more per request than the whole parse-and-ack
 * server spends. Elsewhere (`app.request()` in tests, other runtimes) the standard body is read.
 */
export async function readBodyText(c: Context, maxBytes: number): Promise<string | null> {
  const declared = c.req.header('content-length');
  if (declared !== undefined && c.req.header('transfer-encoding') === undefined && Number(declared) > maxBytes)
    return null;
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const bytes =
    incoming && !incoming.readableDidRead
      ? await readIncoming(incoming, maxBytes)
      : await readStandard(c.req.raw, maxBytes);
  if (bytes === null) return null;
  // What Request.text() does: decode as UTF-8 (bad sequences become U+FFFD) without a leading BOM.
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
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
