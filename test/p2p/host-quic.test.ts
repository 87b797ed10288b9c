/** QUIC is an optional install: without it, a /quic-v1 address is a clear configuration error, not a crash. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { describe, expect, it } from 'vitest';
import { createP2PHost } from '../../app/p2p/host/index.js';
import { CHAIN_ID, freePorts, nodeKey, p2pConfig, silentLogger } from './helpers/host-net.js';

describe('QUIC addresses', () => {
  it('are refused with p2p/2 naming the package to install when the optional transport is absent', async () => {
    let installed = true;
    try {
      await import('@chainsafe/libp2p-quic' as string);
    } catch {
      installed = false;
    }
    // this project does not depend on it (its other-platform packages are missing from the registry)
    expect(installed).toBe(false);
    const dir = mkdtempSync(join(tmpdir(), 'guts-quic-'));
    const db = new ClassicLevel<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
    await db.open();
    try {
      const [port] = await freePorts(1);
      const make = createP2PHost({ chainId: CHAIN_ID, privateKey: nodeKey(), config: p2pConfig(port!, [], { listen: [`/ip4/127.0.0.1/udp/${port}/quic-v1`] }), db, logger: silentLogger });
      const err = await make.then((h) => h.start()).then(() => undefined, (e: unknown) => e as { codespace?: string; code?: number; message: string });
      expect(err).toMatchObject({ codespace: 'p2p', code: 2 });
      expect(err!.message).toMatch(/a \/quic-v1 address needs the optional QUIC transport: run `npm install @chainsafe\/libp2p-quic@2\.1\.1`/);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
