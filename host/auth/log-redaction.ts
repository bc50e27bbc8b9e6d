// pino `redact` paths that keep credentials out of the logs. Fastify's default request serializer
// logs no headers, but a custom serializer, an error object carrying the request, or a debug line
// logging `request.headers` would; these paths cover each of those shapes. Use as
// `pino({ redact: { paths: [...AUTH_REDACT_PATHS], censor: AUTH_REDACT_CENSOR } })`.

export const AUTH_REDACT_PATHS: readonly string[] = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'request.headers.authorization',
  '*.headers.authorization',
  '*.req.headers.authorization',
  '*.request.headers.authorization',
];

export const AUTH_REDACT_CENSOR = '[redacted]';
