/**
 * Where key records live. A backend only stores and loads records; naming rules, duplicate
 * checks and derivation are the keyring's. Layout follows cosmos-sdk: `<home>/keyring-<backend>/<name>.info`.
 */
import type { KeyRecord } from './record.js';

export interface KeyStore {
  readonly dir: string;
  /** Names of stored keys, sorted; never needs the passphrase. */
  names(): Promise<string[]>;
  read(name: string): Promise<KeyRecord | undefined>;
  /** Store a record under `record.name`, replacing any file of that name. */
  write(record: KeyRecord): Promise<void>;
  remove(name: string): Promise<boolean>;
}

export const INFO_SUFFIX = '.info';
