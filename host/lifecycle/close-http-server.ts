// Closes the HTTP side for shutdown: no new connections, in-flight requests finish, and each
// keep-alive connection is closed as soon as it has no request in flight.
// server.close() ends only the connections that are idle at that instant. One whose request was
// still running stays open after its response until the client or keepAliveTimeout (72 s by
// fastify's default) closes it (fastify/fastify#7044), which held shutdown past its timeout and
// skipped closing the database. So idle connections are swept again until the server has closed.
import type { FastifyInstance } from 'fastify';

const SWEEP_INTERVAL_MS = 50;

export async function closeHttpServer(app: FastifyInstance): Promise<void> {
  const sweep = setInterval(() => app.server.closeIdleConnections(), SWEEP_INTERVAL_MS);
  sweep.unref();
  try {
    await app.close();
  } finally {
    clearInterval(sweep);
  }
}
