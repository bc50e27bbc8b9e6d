// The Node host of every pod starts with what the manifests give it: its arguments and the mounted
// settings ConfigMap go through the service's own loader (host/config/load-config.ts), whose
// answer must match the pod's role; the files its settings name are keys of mounted volumes;
// SITE_ROUTES parses with the real core; and the wasm server and its sidecar agree on the port,
// the data volume and the API keys.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Config } from '../../../../host/config/config.js';
import { loadConfig } from '../../../../host/config/load-config.js';
import { SETTINGS } from '../../../../host/config/settings.js';
import { TrackerCore } from '../../../../host/core/gateway.js';
import { SiteRoutes } from '../../../../host/sync/site-routes.js';
import type { CheckModule } from '../check-module.js';
import { type K8sObject, objectId, type RenderedTarget } from '../k8s-object.js';
import { argValue, type Container, imageRole, type PodSpec, workloads } from '../pod-spec.js';
import { wasmServerFlags } from '../server-routes.js';

/** The keys of the per-site Secret edgetrace-credentials (docs/deploy-k3s.md says how to create it). */
export const SECRET_KEYS = ['api-keys.json', 'amqp-url'];

let core: Promise<TrackerCore> | null = null;

interface Mounted {
  volume: string;
  configMap: K8sObject | null;
  secret: string | null;
}

function mountAt(target: RenderedTarget, pod: PodSpec, container: Container, path: string): Mounted | null {
  const mount = (container.volumeMounts ?? []).find((m) => m.mountPath === path);
  if (mount === undefined) return null;
  const volume = (pod.volumes ?? []).find((v) => v.name === mount.name);
  const configMapName = volume?.configMap?.name;
  return {
    volume: mount.name,
    configMap:
      target.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === configMapName) ?? null,
    secret: volume?.secret?.secretName ?? null,
  };
}

const dataOf = (configMap: K8sObject | null): Record<string, string> =>
  (configMap?.['data'] as Record<string, string> | undefined) ?? {};

/** Loads the container's configuration as the service would at start, or the loader's complaint. */
function startConfig(container: Container, settings: Record<string, string>): Config | string {
  const dir = mkdtempSync(join(tmpdir(), 'edgetrace-k8s-settings-'));
  try {
    for (const [key, value] of Object.entries(settings)) writeFileSync(join(dir, key), value);
    const args = [...(container.args ?? [])];
    args[args.indexOf('--settings-dir') + 1] = dir;
    return loadConfig({}, args, '/');
  } catch (error) {
    return (error as Error).message;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function checkFileSettings(
  target: RenderedTarget,
  pod: PodSpec,
  container: Container,
  config: Config,
  where: string,
): Promise<string[]> {
  const problems: string[] = [];
  const files = {
    AMQP_URL_FILE: config.amqpUrlFile,
    API_KEYS_FILE: config.apiKeysFile,
    SITE_ROUTES: config.siteRoutesFile,
  };
  for (const [setting, path] of Object.entries(files)) {
    if (path === null) continue;
    const mounted = mountAt(target, pod, container, dirname(path));
    const key = basename(path);
    if (mounted === null) problems.push(`${where}: ${setting} ${path} is in no mounted volume`);
    else if (mounted.secret !== null && !SECRET_KEYS.includes(key)) {
      problems.push(
        `${where}: ${setting} ${path} is not a key of the credentials Secret (${SECRET_KEYS.join(', ')})`,
      );
    } else if (mounted.secret === null && !(key in dataOf(mounted.configMap))) {
      problems.push(`${where}: ${setting} ${path} is not a key of the mounted ConfigMap`);
    } else if (setting === 'SITE_ROUTES' && mounted.configMap !== null) {
      try {
        core ??= TrackerCore.load();
        SiteRoutes.fromObject(
          JSON.parse(dataOf(mounted.configMap)[key]!) as Record<string, unknown>,
          await core,
          path,
        );
      } catch (error) {
        problems.push(`${where}: ${(error as Error).message}`);
      }
    }
  }
  return problems;
}

function roleProblems(role: RenderedTarget['role'], config: Config, where: string): string[] {
  const expected =
    role === 'hub'
      ? { role: 'hub', journalTail: false, syncEnabled: true }
      : { role: 'site', journalTail: true, syncEnabled: role === 'site' };
  const actual = { role: config.role, journalTail: config.journalTail, syncEnabled: config.syncEnabled };
  const problems =
    JSON.stringify(actual) === JSON.stringify(expected)
      ? []
      : [`${where}: starts as ${JSON.stringify(actual)}, a ${role} needs ${JSON.stringify(expected)}`];
  if (role === 'site' && config.siteId === 'local') problems.push(`${where}: a site without SITE_ID`);
  return problems;
}

function pairProblems(server: Container, sidecar: Container, config: Config, where: string): string[] {
  const problems: string[] = [];
  if (Number(argValue(server, '--sidecar-port')) !== config.port || config.host !== '127.0.0.1') {
    problems.push(
      `${where}: the sidecar listens on ${config.host}:${config.port}, the server forwards to 127.0.0.1:${argValue(server, '--sidecar-port')}`,
    );
  }
  const volumeAt = (container: Container, path: string | null) =>
    (container.volumeMounts ?? []).find((m) => m.mountPath === path)?.name ?? null;
  const serverData = volumeAt(server, argValue(server, '--data-dir'));
  if (serverData === null || serverData !== volumeAt(sidecar, config.dataDir)) {
    problems.push(`${where}: the server's --data-dir and the sidecar's DATA_DIR are not the same volume`);
  }
  if (argValue(server, '--api-keys-file') !== config.apiKeysFile) {
    problems.push(`${where}: the server and the sidecar read different API key files`);
  }
  return problems;
}

export const settingsCheck: CheckModule = {
  name: 'settings',
  async check(target, { repoRoot }) {
    const problems: string[] = [];
    const settingNames = new Set(SETTINGS.map((s) => s.env));
    const serverFlags = wasmServerFlags(repoRoot);
    for (const workload of workloads(target.objects)) {
      const id = objectId(workload.object);
      const server = workload.pod.containers.find((c) => imageRole(c.image) === 'tracker-server');
      for (const flag of (server?.args ?? []).filter((arg) => arg.startsWith('--'))) {
        if (!serverFlags.has(flag))
          problems.push(`${id} container ${server!.name}: tracker-server.wasm has no ${flag}`);
      }
      for (const container of workload.pod.containers.filter((c) => imageRole(c.image) === 'sidecar')) {
        const where = `${id} container ${container.name}`;
        const settingsDir = argValue(container, '--settings-dir');
        const mounted = settingsDir === null ? null : mountAt(target, workload.pod, container, settingsDir);
        if (mounted?.configMap == null) {
          problems.push(`${where}: --settings-dir is not a mounted ConfigMap`);
          continue;
        }
        const settings = dataOf(mounted.configMap);
        for (const key of Object.keys(settings)) {
          if (!settingNames.has(key))
            problems.push(`${objectId(mounted.configMap)}: ${key} is not a setting of the service`);
        }
        const config = startConfig(container, settings);
        if (typeof config === 'string') {
          problems.push(`${where}: the service would not start: ${config}`);
          continue;
        }
        problems.push(...roleProblems(target.role, config, where));
        problems.push(...(await checkFileSettings(target, workload.pod, container, config, where)));
        if (server !== undefined) problems.push(...pairProblems(server, container, config, where));
      }
    }
    return problems;
  },
};
