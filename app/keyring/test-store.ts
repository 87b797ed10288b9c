/**
 * `test` backend: records in plain JSON, like cosmos-sdk's `keyring-test`. Anyone who can read
 * the home directory can spend from these keys; use it for devnets and tests only.
 */
import { ensureDir, join, listDir, readJson, removeFile, writeFileAtomic } from './fs.js';
import { isKeyName, parseRecord, type KeyRecord } from './record.js';
import { INFO_SUFFIX, type KeyStore } from './store.js';

export function createTestStore(dir: string, prefix: string): KeyStore {
  const path = (name: string) => join(dir, name + INFO_SUFFIX);
  return {
    dir,
    async names() {
      return (await listDir(dir))
        .filter((f) => f.endsWith(INFO_SUFFIX))
        .map((f) => f.slice(0, -INFO_SUFFIX.length))
        .filter(isKeyName)
        .sort();
    },
    async read(name) {
      const json = await readJson(path(name));
      return json === undefined ? undefined : parseRecord(json, name, path(name), prefix);
    },
    async write(record: KeyRecord) {
      await ensureDir(dir);
      await writeFileAtomic(path(record.name), JSON.stringify(record, null, 2) + '\n');
    },
    remove: (name) => removeFile(path(name)),
  };
}
