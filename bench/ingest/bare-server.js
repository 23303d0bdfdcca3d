// The baseline: a bare Hono app on @hono/node-server that parses the JSON body and answers 200,
// with no auth, validation or storage. Prints its URL on stdout when listening.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.post('/v1/batch', async (c) => {
  const body = await c.req.json();
  const n = Array.isArray(body?.batch) ? body.batch.length : 0;
  return c.json({ accepted: n, duplicates: 0, rejected: [] });
});

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`${JSON.stringify({ msg: 'bare listening', url: `http://127.0.0.1:${info.port}` })}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
