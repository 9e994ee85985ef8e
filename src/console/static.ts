/**
 * Serves the built single-page console (web/dist) under /console/. Without a build, /console/ says how
 * to make one instead of failing obscurely.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

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
