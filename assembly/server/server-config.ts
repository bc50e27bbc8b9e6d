// tracker-server.wasm's settings from its arguments and environment, named as the Node service
// names them (host/config/settings.ts): `--port` / PORT, `--data-dir` / DATA_DIR, `--sidecar-port`
// / SIDECAR_PORT (where the sidecar, the Node service, listens on 127.0.0.1) and
// `--journal-segment-bytes` / JOURNAL_SEGMENT_BYTES (default 64 MiB), flags win.
// WasmEdge passes no environment unless asked (`wasmedge --env PORT=8080`), and the data directory
// must be mapped into the sandbox (`--dir /data:/data`). An unknown or malformed key stops the start.

export class ServerConfig {
  port: i32 = 8080;
  sidecarPort: i32 = 8081;
  dataDir: string = './data';
  /** The journal's active segment is closed at the first sync after it reaches this size. */
  journalSegmentBytes: i64 = 64 << 20;
  /** `--api-keys-file` / API_KEYS_FILE (auth/api-key-file.ts); null: open mode, loopback only. */
  apiKeysFile: string | null = null;
  /** `--host` / HOST: where to listen when API keys are configured (auth/listen-address.ts). */
  host: string = '0.0.0.0';
  /** `--auth-failure-limit` / AUTH_FAILURE_LIMIT: failed authentications per client and window. */
  authFailureLimit: i32 = 10;
  /** `--auth-failure-window` / AUTH_FAILURE_WINDOW (a duration: 500ms, 10s, 5m, 1h). */
  authFailureWindowMs: i64 = 60_000;
  /** Set when the arguments or environment cannot be used; the start stops with it. */
  error: string | null = null;
}

// Access control: the Node service's names, defaults, ranges and duration form (host/config/settings.ts).
const ACCESS_ENV: string[] = ['API_KEYS_FILE', 'HOST', 'AUTH_FAILURE_LIMIT', 'AUTH_FAILURE_WINDOW'];
const ACCESS_FLAGS: string[] = ['--api-keys-file', '--host', '--auth-failure-limit', '--auth-failure-window'];

function accessEnvIndex(entry: string): i32 {
  for (let k = 0; k < ACCESS_ENV.length; k++) if (entry.startsWith(unchecked(ACCESS_ENV[k]) + '=')) return k;
  return -1;
}

/** parse-value.ts parseDuration: /^(\d+(?:\.\d+)?)(ms|s|m|h)$/ in milliseconds, or -1. */
function parseDurationMs(text: string): i64 {
  let unitAt = 0;
  let dots = 0;
  while (unitAt < text.length) {
    const c = text.charCodeAt(unitAt);
    if (c == 0x2e) dots++;
    else if (c < 0x30 || c > 0x39) break;
    unitAt++;
  }
  const number = text.substring(0, unitAt);
  const unit = text.substring(unitAt);
  const ok =
    number.length > 0 &&
    dots <= 1 &&
    !number.startsWith('.') &&
    !number.endsWith('.') &&
    unitAt < text.length;
  const scale: f64 =
    unit == 'ms' ? 1 : unit == 's' ? 1000 : unit == 'm' ? 60_000 : unit == 'h' ? 3_600_000 : 0;
  if (!ok || scale == 0) return -1;
  return <i64>Math.round(F64.parseFloat(number) * scale);
}

function applyAccess(index: i32, text: string, config: ServerConfig, source: string): void {
  const value = text.trim();
  if (index <= 1) {
    if (value.length == 0) config.error = source + ' must not be empty';
    else if (index == 0) config.apiKeysFile = value;
    else config.host = value;
  } else if (index == 2) {
    let ok = value.length > 0 && value.length <= 8;
    for (let i = 0; ok && i < value.length; i++)
      ok = value.charCodeAt(i) >= 0x30 && value.charCodeAt(i) <= 0x39;
    const limit = ok ? I32.parseInt(value) : 0;
    if (limit < 1 || limit > 1_000_000)
      config.error = source + ' must be a whole number from 1 to 1000000, not "' + text + '"';
    else config.authFailureLimit = limit;
  } else {
    const ms = parseDurationMs(value);
    if (ms < 0)
      config.error =
        source + ' must be a duration with a unit, like 500ms, 10s, 5m or 1h, not "' + text + '"';
    else if (ms < 1) config.error = source + ' must be longer than 0';
    else config.authFailureWindowMs = ms;
  }
}

function parsePort(text: string, config: ServerConfig, name: string): i32 {
  let ok = text.length > 0 && text.length <= 5;
  for (let i = 0; ok && i < text.length; i++) ok = text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39;
  const port = ok ? I32.parseInt(text) : 0;
  if (port < 1 || port > 65535) {
    config.error = name + ' must be a TCP port from 1 to 65535, not "' + text + '"';
    return 0;
  }
  return port;
}

// A decimal byte count from 1 to 2^40 (1 TiB): tests use segments of a few KiB.
function parseByteCount(text: string, config: ServerConfig, name: string): i64 {
  let ok = text.length > 0 && text.length <= 13;
  for (let i = 0; ok && i < text.length; i++) ok = text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39;
  const bytes = ok ? I64.parseInt(text) : 0;
  if (bytes < 1 || bytes > (<i64>1) << 40) {
    config.error = name + ' must be a byte count from 1 to 1099511627776, not "' + text + '"';
    return 0;
  }
  return bytes;
}

function apply(name: string, value: string, config: ServerConfig, source: string): void {
  if (name == 'journalSegmentBytes') {
    const bytes = parseByteCount(value, config, source);
    if (bytes > 0) config.journalSegmentBytes = bytes;
  } else if (name == 'port') {
    const port = parsePort(value, config, source);
    if (port > 0) config.port = port;
  } else if (name == 'sidecarPort') {
    const port = parsePort(value, config, source);
    if (port > 0) config.sidecarPort = port;
  } else if (value.length == 0) config.error = source + ' must not be empty';
  else config.dataDir = value;
}

/** `args` without the program name; `env` as NAME=value entries. */
export function readServerConfig(args: Array<string>, env: Array<string>): ServerConfig {
  const config = new ServerConfig();
  for (let i = 0; i < env.length; i++) {
    const entry = unchecked(env[i]);
    if (entry.startsWith('PORT=')) apply('port', entry.substring(5), config, 'PORT');
    else if (entry.startsWith('DATA_DIR=')) apply('dataDir', entry.substring(9), config, 'DATA_DIR');
    else if (entry.startsWith('SIDECAR_PORT='))
      apply('sidecarPort', entry.substring(13), config, 'SIDECAR_PORT');
    else if (entry.startsWith('JOURNAL_SEGMENT_BYTES='))
      apply('journalSegmentBytes', entry.substring(22), config, 'JOURNAL_SEGMENT_BYTES');
    else {
      const k = accessEnvIndex(entry);
      if (k >= 0) applyAccess(k, entry.substring(entry.indexOf('=') + 1), config, unchecked(ACCESS_ENV[k]));
    }
  }
  for (let i = 0; i < args.length && config.error === null; i++) {
    const arg = unchecked(args[i]);
    const equals = arg.indexOf('=');
    const flag = equals < 0 ? arg : arg.substring(0, equals);
    if (flag == '--journal-segment-bytes') {
      if (equals < 0 && i + 1 >= args.length) {
        config.error = flag + ' needs a value';
        break;
      }
      apply(
        'journalSegmentBytes',
        equals >= 0 ? arg.substring(equals + 1) : unchecked(args[++i]),
        config,
        flag,
      );
      continue;
    }
    const accessIndex = ACCESS_FLAGS.indexOf(flag);
    if (accessIndex >= 0) {
      if (equals < 0 && i + 1 >= args.length) {
        config.error = flag + ' needs a value';
        break;
      }
      applyAccess(accessIndex, equals >= 0 ? arg.substring(equals + 1) : unchecked(args[++i]), config, flag);
      continue;
    }
    if (flag != '--port' && flag != '--data-dir' && flag != '--sidecar-port') {
      config.error =
        'unknown argument "' +
        arg +
        '" (tracker-server.wasm takes --port, --data-dir, --sidecar-port, --journal-segment-bytes, ' +
        '--api-keys-file, --host, --auth-failure-limit and --auth-failure-window)';
      break;
    }
    let value = '';
    if (equals >= 0) value = arg.substring(equals + 1);
    else if (i + 1 < args.length) value = unchecked(args[++i]);
    else {
      config.error = flag + ' needs a value';
      break;
    }
    apply(
      flag == '--port' ? 'port' : flag == '--sidecar-port' ? 'sidecarPort' : 'dataDir',
      value,
      config,
      flag,
    );
  }
  return config;
}
