/** `startNodeRest`: off unless config.api.enabled; a port in use is a warning, not a failed node. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMempool } from '../../app/consensus/mempool.js';
import { startNodeRest } from '../../app/rest/index.js';
import { gutsGenesis, makeAccounts, openGutsChain, type GutsChain } from '../modules/sybil/chain.js';

let chain: GutsChain;
let blocker: Server;
let busyPort: number;
const warnings: string[] = [];
const logger = { info: () => undefined, warn: (_o: unknown, m?: string) => void warnings.push(m ?? ''), error: () => undefined };

beforeAll(async () => {
  const [a] = await makeAccounts(1, 12);
  chain = await openGutsChain(gutsGenesis({ accounts: [{ address: a!.address, amount: 5n }] }));
  blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  busyPort = (blocker.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((r) => blocker.close(r));
  await chain.close();
});

const parts = (enabled: boolean, laddr: string) => ({
  config: { enabled, laddr, corsAllowedOrigins: [] },
  app: chain.app,
  mempool: createMempool({ app: chain.app }),
  blockStore: { height: () => chain.height(), loadBlock: async () => undefined, txByHash: async () => undefined },
  nodeInfo: () => ({ id: '00'.repeat(20), listenAddr: 'none', network: chain.chainId, moniker: 'n' }),
  logger,
});

describe('startNodeRest', () => {
  it('starts nothing when api.enabled is false', async () => {
    expect(await startNodeRest(parts(false, 'tcp://127.0.0.1:0'))).toBeUndefined();
  });

  it('serves the gateway on api.laddr', async () => {
    const rest = await startNodeRest(parts(true, 'tcp://127.0.0.1:0'));
    try {
      const r = await fetch(`${rest!.address}/guts/staking/v1/params`);
      expect(r.status).toBe(200);
      expect(((await r.json()) as { params: { bond_denom: string } }).params.bond_denom).toBe('ugut');
    } finally {
      await rest?.close();
    }
  });

  it('logs a warning and runs without the gateway when the port is taken', async () => {
    expect(await startNodeRest(parts(true, `tcp://127.0.0.1:${busyPort}`))).toBeUndefined();
    expect(warnings.some((w) => w.includes('REST port in use'))).toBe(true);
  });
});
