// tracker-server.wasm's settings from its arguments and environment, named as the Node service
// names them (host/config/settings.ts): `--port` / PORT, `--data-dir` / DATA_DIR and `--sidecar-port`
// / SIDECAR_PORT (where the sidecar, the Node service, listens on 127.0.0.1), flags win.
// WasmEdge passes no environment unless asked (`wasmedge --env PORT=8080`), and the data directory
// must be mapped into the sandbox (`--dir /data:/data`). An unknown or malformed key stops the start.

export class ServerConfig {
  port: i32 = 8080;
  sidecarPort: i32 = 8081;
  dataDir: string = './data';
  /** Set when the arguments or environment cannot be used; the start stops with it. */
  error: string | null = null;
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

function apply(name: string, value: string, config: ServerConfig, source: string): void {
  if (name == 'port') {
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
  }
  for (let i = 0; i < args.length && config.error === null; i++) {
    const arg = unchecked(args[i]);
    const equals = arg.indexOf('=');
    const flag = equals < 0 ? arg : arg.substring(0, equals);
    if (flag != '--port' && flag != '--data-dir' && flag != '--sidecar-port') {
      config.error =
        'unknown argument "' + arg + '" (tracker-server.wasm takes --port, --data-dir and --sidecar-port)';
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
