import type { FastifyPluginAsync } from 'fastify';

/**
 * Marks a plugin as shared: what it decorates is visible to its parent and siblings instead of
 * being encapsulated. This is exactly what the `fastify-plugin` package does (the same two symbols),
 * without adding it as a dependency for ten lines.
 */
export function sharedPlugin<Options extends object>(name: string, plugin: FastifyPluginAsync<Options>): FastifyPluginAsync<Options> {
  const marked = plugin as FastifyPluginAsync<Options> & Record<symbol, unknown>;
  marked[Symbol.for('skip-override')] = true;
  marked[Symbol.for('fastify.display-name')] = name;
  return plugin;
}
