/** Owner-only file helpers: keyring directories are 0700 and key files 0600, as cosmos-sdk's. */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrIO, ErrJSONUnmarshal } from '../errors.js';

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null ? (err as NodeJS.ErrnoException).code : undefined;
}

export async function ensureDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: DIR_MODE });
  } catch (err) {
    throw ErrIO.wrap(`cannot create keyring directory ${dir}: ${(err as Error).message}`);
  }
}

/** Write via a temporary file and rename, so a crash never leaves a half-written key. */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const tmp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
  try {
    await writeFile(tmp, data, { mode: FILE_MODE, flag: 'wx' });
    await chmod(tmp, FILE_MODE); // mode is masked by the umask on creation
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw ErrIO.wrap(`cannot write ${path}: ${(err as Error).message}`);
  }
}

export async function readJson(path: string): Promise<unknown | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw ErrIO.wrap(`cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw ErrJSONUnmarshal.wrap(`${path} is not valid JSON`);
  }
}

export async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return [];
    throw ErrIO.wrap(`cannot list ${dir}: ${(err as Error).message}`);
  }
}

export async function removeFile(path: string): Promise<boolean> {
  try {
    await rm(path);
    return true;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return false;
    throw ErrIO.wrap(`cannot remove ${path}: ${(err as Error).message}`);
  }
}

export { join };
