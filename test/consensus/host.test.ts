/**
 * Four validators with unequal stake run the Tendermint engine through the consensus
 * host over an in-memory network, each with the real app (GutsApp over LevelDB), real
 * ed25519 keys in FilePVs and a real consensus WAL. Scenarios run in order on one chain.
 */
import { SignedMsgType, type Vote } from 'cosmjs-types/tendermint/types/types';
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import { toHex } from '@cosmjs/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModules } from '../../app/chain/modules.js';
import { voteSignBytes } from '../../app/consensus/encoding/canonical.js';
import { txHash } from '../../app/consensus/encoding/hashes.js';
import { timestampFromMs } from '../../app/consensus/encoding/time.js';
import { ed25519KeyFromSeed } from '../../app/consensus/engine/crypto.js';
import { encodeWire } from '../../app/consensus/host/index.js';
import { addressFromEd25519, findValidator } from '../../app/consensus/validators.js';
import { BondStatus } from '../../proto/gen/guts/staking/v1/staking.js';
import { CLUSTER_CHAIN_ID, consensusSeed, createCluster, queryValidator, waitFor, type Cluster, type ClusterNode } from '../helpers/consensus-cluster.js';
import { send, signTx } from '../helpers/chain.js';

const STAKES = [400_000n, 300_000n, 200_000n, 100_000n];
const addressOf = (i: number) => addressFromEd25519(ed25519KeyFromSeed(consensusSeed(i)).pubKey);

describe('consensus host: four validators over the in-memory network with the real app', () => {
  let c: Cluster;
  const live = () => c.nodes.filter((n): n is ClusterNode => n !== undefined);
  const minHeight = () => Math.min(...live().map((n) => n.host.height()));

  /** Every live node stored the same block and the same app hash at every height all of them reached. */
  async function expectAgreement(): Promise<number> {
    const top = minHeight();
    for (let h = 1; h <= top; h++) {
      const seen = new Set<string>();
      for (const n of live()) {
        const [b, r] = await Promise.all([n.blockStore.loadBlock(h), n.blockStore.loadResults(h)]);
        seen.add(`${toHex(b!.blockId.hash)}/${toHex(r!.appHash)}`);
      }
      expect(seen.size, `height ${h}`).toBe(1);
    }
    return top;
  }

  beforeAll(async () => {
    c = await createCluster(STAKES);
    for (let i = 0; i < STAKES.length; i++) await c.open(i);
  }, 30_000);

  afterAll(async () => {
    await c?.destroy();
  });

  it('commits a signed MsgSend; every node stores the same blocks and app hashes', async () => {
    await waitFor('height 2 everywhere', () => minHeight() >= 2);
    const n0 = c.nodes[0]!;
    const { auth, bank } = createModules();
    const acc = (await auth.keeper.getAccount({ store: await n0.store.readAt() }, c.user.address))!;
    const to = c.operators[0]!.address;
    const before = await bank.keeper.getBalance({ store: await n0.store.readAt() }, to, 'ugut');
    const tx = await signTx(c.user, [send(c.user.address, to, 1234n)], { chainId: CLUSTER_CHAIN_ID, accountNumber: acc.accountNumber, sequence: acc.sequence, fee: 0n });
    // as mempool gossip would: every validator has the tx, whoever proposes next includes it
    for (const n of live()) expect((await n.mempool.add(tx)).code).toBe(0);
    const hash = txHash(tx);
    await waitFor('the tx indexed on every node', async () => (await Promise.all(live().map((n) => n.blockStore.txByHash(hash)))).every((t) => t !== undefined));
    for (const n of live()) {
      const indexed = (await n.blockStore.txByHash(hash))!;
      expect(indexed.result.code).toBe(0);
      expect(await bank.keeper.getBalance({ store: await n.store.readAt() }, to, 'ugut')).toBe(before + 1234n);
      expect(n.mempool.size()).toBe(0);
    }
    expect(await expectAgreement()).toBeGreaterThanOrEqual(3);
    // blocks come from more than one proposer: the rotation is stake-weighted, not fixed
    const proposers = new Set<string>();
    for (let h = 1; h <= minHeight(); h++) proposers.add(toHex((await n0.blockStore.loadBlock(h))!.block.header.proposerAddress));
    expect(proposers.size).toBeGreaterThan(1);
  }, 30_000);

  it('goes on without its smallest validator (3 of 4 hold more than 2/3 of the stake)', async () => {
    await c.nodes[3]!.close();
    c.nodes[3] = undefined;
    const from = minHeight();
    await waitFor('three more blocks without v3', () => minHeight() >= from + 3);
    // the last commit made without v3 has its signature absent
    const h = from + 2;
    const last = (await c.nodes[0]!.blockStore.loadCommit(h))!;
    const set = (await c.nodes[0]!.blockStore.loadValidators(h))!;
    const v3 = findValidator(set, addressOf(3))!;
    expect(last.signatures[v3.index]!.blockIdFlag).toBe(BlockIDFlag.BLOCK_ID_FLAG_ABSENT);
    await expectAgreement();
  }, 30_000);

  it('restarts the stopped validator from its files: it catches up by commit requests and signs again', async () => {
    const node = await c.open(3);
    const target = c.nodes[0]!.host.height();
    await waitFor('v3 caught up', () => node.host.height() >= target);
    expect(c.net.commitRequests.filter((r) => r.from === 'v3').length).toBeGreaterThan(0);
    // no honest node was reported by another
    expect(c.net.reports).toEqual([]);
    await waitFor('v3 deciding in its own rounds again (status catching_up false)', () => !node.host.catchingUp());
    // its precommits are in commits again
    await waitFor('a commit signed by v3', async () => {
      const h = c.nodes[0]!.host.height();
      const set = (await c.nodes[0]!.blockStore.loadValidators(h))!;
      const idx = findValidator(set, addressOf(3))!.index;
      // (loadCommit may miss a commit moving from "seen" to "canonical" as the next block is saved: ask again then)
      return (await c.nodes[0]!.blockStore.loadCommit(h))?.signatures[idx]!.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_COMMIT;
    });
    await expectAgreement();
  }, 30_000);

  it('turns a double prevote into evidence committed in a block; slashing slashes and tombstones the validator', async () => {
    const key = ed25519KeyFromSeed(consensusSeed(3));
    const op = c.operators[3]!.address;
    const n0 = c.nodes[0]!;
    const random = () => crypto.getRandomValues(new Uint8Array(32));
    let attempts = 0;
    await waitFor('v3 tombstoned', async () => {
      if ((await queryValidator(n0.app, op)).validator?.tombstoned) return true;
      const rs = n0.host.roundState();
      if (!rs || rs.decided) return false;
      const set = (await n0.blockStore.loadValidators(Number(rs.height)))!;
      const me = findValidator(set, addressOf(3));
      if (!me) return false;
      attempts++;
      // two prevotes for different blocks in the round the chain is in, signed with v3's own key
      for (let k = 0; k < 2; k++) {
        const vote: Vote = {
          type: SignedMsgType.SIGNED_MSG_TYPE_PREVOTE,
          height: rs.height,
          round: rs.round,
          blockId: { hash: random(), partSetHeader: { total: 1, hash: random() } },
          timestamp: timestampFromMs(Date.now()),
          validatorAddress: addressOf(3),
          validatorIndex: me.index,
          signature: new Uint8Array(0),
          extension: new Uint8Array(0),
          extensionSignature: new Uint8Array(0),
        };
        vote.signature = key.sign(voteSignBytes(CLUSTER_CHAIN_ID, vote));
        c.net.inject('v3', encodeWire({ type: 'vote', vote }), ['v0', 'v1', 'v2']);
      }
      await new Promise((r) => setTimeout(r, 200));
      return false;
    }, 40_000);
    expect(attempts).toBeGreaterThan(0);
    // the evidence is in a stored block, the same on every node
    let found = 0;
    for (let h = 1; h <= n0.host.height(); h++) found += (await n0.blockStore.loadBlock(h))!.block.evidence.evidence.length;
    expect(found).toBeGreaterThan(0);
    const info = (await queryValidator(n0.app, op)).validator!;
    expect(info.jailed).toBe(true);
    expect(BigInt(info.tokens)).toBe((STAKES[3]! * 95n) / 100n); // slash_fraction_double_sign 5%
    expect(info.status).not.toBe(BondStatus.BOND_STATUS_UNSPECIFIED);
    // the tombstoned validator leaves the set; the chain goes on with the other three
    const h = n0.host.height();
    await waitFor('v3 out of the set', async () => !findValidator((await n0.blockStore.loadValidators(n0.host.height() + 1))!, addressOf(3)));
    await waitFor('two more blocks', () => minHeight() >= h + 2);
    await expectAgreement();
  }, 60_000);

  it('reports undecodable bytes, wrong-chain votes and invalid evidence to the peer layer and keeps committing', async () => {
    const n0 = c.nodes[0]!;
    const key = ed25519KeyFromSeed(consensusSeed(1));
    /** A prevote by v1 for the round v0 is in, signed for another chain (so it does not verify here). */
    const wrongChainVote = async (): Promise<Vote | undefined> => {
      const rs = n0.host.roundState();
      if (!rs || rs.decided) return undefined;
      const me = findValidator((await n0.blockStore.loadValidators(Number(rs.height)))!, addressOf(1))!;
      const vote: Vote = {
        type: SignedMsgType.SIGNED_MSG_TYPE_PREVOTE,
        height: rs.height,
        round: rs.round,
        blockId: { hash: new Uint8Array(32).fill(1), partSetHeader: { total: 1, hash: new Uint8Array(32).fill(2) } },
        timestamp: timestampFromMs(Date.now()),
        validatorAddress: addressOf(1),
        validatorIndex: me.index,
        signature: new Uint8Array(0),
        extension: new Uint8Array(0),
        extensionSignature: new Uint8Array(0),
      };
      vote.signature = key.sign(voteSignBytes('another-chain', vote));
      return vote;
    };
    // evidence whose powers are wrong for height 2
    const idx2 = findValidator((await n0.blockStore.loadValidators(2))!, addressOf(1))!.index;
    const v: Vote = {
      type: SignedMsgType.SIGNED_MSG_TYPE_PREVOTE,
      height: 2n,
      round: 0,
      blockId: { hash: new Uint8Array(32).fill(1), partSetHeader: { total: 1, hash: new Uint8Array(32).fill(2) } },
      timestamp: timestampFromMs(Date.now()),
      validatorAddress: addressOf(1),
      validatorIndex: idx2,
      signature: new Uint8Array(64).fill(7),
      extension: new Uint8Array(0),
      extensionSignature: new Uint8Array(0),
    };
    const forged = { ...v, blockId: { ...v.blockId, hash: new Uint8Array(32).fill(3) } };
    c.net.inject('mallory', Uint8Array.of(9, 1, 2, 3), ['v0']);
    c.net.inject('mallory', encodeWire({ type: 'evidence', evidence: { voteA: v, voteB: forged, totalVotingPower: 1n, validatorPower: 1n, timestamp: timestampFromMs(Date.now()) } }), ['v0']);
    const reasons = () => new Set(c.net.reports.filter((r) => r.peer === 'mallory').map((r) => r.reason));
    await waitFor('the three reports', async () => {
      if (reasons().size >= 3) return true;
      // a vote that arrives after v0 moved on is dropped unchecked (late votes are normal): send one for the round v0 is in
      const vote = await wrongChainVote();
      if (vote) c.net.inject('mallory', encodeWire({ type: 'vote', vote }), ['v0']);
      await new Promise((r) => setTimeout(r, 50));
      return false;
    });
    expect(reasons()).toEqual(new Set(['undecodable', 'invalid-signature', 'invalid-evidence']));
    expect(c.net.reports.filter((r) => r.peer !== 'mallory')).toEqual([]);
    const h = n0.host.height();
    await waitFor('two more blocks', () => n0.host.height() >= h + 2);
  }, 30_000);
});
