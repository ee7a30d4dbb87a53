import { readFile } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorMessage } from '@sqsref/sqs-transport';
import type { ConsoleApi } from './console-api.js';
import { ConsoleError, InvalidRequestError } from './errors.js';

/** The browser's files: next to this module in src/ (tests) and dist/ (the build copies them). */
const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));
const STATIC_FILES: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/app.js': 'app.js',
  '/style.css': 'style.css',
};
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};
/** The largest request body the API reads, in bytes. */
const MAX_BODY_BYTES = 64 * 1024;

type Handler = (body: unknown, match: RegExpExecArray) => Promise<unknown> | unknown;

/**
 * The console's HTTP server: the static page and a small JSON API. A POST must carry a JSON body
 * (`content-type: application/json`), which a form on another site cannot send without the browser asking first.
 */
export function createConsoleServer(api: ConsoleApi, ready: () => Promise<boolean>): Server {
  const routes: Array<{ method: 'GET' | 'POST'; path: RegExp; handle: Handler }> = [
    { method: 'GET', path: /^\/api\/queues$/, handle: () => api.queues() },
    { method: 'GET', path: /^\/api\/orders$/, handle: () => api.orderTimelines() },
    { method: 'POST', path: /^\/api\/orders\/demo$/, handle: (body) => api.placeDemoOrders(body) },
    { method: 'GET', path: /^\/api\/charts$/, handle: () => api.chartSamples() },
    { method: 'GET', path: /^\/api\/dead-letters$/, handle: () => api.deadLetters() },
    {
      method: 'POST',
      path: /^\/api\/dead-letters\/([^/]+)\/redrive$/,
      handle: (body, match) => api.redrive(decodeURIComponent(match[1] ?? ''), body),
    },
  ];

  return createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => sendError(response, error));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://console').pathname;
    if (request.method === 'GET' && path === '/health') return sendJson(response, 200, { status: 'ok' });
    if (request.method === 'GET' && path === '/ready') {
      const ok = await ready().catch(() => false);
      return sendJson(response, ok ? 200 : 503, { status: ok ? 'ready' : 'SQS does not answer' });
    }
    const file = request.method === 'GET' ? STATIC_FILES[path] : undefined;
    if (file) {
      const content = await readFile(`${PUBLIC_DIR}${file}`);
      response.writeHead(200, {
        'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
      });
      response.end(content);
      return;
    }
    for (const route of routes) {
      const match = route.path.exec(path);
      if (!match || route.method !== request.method) continue;
      const body = route.method === 'POST' ? await readJsonBody(request) : undefined;
      return sendJson(response, 200, await route.handle(body, match));
    }
    sendJson(response, 404, { code: 'CONSOLE_NOT_FOUND', message: `No ${request.method} ${path} here.` });
  }
}

async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
    throw new InvalidRequestError('content-type: send the body as application/json');
  }
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new InvalidRequestError(`body: at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InvalidRequestError('body: not valid JSON');
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, error: unknown): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  if (error instanceof ConsoleError) sendJson(response, error.status, { code: error.code, message: error.message });
  else sendJson(response, 500, { code: 'CONSOLE_FAILED', message: errorMessage(error) });
}
