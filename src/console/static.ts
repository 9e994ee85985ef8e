/**
 * Serves the built single-page console (web/dist) under /console/. Without a build, /console/ says how
 * to make one instead of failing obscurely.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * The console page may load only its own bundle. The Vite build emits one script and one stylesheet
 * under /console/assets (no inline script or <style>; React's `style` props go through the CSSOM, which
 * CSP does not govern); Cloudscape's fonts are data: URLs inside that stylesheet and the page's icon is
 * `data:,`. It talks only to its own origin, and no other site may frame it (clickjacking).
 */
export const CONSOLE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "object-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every answer under /console/ that is not the API (the page, its assets, the "not built" notice). */
export const CONSOLE_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONSOLE_CONTENT_SECURITY_POLICY,
  // For browsers that predate frame-ancestors.
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  // Console URLs name users, roles and policies: no other site needs to learn them.
  'referrer-policy': 'no-referrer',
};

/** web/dist beside the package root, whether running from src/ (tsx) or dist/src/ (compiled). */
export function defaultWebRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'web', 'dist');
    dir = dirname(dir);
  }
  return join(process.cwd(), 'web', 'dist');
}

export async function registerConsoleStatic(app: FastifyInstance, webRoot: string = defaultWebRoot()): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('onRequest', async (_request, reply) => {
      reply.headers(CONSOLE_PAGE_HEADERS);
    });
    await consolePages(scope, webRoot);
  });
}

async function consolePages(app: FastifyInstance, webRoot: string): Promise<void> {
  app.get('/console', async (_request, reply) => reply.redirect('/console/'));
  if (!existsSync(join(webRoot, 'index.html'))) {
    app.get('/console/', async (_request, reply) =>
      reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The console has not been built. Run `npm run build:web` (vite build web), then reload.'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: webRoot,
    prefix: '/console/',
    decorateReply: false,
    index: ['index.html'],
    // Hashed asset names never change content; the page itself must always be fresh.
    setHeaders: (reply, path) => {
      reply.header('cache-control', path.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable');
    },
  });
}
