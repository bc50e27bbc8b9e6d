// The real service with access control on: API keys made by the CLI function, in a key file of a
// temporary folder that `close` removes with the service.
import { createAuthenticator } from '../../../../host/auth/authenticate.js';
import type { HashKind } from '../../../../host/auth/api-key-hash.js';
import type { Scope } from '../../../../host/auth/scopes.js';
import { buildServiceApp, type ServiceApp } from '../../../helpers/service-app.js';
import { bearer, tempFolder, writeKeyFile } from './auth-fixtures.js';

export interface KeyedService {
  service: ServiceApp;
  /** The headers that present the key made for `id`. */
  as(id: string): { authorization: string };
  close(): Promise<void>;
}

export async function serviceWithApiKeys(
  specs: ReadonlyArray<{ id: string; scopes: Scope[]; hash?: HashKind }>,
  options: { onDisk?: boolean } = {},
): Promise<KeyedService> {
  const folder = await tempFolder();
  try {
    const { file, keys } = await writeKeyFile(folder.path('api-keys.json'), specs);
    const authenticator = await createAuthenticator({ apiKeyFile: file });
    const service = await buildServiceApp({ authenticator, ...options });
    return {
      service,
      as: (id) => ({ authorization: bearer(keys[id]!) }),
      close: async () => {
        await service.close();
        await folder.cleanup();
      },
    };
  } catch (error) {
    await folder.cleanup();
    throw error;
  }
}
