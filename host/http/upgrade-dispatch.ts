// node's HTTP server hands every request that carries `Connection: Upgrade` to its 'upgrade'
// listeners and lets go of the connection. @fastify/websocket listens there and routes all of them
// itself; on a route without a WebSocket handler it answered and then dropped the socket, so the
// client's next request on that keep-alive connection failed. Here only a WebSocket handshake for
// a WebSocket route reaches the plugin. Any other upgrade request is given back to the HTTP server
// as the ordinary request it also is (RFC 9110 §7.8 lets a server ignore Upgrade): its head is
// replayed without the upgrade headers, so node parses it, its body included, answers it and keeps
// the connection open for the next one.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance, RouteOptions } from 'fastify';
import FindMyWay from 'find-my-way';

type UpgradeListener = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** Route options as @fastify/websocket reads them. */
interface WebSocketRouteOptions {
  websocket?: boolean;
  wsHandler?: unknown;
}

/**
 * Call before @fastify/websocket is registered: the onRoute hook records the WebSocket routes, and
 * once the app is ready the plugin's upgrade listener is moved behind the dispatcher.
 */
export function registerUpgradeDispatch(app: FastifyInstance): void {
  // The same router fastify uses, so a path matches here exactly when it matches there.
  const webSocketRoutes = FindMyWay();
  const noop = () => undefined;
  app.addHook('onRoute', (route: RouteOptions & WebSocketRouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const isWebSocket = route.websocket === true || typeof route.wsHandler === 'function';
    if (isWebSocket && methods.includes('GET')) webSocketRoutes.on('GET', route.url, noop);
  });
  app.addHook('onReady', async () => {
    const server = app.server;
    const delegates = server.listeners('upgrade') as UpgradeListener[];
    server.removeAllListeners('upgrade');
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const handshake =
        request.method === 'GET' &&
        /\bwebsocket\b/i.test(request.headers.upgrade ?? '') &&
        webSocketRoutes.find('GET', request.url ?? '/') !== null;
      if (handshake) for (const listener of delegates) listener.call(server, request, socket, head);
      else afterPendingResponses(socket, () => replayAsPlainRequest(server, request, socket, head));
    });
  });
}

/**
 * Runs `then` once no response to an earlier request on this connection is being sent. A client
 * may pipeline requests: the answers still owed are queued in the state of the connection as node
 * first took it, and only that state hands the socket from one to the next. Replaying earlier
 * would start a second state whose answers wait behind them forever (measured: 1 of 100 pipelined
 * requests answered).
 */
function afterPendingResponses(socket: Duplex, then: () => void): void {
  const current = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (current === undefined || current === null) return then();
  // node moves the socket to the next queued response in its own 'finish' listener, which runs first.
  current.once('finish', () => setImmediate(() => afterPendingResponses(socket, then)));
}

/** Gives the connection back to the HTTP server with the request head rewritten as a plain one. */
function replayAsPlainRequest(server: Server, request: IncomingMessage, socket: Duplex, head: Buffer): void {
  const lines = [`${request.method} ${request.url} HTTP/${request.httpVersion}`];
  const raw = request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    const lower = name.toLowerCase();
    if (lower === 'upgrade') continue;
    if (lower === 'connection') {
      const kept = value
        .split(',')
        .map((token) => token.trim())
        .filter((token) => token !== '' && token.toLowerCase() !== 'upgrade');
      if (kept.length > 0) lines.push(`${name}: ${kept.join(', ')}`);
      continue;
    }
    lines.push(`${name}: ${value}`);
  }
  // node decoded the head as latin1; writing it back the same way restores the bytes as sent.
  socket.unshift(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), head]));
  // node documents emitting 'connection' as the way to hand a socket to an HTTP server.
  server.emit('connection', socket);
}
