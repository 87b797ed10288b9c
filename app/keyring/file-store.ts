/**
 * `file` backend: each record is a JSON envelope encrypted under the keyring passphrase
 * (scrypt + AES-256-GCM, see envelope.ts), like cosmos-sdk's `keyring-file`. A `keyhash` file
 * holds an encrypted known value, so a wrong passphrase is refused before anything is written
 * and the scrypt salt is shared: one key derivation per process, not one per key file.
 */
import { ErrInvalidRequest, ErrJSONUnmarshal, ErrWrongPassword } from '../errors.js';
import { deriveKey, isEnvelope, newScryptParams, open, seal, type Envelope, type ScryptParams } from './envelope.js';
import { ensureDir, join, readJson, writeFileAtomic } from './fs.js';
import { parseRecord, type KeyRecord } from './record.js';
import { INFO_SUFFIX, type KeyStore } from './store.js';
import { createTestStore } from './test-store.js';

export interface PassphraseRequest {
  /** keyring directory the passphrase is for */
  dir: string;
  /** true when the keyring is new: the passphrase being asked for will be set */
  create: boolean;
  /** 1-based; a prompt may be retried after a wrong passphrase */
  attempt: number;
}

/** A fixed passphrase, or a function asked for one (e.g. a terminal prompt) when first needed. */
export type PassphraseSource = string | ((req: PassphraseRequest) => Promise<string>);

export const MIN_PASSPHRASE_LENGTH = 8;
/** Prompts get three tries, as cosmos-sdk's file keyring gives. */
const PROMPT_ATTEMPTS = 3;
const KEYHASH = 'keyhash';
const CHECK_PLAINTEXT = 'guts keyring v1';

interface Unlocked {
  passphrase: string;
  params: ScryptParams;
}

export function createFileStore(dir: string, prefix: string, source: PassphraseSource | undefined): KeyStore {
  const listing = createTestStore(dir, prefix); // same file names; only names() is used from it
  const path = (name: string) => join(dir, name + INFO_SUFFIX);
  const keys = new Map<string, Promise<Buffer>>();
  let unlocked: Promise<Unlocked> | undefined;

  const keyFor = (passphrase: string, p: ScryptParams) => {
    const id = `${p.N}/${p.r}/${p.p}/${p.salt}/${passphrase}`;
    let k = keys.get(id);
    if (!k) {
      k = deriveKey(passphrase, p);
      keys.set(id, k);
      k.catch(() => keys.delete(id));
    }
    return k;
  };

  async function ask(create: boolean, attempt: number): Promise<string> {
    if (source === undefined) {
      throw ErrInvalidRequest.wrap(`the file keyring at ${dir} needs a passphrase and none was given`);
    }
    return typeof source === 'string' ? source : source({ dir, create, attempt });
  }

  async function doUnlock(): Promise<Unlocked> {
    const keyhash = await readJson(join(dir, KEYHASH));
    let check: Envelope | undefined;
    if (keyhash !== undefined) {
      if (!isEnvelope(keyhash)) throw ErrJSONUnmarshal.wrap(`${join(dir, KEYHASH)} is not a keyring passphrase check`);
      check = keyhash;
    } else {
      // keyhash lost but keys present: check the passphrase against a key file instead
      for (const name of await listing.names()) {
        const env = await readJson(path(name));
        if (isEnvelope(env)) {
          check = env;
          break;
        }
      }
    }
    const attempts = typeof source === 'function' ? PROMPT_ATTEMPTS : 1;
    for (let attempt = 1; ; attempt++) {
      const passphrase = await ask(check === undefined, attempt);
      if (check === undefined) {
        if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
          throw ErrInvalidRequest.wrap(`keyring passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters`);
        }
        const params = newScryptParams();
        const key = await keyFor(passphrase, params);
        await ensureDir(dir);
        await writeFileAtomic(join(dir, KEYHASH), JSON.stringify(seal(key, params, Buffer.from(CHECK_PLAINTEXT))) + '\n');
        return { passphrase, params };
      }
      try {
        open(await keyFor(passphrase, check.kdfparams), check, `the keyring at ${dir}`);
        if (keyhash === undefined) {
          const key = await keyFor(passphrase, check.kdfparams);
          await writeFileAtomic(join(dir, KEYHASH), JSON.stringify(seal(key, check.kdfparams, Buffer.from(CHECK_PLAINTEXT))) + '\n');
        }
        return { passphrase, params: check.kdfparams };
      } catch (err) {
        if (!ErrWrongPassword.is(err) || attempt >= attempts) throw err;
      }
    }
  }

  function unlock(): Promise<Unlocked> {
    if (!unlocked) {
      unlocked = doUnlock();
      unlocked.catch(() => (unlocked = undefined)); // a failed unlock may be retried
    }
    return unlocked;
  }

  return {
    dir,
    names: () => listing.names(),
    async read(name) {
      const env = await readJson(path(name));
      if (env === undefined) return undefined;
      if (!isEnvelope(env)) throw ErrJSONUnmarshal.wrap(`${path(name)} is not an encrypted key file`);
      const { passphrase } = await unlock();
      const plain = open(await keyFor(passphrase, env.kdfparams), env, path(name));
      let json: unknown;
      try {
        json = JSON.parse(plain.toString('utf8'));
      } catch {
        throw ErrJSONUnmarshal.wrap(`${path(name)} does not decrypt to JSON`);
      }
      return parseRecord(json, name, path(name), prefix);
    },
    async write(record: KeyRecord) {
      const { passphrase, params } = await unlock();
      const env = seal(await keyFor(passphrase, params), params, Buffer.from(JSON.stringify(record)));
      await ensureDir(dir);
      await writeFileAtomic(path(record.name), JSON.stringify(env) + '\n');
    },
    async remove(name) {
      await unlock(); // deleting a key takes the same passphrase as using it
      return listing.remove(name);
    },
  };
}
