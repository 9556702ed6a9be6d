// The webhook endpoints on a plain Node HTTP server, calling exactly what the Next routes call
// (receiveWebhook). Integration tests and the benchmark use it to take real HTTP deliveries from
// the sandbox without building the app; the app itself serves these paths through app/api/webhooks.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { Db } from '../db/engine';
import { errorResponse } from '../http/errors';
import { receiveWebhook, type ReceiveOptions, type WebhookEndpoint } from './ingest';
import { webhookProvider } from './providers';

export interface WebhookServer {
  /** e.g. http://127.0.0.1:43121, no trailing slash. */
  url: string;
  close(): Promise<void>;
}

function endpointOf(pathname: string): WebhookEndpoint | null {
  const connection = /^\/api\/webhooks\/connections\/([^/]+)$/.exec(pathname);
  if (connection) return { connectionId: decodeURIComponent(connection[1]) };
  const provider = /^\/api\/webhooks\/([a-z0-9-]{1,40})$/.exec(pathname);
  return provider ? { provider: provider[1] } : null;
}

export async function serveWebhooks(db: Db, options: { port?: number; host?: string; receive?: () => ReceiveOptions } = {}): Promise<WebhookServer> {
  const host = options.host ?? '127.0.0.1';
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? host}`);
      const endpoint = endpointOf(url.pathname);
      let response: Response;
      if (!endpoint) response = errorResponse('not_found', 'Not found');
      // As the Next route answers a provider's HEAD probe of the address (route.ts, webhookProbe).
      else if (req.method === 'HEAD' && 'provider' in endpoint) response = new Response(null, { status: webhookProvider(endpoint.provider) ? 200 : 404 });
      // As the Next route answers a provider's GET validation of the address (route.ts, webhookHandshake).
      else if (req.method === 'GET' && 'provider' in endpoint) {
        response = webhookProvider(endpoint.provider)?.webhooks.handshake?.(new Request(url, { method: 'GET' })) ?? errorResponse('method_not_allowed', 'Use POST.');
      } else if (req.method !== 'POST') response = errorResponse('method_not_allowed', 'Use POST.');
      else {
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) {
          if (Array.isArray(value)) for (const item of value) headers.append(name, item);
          else if (value !== undefined) headers.set(name, value);
        }
        const body = Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>;
        const request = new Request(url, { method: 'POST', headers, body, duplex: 'half' } as RequestInit);
        response = await receiveWebhook(db, request, endpoint, options.receive?.());
      }
      // A refusal before the body was read (413): this socket's leftover bytes are unusable.
      if (!req.complete) res.setHeader('connection', 'close');
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    })().catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: (error as Error).message }));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
