import { ApiError } from './errors.ts';
import { sharedPlugin } from './plugin.ts';

/**
 * Where the process is in its life, for /ready and for requests arriving while it closes:
 *
 *   starting (network loading) → ready → shutting down (/ready 503, still serving)
 *     → closing (new requests refused, those in flight finish) → closed (onClose hooks: the worker
 *       pool is destroyed; jobs will checkpoint there)
 *
 * `shuttingDown` is set by server.ts on SIGTERM, or by closing itself; `closing` when `app.close()`
 * begins. Code that must run on the way out adds an `onClose` hook: it runs after the requests in
 * flight have been answered.
 */
export interface Lifecycle {
  shuttingDown: boolean;
  closing: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    lifecycle: Lifecycle;
  }
}

export const lifecyclePlugin = sharedPlugin('lifecycle', async (app) => {
  const lifecycle: Lifecycle = { shuttingDown: false, closing: false };
  app.decorate('lifecycle', lifecycle);
  app.addHook('preClose', async () => {
    lifecycle.shuttingDown = true;
    lifecycle.closing = true;
  });
  // Fastify's own answer to requests arriving while closing is a bare JSON 503 (return503OnClosing,
  // turned off in app.ts): this one is a problem document like every other error.
  app.addHook('onRequest', async (request, reply) => {
    if (!lifecycle.closing || request.routeOptions.config?.operational) return;
    reply.header('connection', 'close');
    throw new ApiError('NOT_READY', 'the server is shutting down; retry, another instance will answer');
  });
  // A keep-alive connection would hold the close open until the client or keepAliveTimeout ends
  // it: answers sent while closing end their connection.
  app.addHook('onSend', async (_request, reply) => {
    if (lifecycle.closing) reply.header('connection', 'close');
  });
});
