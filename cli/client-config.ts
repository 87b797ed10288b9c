/**
 * `<home>/config/client.toml`, the per-home client defaults cosmos-sdk keeps there
 * (`chain-id`, `keyring-backend`, `node`, `broadcast-mode`). Flags and environment variables
 * win over it. Only flat `key = "value"` lines are read, which is all that file holds.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../app/keyring/fs.js';

export interface ClientConfig {
  'chain-id'?: string;
  'keyring-backend'?: string;
  node?: string;
  'broadcast-mode'?: string;
}

const KEYS = ['chain-id', 'keyring-backend', 'node', 'broadcast-mode'] as const;

export function clientConfigPath(home: string): string {
  return join(home, 'config', 'client.toml');
}

export function parseClientToml(text: string): ClientConfig {
  const out: ClientConfig = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z0-9_.-]+)\s*=\s*"([^"]*)"\s*(#.*)?$/.exec(line);
    if (m && (KEYS as readonly string[]).includes(m[1]) && m[2] !== '') out[m[1] as (typeof KEYS)[number]] = m[2];
  }
  return out;
}

export async function readClientConfig(home: string): Promise<ClientConfig> {
  try {
    return parseClientToml(await readFile(clientConfigPath(home), 'utf8'));
  } catch {
    return {}; // absent or unreadable: flags and defaults apply
  }
}

export function renderClientToml(c: ClientConfig): string {
  const lines = ['# Client defaults for `guts` commands run with this --home. Flags override them.', ''];
  for (const k of KEYS) if (c[k] !== undefined) lines.push(`${k} = ${JSON.stringify(c[k])}`);
  return lines.join('\n') + '\n';
}

export async function writeClientConfig(home: string, c: ClientConfig): Promise<void> {
  await mkdir(join(home, 'config'), { recursive: true, mode: 0o700 });
  await writeFileAtomic(clientConfigPath(home), renderClientToml(c));
}
