/**
 * Issue 4's scenarios through the node's own parts, in process: the genesis and validator
 * key `guts devnet` writes, the real app over LevelDB, the mempool, the block store and
 * the block producer that signs and commits every block (its clock is the test's, so
 * lock periods and time-locks pass in a few blocks).
 *
 * - a validator joins by staking and enters the consensus set at the epoch end (H+2),
 *   holding a small minority so the one-node chain goes on;
 * - unstaked tokens stay locked for lock_period and are then released automatically;
 * - a passed proposal is vetoed inside the time-lock and never executes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectSecp256k1Wallet, Registry, encodePubkey, makeAuthInfoBytes, makeSignDoc, type EncodeObject } from '@cosmjs/proto-signing';
import { encodeSecp256k1Pubkey } from '@cosmjs/amino';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { GutsApp } from '../../../app/chain/app.js';
import { ModuleManager } from '../../../app/chain/manager.js';
import { createModules } from '../../../app/chain/modules.js';
import { createTxPipeline } from '../../../app/chain/pipeline.js';
import { blockStoreSublevels, createBlockStore, type ChainBlockStore } from '../../../app/consensus/blockstore.js';
import { createMempool, type GutsMempool } from '../../../app/consensus/mempool.js';
import { loadFilePV } from '../../../app/consensus/privval.js';
import { createProducer, type Producer } from '../../../app/consensus/producer.js';
import { createStateStore, openChainDB, type ChainDB } from '../../../app/store/index.js';
import type { StateStore } from '../../../app/store/types.js';
import { inThreadVerifier } from '../../../app/tx/secp256k1.js';
import { deriveFromMnemonic, hdPath } from '../../../app/keyring/derive.js';
import { homePaths } from '../../../app/node/home.js';
import { prepareDevnet } from '../../../app/node/devnet.js';
import { parseGenesis } from '../../../genesis/doc.js';
import { gutsRegistryTypes } from '../../../sdk/registry.js';
import { ProposalStatus, VoteOption } from '../../../proto/gen/guts/gov/v1/gov.js';
import { BondStatus } from '../../../proto/gen/guts/staking/v1/staking.js';
import { makeAccounts, type TestAccount } from '../../helpers/chain.js';

const registry = new Registry([...gutsRegistryTypes]);
const EPOCH = 5;
const LOCK_SECONDS = 3_600n;
const GUT = 1_000_000n;

interface Node {
  app: GutsApp;
  store: StateStore;
  db: ChainDB;
  blockStore: ChainBlockStore;
  mempool: GutsMempool;
  producer: Producer;
  chainId: string;
  modules: ReturnType<typeof createModules>;
  /** The producer's wall clock (ms); block time follows the votes' timestamps. */
  clock: { ms: number };
}

let home: string;
let node: Node;
let dev: TestAccount;
let joiner: TestAccount;

async function openNode(): Promise<Node> {
  const paths = homePaths(home);
  const modules = createModules();
  const genesis = parseGenesis(JSON.parse(readFileSync(paths.genesis, 'utf8')), modules.list);
  const db = await openChainDB(paths.chainData);
  const store = await createStateStore(db);
  const manager = new ModuleManager(modules.list);
  const pipeline = createTxPipeline({ chainId: genesis.chainId, modules, manager, verifier: inThreadVerifier, minGasPrices: '0ugut', maxTxBytes: 1 << 20, maxBlockGas: -1n });
  const app = new GutsApp({ store, genesis, manager, pipeline });
  await app.init();
  const blockStore = await createBlockStore(blockStoreSublevels(db));
  const mempool = createMempool({ app });
  const clock = { ms: Number(genesis.genesisTime.seconds) * 1000 + 1000 };
  const producer = createProducer({
    app,
    blockStore,
    mempool,
    privValidator: await loadFilePV(paths.privValidatorKey, paths.privValidatorState),
    chainId: genesis.chainId,
    genesisTime: genesis.genesisTime,
    now: () => (clock.ms += 1000),
    timers: { setTimeout: () => 0, clearTimeout: () => undefined },
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  return { app, store, db, blockStore, mempool, producer, chainId: genesis.chainId, modules, clock };
}

async function sign(from: TestAccount, msgs: EncodeObject[]): Promise<Uint8Array> {
  const bodyBytes = registry.encodeTxBody({ messages: msgs, memo: '' });
  const authInfoBytes = makeAuthInfoBytes([{ pubkey: encodePubkey(encodeSecp256k1Pubkey(from.pubkey)), sequence: from.sequence }], [], 400_000, undefined, undefined);
  const { signature } = await from.wallet.signDirect(from.address, makeSignDoc(bodyBytes, authInfoBytes, node.chainId, Number(from.accountNumber)));
  from.sequence += 1n;
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [Buffer.from(signature.signature, 'base64')] }).finish();
}

/** Admit the txs through CheckTx, then let the producer commit blocks until they are in. */
async function submit(from: TestAccount, msgs: EncodeObject[]) {
  const tx = await sign(from, msgs);
  const check = await node.mempool.add(tx);
  expect(check.code, check.log).toBe(0);
  const ev = await node.producer.produceBlock();
  const i = ev.block.block.data.txs.findIndex((t) => Buffer.from(t).equals(Buffer.from(tx)));
  expect(i).toBeGreaterThanOrEqual(0);
  const res = ev.results.txResults[i]!;
  expect(res.code, res.log).toBe(0);
  return ev;
}

async function blocksUntil(done: () => Promise<boolean>, limit = 40): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await done()) return;
    await node.producer.produceBlock();
  }
  throw new Error(`condition not reached in ${limit} blocks (height ${node.producer.height()})`);
}

const read = async () => ({ store: await node.store.readAt(), height: node.store.height });
const balance = async (address: string) => node.modules.bank.keeper.getBalance(await read(), address, 'ugut');
const joinerConsKey = () => ed25519.getPublicKey(sha256(new TextEncoder().encode(`scenario-cons-${joiner.address}`)));

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'guts-scenarios-'));
  const { address, mnemonic } = await prepareDevnet(home);
  // the devnet genesis with short epochs and lock period, so the scenarios fit in a few dozen blocks
  const paths = homePaths(home);
  const g = JSON.parse(readFileSync(paths.genesis, 'utf8'));
  Object.assign(g.app_state.staking.params, { epoch_length: String(EPOCH), lock_period: String(LOCK_SECONDS) });
  writeFileSync(paths.genesis, JSON.stringify(g));
  const key = deriveFromMnemonic(mnemonic, hdPath(0, 0));
  dev = { address, privkey: key.privkey, pubkey: key.pubkey, wallet: await DirectSecp256k1Wallet.fromKey(key.privkey, 'guts'), accountNumber: 0n, sequence: 0n };
  joiner = (await makeAccounts(1, 4242))[0]!;
  node = await openNode();
  dev.accountNumber = (await node.modules.auth.keeper.getAccount(await read(), dev.address))!.accountNumber;
  await node.producer.produceBlock();
  // fund the joiner from the dev account
  await submit(dev, [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: { fromAddress: dev.address, toAddress: joiner.address, amount: [{ denom: 'ugut', amount: String(1_000n * GUT) }] } }]);
  joiner.accountNumber = (await node.modules.auth.keeper.getAccount(await read(), joiner.address))!.accountNumber;
});

afterAll(async () => {
  await node?.producer.stop();
  await node?.store.close();
  await node?.db.close();
  rmSync(home, { recursive: true, force: true });
});

describe('scenarios through the block producer', () => {
  it('a validator joins by staking and enters the consensus set two blocks after the epoch end', async () => {
    const selfStake = 200n * GUT; // 2% of the devnet validator's power: the one-node chain stays live
    const created = await submit(joiner, [
      {
        typeUrl: '/guts.staking.v1.MsgCreateValidator',
        value: { operatorAddress: joiner.address, pubkey: joinerConsKey(), moniker: 'joiner', website: '', details: '', commission: { rateBp: 500, maxRateBp: 1000, maxChangeRateBp: 100 }, selfStake: { denom: 'ugut', amount: selfStake.toString() } },
      },
    ]);
    const createdAt = Number(created.block.block.header!.height);
    expect((await node.modules.staking.keeper.getValidator(await read(), joiner.address))?.status).toBe(BondStatus.BOND_STATUS_UNBONDED);
    // the epoch end bonds it and returns the update; consensus uses it from H+2
    let epochEnd = 0;
    await blocksUntil(async () => {
      const v = await node.modules.staking.keeper.getValidator(await read(), joiner.address);
      if (v?.status === BondStatus.BOND_STATUS_BONDED && epochEnd === 0) epochEnd = node.store.height;
      return epochEnd > 0;
    });
    expect(epochEnd % EPOCH).toBe(0);
    expect(epochEnd - createdAt).toBeLessThanOrEqual(EPOCH);
    const results = await node.blockStore.loadResults(epochEnd);
    expect(results?.validatorUpdates.map((u) => [Buffer.from(u.pubKey!.ed25519!).toString('hex'), u.power])).toEqual([[Buffer.from(joinerConsKey()).toString('hex'), selfStake]]);
    const hasJoiner = async (h: number) => ((await node.blockStore.loadValidators(h))?.validators ?? []).some((v) => Buffer.from(v.pubKey!.ed25519!).equals(Buffer.from(joinerConsKey())));
    await blocksUntil(async () => node.producer.height() >= epochEnd + 3);
    expect(await hasJoiner(epochEnd + 1)).toBe(false);
    expect(await hasJoiner(epochEnd + 2)).toBe(true);
    // the chain goes on: the producer's own vote still carries more than 2/3
    expect(node.producer.height()).toBeGreaterThanOrEqual(epochEnd + 3);
  });

  it('unstaked tokens stay locked for lock_period and are then paid back automatically', async () => {
    const amount = 50n * GUT;
    const before = await balance(joiner.address);
    await submit(joiner, [{ typeUrl: '/guts.staking.v1.MsgUnstake', value: { delegatorAddress: joiner.address, validatorAddress: joiner.address, amount: { denom: 'ugut', amount: amount.toString() } } }]);
    // applied at the epoch end: an unbonding entry, nothing paid yet
    await blocksUntil(async () => (await node.modules.staking.api.stakeOf(await read(), joiner.address)) === 150n * GUT);
    const unbondedAt = node.store.height;
    for (let i = 0; i < 3; i++) await node.producer.produceBlock();
    expect(await balance(joiner.address)).toBe(before);
    // the locked tokens cannot be spent: they are not in the balance
    const tooMuch = await sign(joiner, [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: { fromAddress: joiner.address, toAddress: dev.address, amount: [{ denom: 'ugut', amount: String(before + 1n) }] } }]);
    joiner.sequence -= 1n; // only simulated: the sequence is not used
    await expect(node.app.simulate(tooMuch)).rejects.toMatchObject({ codespace: 'sdk', code: 5 });
    // after lock_period of block time the entry completes and pays
    node.clock.ms += Number(LOCK_SECONDS) * 1000;
    await blocksUntil(async () => (await balance(joiner.address)) === before + amount, 6);
    expect(node.store.height).toBeGreaterThan(unbondedAt);
  });

  it('a proposal vetoed inside the time-lock never executes', async () => {
    const params = await node.modules.staking.keeper.getParams(await read());
    const submitted = await submit(dev, [
      {
        typeUrl: '/guts.gov.v1.MsgSubmitProposal',
        value: { proposer: dev.address, title: 'fewer validators', description: '', content: { parameterChange: { module: 'staking', parameter: 'max_validators', oldValue: String(params.maxValidators), newValue: '50' } } },
      },
    ]);
    expect(submitted.results.txResults.some((r) => r.events.some((e) => e.type === 'submit_proposal'))).toBe(true);
    const id = (await node.modules.gov.keeper.getProposal(await read(), 1n)) ? 1n : 0n;
    expect(id).toBe(1n);
    await submit(dev, [{ typeUrl: '/guts.gov.v1.MsgVote', value: { proposalId: id, voter: dev.address, option: VoteOption.VOTE_OPTION_YES } }]);
    // jump past the voting period (120 s on a devnet): passed, queued in the time-lock
    node.clock.ms += 121_000;
    await blocksUntil(async () => (await node.modules.gov.keeper.getProposal(await read(), id))?.status === ProposalStatus.PROPOSAL_STATUS_QUEUED, 4);
    // the devnet validator holds ~98% of the bonded stake: its veto alone cancels it
    await submit(dev, [{ typeUrl: '/guts.gov.v1.MsgVeto', value: { proposalId: id, validator: dev.address } }]);
    expect((await node.modules.gov.keeper.getProposal(await read(), id))?.status).toBe(ProposalStatus.PROPOSAL_STATUS_VETOED);
    // past the execution time: nothing runs
    node.clock.ms += 61_000;
    for (let i = 0; i < 3; i++) await node.producer.produceBlock();
    expect((await node.modules.gov.keeper.getProposal(await read(), id))?.status).toBe(ProposalStatus.PROPOSAL_STATUS_VETOED);
    expect((await node.modules.staking.keeper.getParams(await read())).maxValidators).toBe(params.maxValidators);
  });
});
