/**
 * Epoch checkpoints on chain (DESIGN §3, issue 5). A four-validator chain (real app,
 * keys, WAL, LevelDB, in-memory network) with epochs of 4 blocks: when the epoch-end
 * block is committed, the validators' checkpoint signatures spread (each node relays the
 * ones it verified), every node stores the checkpoint once more than 2/3 of the power
 * signed, keeps it across a restart, serves it over RPC, and it verifies with sdk/light.
 * A forged signature is refused and its sender reported; a tampered checkpoint fails
 * sdk/light's verification. The collector's own signing, relaying and re-sending are
 * checked on their own below.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEd25519Verifier, ed25519KeyFromSeed } from '../../app/consensus/engine/crypto.js';
import { createCheckpointCollector, encodeWire, EPOCH_END_EVENT, REGOSSIP_BLOCKS, type CheckpointSignatureMessage } from '../../app/consensus/host/index.js';
import { addressFromEd25519 } from '../../app/consensus/validators.js';
import { paramsFromJson } from '../../app/rpc/params.js';
import { checkpointMethods } from '../../app/rpc/methods/checkpoints.js';
import type { MethodContext } from '../../app/rpc/methods/method.js';
import { RpcError } from '../../app/rpc/jsonrpc.js';
import { checkpointFromJson, checkpointOf, checkpointSignBytes, verifyCheckpoint, verifyCheckpointForLightBlock, LightClientError, type Checkpoint } from '../../sdk/light/index.js';
import { CLUSTER_CHAIN_ID, consensusSeed, createCluster, waitFor, type Cluster, type ClusterNode } from '../helpers/consensus-cluster.js';

const TAG = 'ckpt';
const STAKES = [100_000n, 100_000n, 100_000n, 100_000n];
const keyOf = (i: number) => ed25519KeyFromSeed(consensusSeed(i, TAG));

async function rpc(node: ClusterNode, name: 'checkpoint' | 'checkpoints', params: Record<string, unknown>): Promise<unknown> {
  const m = checkpointMethods[name]!;
  return m.call({ backend: { blockStore: node.blockStore } } as unknown as MethodContext, paramsFromJson(m.params, params));
}

describe('consensus host: epoch checkpoints on a four-validator chain', () => {
  let c: Cluster;
  let epochEnd = 0;
  let fields: Omit<Checkpoint, 'signatures'>;

  /** Validator i's signature over the epoch-end checkpoint, sent as its node would send it. */
  function sendSignature(i: number, signature = keyOf(i).sign(checkpointSignBytes(fields))): void {
    const m: CheckpointSignatureMessage = { height: fields.height, validatorAddress: addressFromEd25519(keyOf(i).pubKey), signature };
    c.net.inject(`v${i}`, encodeWire({ type: 'checkpointSignature', ...m }));
  }

  beforeAll(async () => {
    c = await createCluster(STAKES, { tag: TAG });
    ((c.genesis.app_state as Record<string, any>).staking.params as Record<string, unknown>).epoch_length = '4';
    for (let i = 0; i < STAKES.length; i++) await c.open(i);
    const n0 = c.nodes[0]!;
    await waitFor('an epoch end committed everywhere', async () => {
      if (epochEnd === 0) {
        for (let h = 1; h <= n0.blockStore.height() && epochEnd === 0; h++) {
          if ((await n0.blockStore.loadResults(h))!.events.some((e) => e.type === EPOCH_END_EVENT)) epochEnd = h;
        }
      }
      return epochEnd > 0 && c.nodes.every((n) => n!.blockStore.height() >= epochEnd);
    }, 20_000);
    const stored = (await n0.blockStore.loadBlock(epochEnd))!;
    fields = checkpointOf({ signedHeader: { header: stored.block.header, commit: (await n0.blockStore.loadCommit(epochEnd))! }, validatorSet: (await n0.blockStore.loadValidators(epochEnd))! });
  }, 45_000);

  afterAll(async () => {
    await c?.destroy();
  });

  it('every validator signs the epoch-end checkpoint with its own key (FilePV); every node stores it past 2/3 of the power, and all four signed', async () => {
    expect(epochEnd).toBe(4); // epochs of 4 blocks from height 1
    // stored once more than 2/3 signed (3 of 4 here); the last signature usually follows, but a loaded machine may store it later
    await waitFor('the checkpoint on every node', async () => (await Promise.all(c.nodes.map((n) => n!.blockStore.loadCheckpoint(epochEnd)))).every((cp) => cp !== undefined), 15_000);
    const signers = new Set<string>();
    for (const n of c.nodes) {
      const cp = (await n!.blockStore.loadCheckpoint(epochEnd))!;
      expect(cp).toMatchObject(fields);
      expect(verifyCheckpoint({ checkpoint: cp, validatorSet: (await n!.blockStore.loadValidators(epochEnd))!, chainId: CLUSTER_CHAIN_ID })).toBeGreaterThanOrEqual(300_000n);
      for (const sg of cp.signatures) signers.add(Buffer.from(sg.validatorAddress).toString('hex'));
    }
    // the signatures are the validators' own (no test injected any): all four signed
    expect(signers).toEqual(new Set(STAKES.map((_, i) => Buffer.from(addressFromEd25519(keyOf(i).pubKey)).toString('hex'))));
  });

  it('a second signature for a validator that already signed changes nothing (forged ones are refused in the collector tests below)', async () => {
    const before = await c.nodes[1]!.blockStore.loadCheckpoint(epochEnd);
    sendSignature(3, keyOf(0).sign(checkpointSignBytes(fields))); // v3's address, v0's key
    sendSignature(3);
    await new Promise((r) => setTimeout(r, 200));
    expect(await c.nodes[1]!.blockStore.loadCheckpoint(epochEnd)).toEqual(before);
  });

  it('serves the checkpoint over RPC in the shape sdk/light verifies against the light block; a tampered one fails', async () => {
    const n1 = c.nodes[1]!;
    const byHeight = (await rpc(n1, 'checkpoint', { height: String(epochEnd) })) as { checkpoint: unknown };
    // the chain goes on making checkpoints every 4 blocks: the latest is the newest listed, the one asked for is listed before the next
    const list = (await rpc(n1, 'checkpoints', { limit: '5' })) as { checkpoints: unknown[] };
    const latest = (await rpc(n1, 'checkpoint', {})) as { checkpoint: { height: string } };
    expect(BigInt(latest.checkpoint.height)).toBeGreaterThanOrEqual(BigInt((list.checkpoints[0] as { height: string }).height));
    const older = (await rpc(n1, 'checkpoints', { before: String(epochEnd + 1), limit: '1' })) as { checkpoints: unknown[] };
    expect(older.checkpoints[0]).toEqual(byHeight.checkpoint);
    const cp = checkpointFromJson(byHeight.checkpoint);
    const [stored, commit, validatorSet] = await Promise.all([n1.blockStore.loadBlock(epochEnd), n1.blockStore.loadCommit(epochEnd), n1.blockStore.loadValidators(epochEnd)]);
    const lightBlock = { signedHeader: { header: stored!.block.header, commit: commit! }, validatorSet: validatorSet! };
    expect(verifyCheckpointForLightBlock({ checkpoint: cp, lightBlock, chainId: CLUSTER_CHAIN_ID })).toBeGreaterThanOrEqual(300_000n);
    const tampered = { ...cp, appHash: new Uint8Array(32).fill(7) };
    expect(() => verifyCheckpoint({ checkpoint: tampered, validatorSet: validatorSet!, chainId: CLUSTER_CHAIN_ID })).toThrow(LightClientError);
    await expect(rpc(n1, 'checkpoint', { height: String(epochEnd + 1) })).rejects.toThrow(RpcError); // not an epoch end
    await expect(rpc(n1, 'checkpoints', { limit: '0' })).rejects.toThrow(RpcError);
  });

  it('keeps the checkpoint across a restart', async () => {
    const before = await c.nodes[2]!.blockStore.loadCheckpoint(epochEnd);
    await c.nodes[2]!.close();
    c.nodes[2] = undefined;
    const reopened = await c.open(2);
    expect(await reopened.blockStore.loadCheckpoint(epochEnd)).toEqual(before);
    expect(await reopened.blockStore.checkpointHeights(1, epochEnd + 1)).toEqual([epochEnd]);
  });
});

describe('checkpoint collector', () => {
  const chainId = 'collector-test';
  const keys = [0, 1, 2, 3].map((i) => ed25519KeyFromSeed(consensusSeed(i, 'collector')));
  const validatorSet = {
    validators: keys.map((k) => ({ address: addressFromEd25519(k.pubKey), pubKey: { ed25519: k.pubKey }, votingPower: 10n, proposerPriority: 0n })),
    proposer: undefined,
    totalVotingPower: 40n,
  };
  const fields = { chainId, height: 8n, headerHash: new Uint8Array(32).fill(1), appHash: new Uint8Array(32).fill(2), nextValidatorsHash: new Uint8Array(32).fill(3) };
  const sig = (i: number): CheckpointSignatureMessage => ({ height: 8n, validatorAddress: validatorSet.validators[i]!.address, signature: keys[i]!.sign(checkpointSignBytes(fields)) });
  const ownSigner = { address: addressFromEd25519(keys[0]!.pubKey), signCheckpoint: (f: Omit<Checkpoint, 'signatures'>) => keys[0]!.sign(checkpointSignBytes(f)) };
  /** A collector over validatorSet that keeps what it stores; the rest of its outputs as the test needs them. */
  function collector(saved: Checkpoint[], over: Partial<Parameters<typeof createCheckpointCollector>[0]> = {}) {
    return createCheckpointCollector({
      chainId,
      verify: createEd25519Verifier(),
      blockStore: { saveCheckpoint: async (cp) => void saved.push(cp) },
      signer: ownSigner,
      broadcast: () => undefined,
      report: () => undefined,
      logger: { info() {}, warn() {}, error() {} },
      ...over,
    });
  }

  it('signs with our key, relays each verified signature once, stores past 2/3 and re-sends ours for a while', async () => {
    const sent: CheckpointSignatureMessage[] = [];
    const saved: Checkpoint[] = [];
    const reports: string[] = [];
    const col = collector(saved, { broadcast: (m) => sent.push(m), report: (peer, reason) => reports.push(`${peer}:${reason}`) });
    await col.epochEnd(fields, validatorSet);
    expect(sent).toHaveLength(1); // ours
    await col.onSignature('p1', sig(1));
    await col.onSignature('p2', sig(1)); // a duplicate: neither relayed nor counted twice
    expect(sent).toHaveLength(2);
    expect(saved).toHaveLength(0); // 20 of 40
    await col.onSignature('p3', { ...sig(2), signature: sig(3).signature });
    expect(reports).toEqual(['p3:invalid-checkpoint-signature']);
    await col.onSignature('p3', sig(2));
    expect(saved).toHaveLength(1);
    expect(verifyCheckpoint({ checkpoint: saved[0]!, validatorSet, chainId })).toBe(30n);
    sent.length = 0;
    col.afterBlock(9);
    expect(sent.map((m) => m.validatorAddress)).toEqual([validatorSet.validators[0]!.address]);
    sent.length = 0;
    col.afterBlock(8 + REGOSSIP_BLOCKS + 1);
    expect(sent).toEqual([]);
  });

  it('keeps signatures for an epoch end it has not committed yet and counts them when it does', async () => {
    const saved: Checkpoint[] = [];
    const col = collector(saved);
    for (const i of [1, 2, 3]) await col.onSignature(`p${i}`, sig(i)); // the others committed height 8 first
    for (let h = 1_000n; h < 1_010n; h++) await col.onSignature('junk', { ...sig(1), height: h }); // far-future heights do not crowd them out
    expect(saved).toHaveLength(0);
    await col.epochEnd(fields, validatorSet);
    expect(saved.at(-1)!.signatures).toHaveLength(4);
    expect(verifyCheckpoint({ checkpoint: saved.at(-1)!, validatorSet, chainId })).toBe(40n);
  });

  it('a failing signer costs only our own signature: consensus goes on and peers\' signatures are stored', async () => {
    const saved: Checkpoint[] = [];
    const errors: string[] = [];
    const col = collector(saved, {
      signer: { address: validatorSet.validators[0]!.address, signCheckpoint: () => Promise.reject(new Error('key file unreadable')) },
      logger: { info() {}, warn() {}, error: (o: object) => void errors.push(JSON.stringify(o)) },
    });
    await col.epochEnd(fields, validatorSet);
    expect(errors).toHaveLength(1);
    for (const i of [1, 2, 3]) await col.onSignature('p', sig(i));
    expect(saved.at(-1)!.signatures).toHaveLength(3);
  });
});
