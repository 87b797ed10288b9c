/**
 * The auditor's path with no trust in the node: abci_query prove=true → proof op →
 * @ethereumjs/mpt verification against the app hash in the next header → that header's
 * commit signed by the validator set (verifyCommit).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { fromBech32 } from '@cosmjs/encoding';
import { connectComet, type CometClient } from '@cosmjs/tendermint-rpc';
import { verifyMerkleProof } from '@ethereumjs/mpt';
import { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import { decodeProofOp, verifyStoreProof } from '../../sdk/proof.js';
import { verifyCommit } from '../../app/consensus/verify.js';
import { freePort, startDevnet, tempHome, type DevnetProcess } from '../helpers/devnet-process.js';

describe('state proofs an auditor can check', () => {
  let home: string;
  let node: DevnetProcess;
  let dev: string;
  let comet: CometClient;

  beforeAll(async () => {
    home = tempHome();
    const wallet = await DirectSecp256k1HdWallet.generate(12, { prefix: 'guts' });
    dev = (await wallet.getAccounts())[0]!.address;
    node = await startDevnet({ home, port: await freePort(), mnemonic: wallet.mnemonic });
    comet = await connectComet(node.rpc);
  });

  afterAll(async () => {
    comet?.disconnect();
    node?.child.kill('SIGTERM');
    await node?.exited;
    rmSync(home, { recursive: true, force: true });
  });

  const balanceKey = (address: string) => {
    const enc = new TextEncoder();
    return new Uint8Array([...enc.encode('balances/'), ...fromBech32(address, 90).data, ...enc.encode('/ugut')]);
  };

  it('proves a balance (inclusion) and a missing balance (exclusion) against a signed header', async () => {
    const res = await comet.abciQuery({ path: '/store/bank/key', data: balanceKey(dev), prove: true });
    expect(res.code).toBe(0);
    const height = res.height!;
    expect(Coin.decode(res.value).amount).toBe('1000000000000');
    const op = decodeProofOp({ type: res.proof!.ops[0]!.type, key: res.proof!.ops[0]!.key, data: res.proof!.ops[0]!.data });

    // the state after block `height` is committed to by header height + 1
    let next = await comet.block(height + 1).catch(() => undefined);
    for (let i = 0; !next && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      next = await comet.block(height + 1).catch(() => undefined);
    }
    const appHash = next!.block.header.appHash;
    expect(await verifyStoreProof({ root: appHash, key: op.key, value: res.value, proof: op.proof })).toBe(true);
    // the same check with @ethereumjs/mpt alone, as DESIGN §3 promises
    expect(await verifyMerkleProof(op.key, op.proof, { root: appHash, useKeyHashing: false })).toEqual(res.value);
    const tampered = new Uint8Array(res.value);
    tampered[tampered.length - 1] ^= 1;
    expect(await verifyStoreProof({ root: appHash, key: op.key, value: tampered, proof: op.proof })).toBe(false);

    const missing = await comet.abciQuery({ path: '/store/bank/key', data: balanceKey('guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5'), prove: true, height });
    expect(missing.value.length).toBe(0);
    const mop = decodeProofOp({ type: missing.proof!.ops[0]!.type, key: missing.proof!.ops[0]!.key, data: missing.proof!.ops[0]!.data });
    expect(await verifyStoreProof({ root: appHash, key: mop.key, value: undefined, proof: mop.proof })).toBe(true);

    // the header is signed by more than 2/3 of the validator set that the genesis names
    const commit = await comet.commit(height + 1);
    const vals = await comet.validatorsAll(height + 1);
    const set = {
      validators: vals.validators.map((v) => ({ address: v.address, pubKey: { ed25519: v.pubkey!.data, secp256k1: undefined }, votingPower: v.votingPower, proposerPriority: v.proposerPriority ?? 0n })),
      proposer: undefined,
      totalVotingPower: vals.validators.reduce((s, v) => s + v.votingPower, 0n),
    };
    const blockId = { hash: commit.commit.blockId.hash, partSetHeader: { total: commit.commit.blockId.parts.total, hash: commit.commit.blockId.parts.hash } };
    expect(() =>
      verifyCommit(next!.block.header.chainId, set as never, blockId, height + 1, {
        height: BigInt(height + 1),
        round: commit.commit.round,
        blockId,
        signatures: commit.commit.signatures.map((s) => ({ blockIdFlag: s.blockIdFlag as number, validatorAddress: s.validatorAddress ?? new Uint8Array(), timestamp: { seconds: BigInt(Math.floor((s.timestamp?.getTime() ?? 0) / 1000)), nanos: ((s.timestamp?.getTime() ?? 0) % 1000) * 1e6 + (s.timestamp?.nanoseconds ?? 0) }, signature: s.signature ?? new Uint8Array() })),
      }),
    ).not.toThrow();
  });
});
