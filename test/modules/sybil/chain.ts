/**
 * An in-process chain for the sybil, faucet and repo tests: real
 * LevelDB, real pipeline, txs signed by stock cosmjs with the Guts registry. Unlike
 * test/helpers/chain.ts, every block gets a distinct hash (PoW challenges bind it) and
 * the block time step is chosen by the test (faucet cooldowns).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry, encodePubkey, makeAuthInfoBytes, makeSignDoc, type EncodeObject } from '@cosmjs/proto-signing';
import { encodeSecp256k1Pubkey } from '@cosmjs/amino';
import { sha256 } from '@noble/hashes/sha2.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { CheckTxType, type Misbehavior } from 'cosmjs-types/tendermint/abci/types';
import { createModules } from '../../../app/chain/modules.js';
import { ModuleManager } from '../../../app/chain/manager.js';
import { GutsApp } from '../../../app/chain/app.js';
import { createTxPipeline } from '../../../app/chain/pipeline.js';
import { moduleAddress } from '../../../app/chain/address.js';
import { uint64BE } from '../../../app/chain/keys.js';
import { openChainDB, createStateStore, type ChainDB } from '../../../app/store/index.js';
import { inThreadVerifier } from '../../../app/tx/secp256k1.js';
import { parseGenesis, genesisToJson, defaultConsensusParams, validatorAddress, type Genesis } from '../../../genesis/doc.js';
import { genesisConsensus, type StakingGenesis } from '../../../modules/staking/genesis.js';
import type { StateStore } from '../../../app/store/types.js';
import { gutsRegistryTypes } from '../../../sdk/registry.js';
import { makeAccounts, removeDir, type TestAccount } from '../../helpers/chain.js';

export { makeAccounts, removeDir, type TestAccount };

export const registry = new Registry([...gutsRegistryTypes]);

/** The chain's modules (sybil, faucet and repo included). */
export const gutsModules = createModules;

export const FAUCET = moduleAddress('faucet');

export interface GenesisOptions {
  accounts: { address: string; amount: bigint }[];
  /** app_state overrides per module, JSON form (merged over each module's default). */
  state?: Record<string, (json: any) => void>;
  chainId?: string;
}

export function gutsGenesis(opts: GenesisOptions): Record<string, unknown> {
  const modules = gutsModules();
  const appState: Record<string, unknown> = {};
  for (const m of modules.list) appState[m.name] = m.defaultGenesis();
  const bank = modules.bank.defaultGenesis();
  bank.balances = opts.accounts.map((a) => ({ address: a.address, coins: [{ denom: 'ugut', amount: a.amount.toString() }] }));
  appState.bank = modules.bank.validateGenesis(modules.bank.genesisToJson(bank), 'bank');
  const json = genesisToJson(
    {
      genesisTime: { seconds: 1_790_000_000n, nanos: 0 },
      chainId: opts.chainId ?? 'guts-test-1',
      initialHeight: 1n,
      consensusParams: defaultConsensusParams(),
      validators: [{ address: validatorAddress(new Uint8Array(32).fill(7)), pubKey: new Uint8Array(32).fill(7), power: 10n, name: 'v0' }],
      appState,
    },
    modules.list,
  );
  const state = json.app_state as Record<string, any>;
  // short staking epochs and no minimum, so tests bond stake in a few blocks (bondValidator)
  Object.assign(state.staking.params, { epoch_length: '2', min_stake: '1' });
  // tests bond small self-stakes and propose with them: the validator and governance gates
  // are exercised with their own amounts in core-gates.test.ts
  Object.assign(state.sybil.params, { stake_validator: '1', stake_governance: '1' });
  for (const [name, edit] of Object.entries(opts.state ?? {})) edit(state[name]);
  return json;
}

export interface GutsChain {
  app: GutsApp;
  store: StateStore;
  db: ChainDB;
  dir: string;
  chainId: string;
  modules: ReturnType<typeof gutsModules>;
  height(): number;
  /** Block time (Unix seconds) of the last block. */
  time(): bigint;
  /** Hash given to block `height` (sha256 of its height). */
  hashOf(height: number): Uint8Array;
  block(txs: Uint8Array[], opts?: { timeStep?: bigint; hash?: Uint8Array; misbehavior?: Misbehavior[] }): Promise<Awaited<ReturnType<GutsApp['finalizeBlock']>>>;
  check(tx: Uint8Array): ReturnType<GutsApp['checkTx']>;
  /** A read context at the committed height. */
  read(): Promise<{ store: Awaited<ReturnType<StateStore['readAt']>>; height: number }>;
  sign(from: TestAccount, msgs: EncodeObject[], opts?: { fee?: bigint; gas?: bigint }): Promise<Uint8Array>;
  close(): Promise<void>;
}

export const blockHash = (height: number) => sha256(uint64BE(BigInt(height)));

export async function openGutsChain(genesis: Record<string, unknown>, accounts: TestAccount[] = []): Promise<GutsChain> {
  const modules = gutsModules();
  const manager = new ModuleManager(modules.list);
  const g = parseGenesis(genesis, modules.list);
  const dir = mkdtempSync(join(tmpdir(), 'guts-mod-'));
  const db = await openChainDB(dir);
  const store = await createStateStore(db);
  const pipeline = createTxPipeline({ chainId: g.chainId, modules, manager, verifier: inThreadVerifier, minGasPrices: '0ugut', maxTxBytes: 1 << 20, maxBlockGas: -1n });
  const app = new GutsApp({ store, genesis: g, manager, pipeline });
  await app.init();
  let time = g.genesisTime.seconds;
  const read = async () => ({ store: await store.readAt(), height: store.height });
  for (const a of accounts) {
    const acc = await modules.auth.keeper.getAccount(await read(), a.address);
    if (acc) a.accountNumber = acc.accountNumber;
  }
  const chain: GutsChain = {
    app,
    store,
    db,
    dir,
    chainId: g.chainId,
    modules,
    height: () => store.height,
    time: () => time,
    hashOf: blockHash,
    read,
    async block(txs, opts = {}) {
      time += opts.timeStep ?? 1n;
      const height = store.height + 1;
      const res = await app.finalizeBlock({
        txs,
        decidedLastCommit: { round: 0, votes: [] },
        misbehavior: opts.misbehavior ?? [],
        hash: opts.hash ?? blockHash(height),
        height: BigInt(height),
        time: { seconds: time, nanos: 0 },
        nextValidatorsHash: new Uint8Array(32),
        proposerAddress: new Uint8Array(20),
      });
      await app.commit();
      return res;
    },
    check: (tx) => app.checkTx(tx, CheckTxType.NEW),
    async sign(from, msgs, opts = {}) {
      const bodyBytes = registry.encodeTxBody({ messages: msgs, memo: '' });
      const pubkey = encodePubkey(encodeSecp256k1Pubkey(from.pubkey));
      const authInfoBytes = makeAuthInfoBytes([{ pubkey, sequence: from.sequence }], [{ denom: 'ugut', amount: (opts.fee ?? 0n).toString() }], Number(opts.gas ?? 400_000n), undefined, undefined);
      const doc = makeSignDoc(bodyBytes, authInfoBytes, g.chainId, Number(from.accountNumber));
      const { signature } = await from.wallet.signDirect(from.address, doc);
      from.sequence += 1n;
      return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [Buffer.from(signature.signature, 'base64')] }).finish();
    },
    async close() {
      await store.close();
      await db.close();
      removeDir(dir);
    },
  };
  return chain;
}

const consPubkey = (acct: TestAccount) => ed25519.getPublicKey(sha256(new TextEncoder().encode(`cons-${acct.address}`)));

/** CometBFT address of the consensus key bondValidator gives `acct`. */
export const consAddressOf = (acct: TestAccount) => sha256(consPubkey(acct)).subarray(0, 20);

/**
 * Make `acct` a validator with `selfStake` bonded (sybil reads bonded stake through
 * StakingApi.stakeOf) and run blocks to the staking epoch end that applies it.
 */
export async function bondValidator(chain: GutsChain, acct: TestAccount, selfStake: bigint): Promise<void> {
  const pubkey = consPubkey(acct);
  const res = await chain.block([
    await chain.sign(acct, [
      {
        typeUrl: '/guts.staking.v1.MsgCreateValidator',
        value: { operatorAddress: acct.address, pubkey, moniker: 'v', website: '', details: '', commission: { rateBp: 1000, maxRateBp: 2000, maxChangeRateBp: 100 }, selfStake: { denom: 'ugut', amount: selfStake.toString() } },
      },
    ]),
  ]);
  if (res.txResults[0]!.code !== 0) throw new Error(`create validator: ${res.txResults[0]!.log}`);
  for (let i = 0; i < 4 && (await chain.modules.staking.api.stakeOf(await chain.read(), acct.address)) < selfStake; i++) await chain.block([]);
  if ((await chain.modules.staking.api.stakeOf(await chain.read(), acct.address)) < selfStake) throw new Error('stake was not applied at the epoch end');
}

/** Account numbers are assigned at genesis in address order; read them back. */
export async function syncAccounts(chain: GutsChain, accounts: TestAccount[]): Promise<void> {
  for (const a of accounts) {
    const acc = await chain.modules.auth.keeper.getAccount(await chain.read(), a.address);
    if (acc) {
      a.accountNumber = acc.accountNumber;
      a.sequence = acc.sequence;
    }
  }
}

/**
 * An exported genesis as a node would write it: consensus `validators` are the set in
 * force, i.e. the unmanaged genesis validator plus what staking bonded since (genesis/doc.ts
 * refuses a staking genesis whose bonded validators consensus does not list).
 */
export function withStakingValidators(g: Genesis): Genesis {
  const have = new Set(g.validators.map((v) => Buffer.from(v.pubKey).toString('hex')));
  const bonded = genesisConsensus(g.appState.staking as StakingGenesis).validators.filter((v) => !have.has(Buffer.from(v.pubKey).toString('hex')));
  return { ...g, validators: [...g.validators, ...bonded.map((v) => ({ address: validatorAddress(v.pubKey), pubKey: v.pubKey, power: v.power, name: v.name }))] };
}
