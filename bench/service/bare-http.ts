// The ceiling: bare node:http on the same machine answering the same requests with no work. It
// reads each request body to the end (the service must too), then answers with the status and a
// body of the size the service would send: 201 and nothing for POST /events, a capture job for
// POST /capture, and `getBytes` bytes of JSON for GET. Prints {"port": n} once it listens.
import http from 'node:http';

const { getBytes } = JSON.parse(process.argv[2] ?? '{}') as { getBytes?: number };
const getBody = Buffer.from(JSON.stringify({ pad: 'x'.repeat(Math.max(0, (getBytes ?? 2) - 10)) }));
const jobBody = Buffer.from(
  JSON.stringify({
    captureID: '00000000-0000-4000-8000-000000000000',
    createdAt: new Date(0).toISOString(),
    finishedAt: new Date(0).toISOString(),
    running: false,
    success: true,
    captureErrorBehaviour: 'rollback',
    errors: [],
  }),
);

const server = http.createServer((request, response) => {
  request.on('data', () => {});
  request.on('end', () => {
    if (request.method === 'POST' && request.url === '/events') {
      response.writeHead(201, { location: '/events/x' }).end();
    } else if (request.method === 'POST') {
      response.writeHead(202, { 'content-type': 'application/json', location: '/capture/x' }).end(jobBody);
    } else {
      response.writeHead(200, { 'content-type': 'application/ld+json' }).end(getBody);
    }
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ port: typeof address === 'object' && address !== null ? address.port : 0 }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)).closeAllConnections());
