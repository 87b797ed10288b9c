/**
 * A chain with auth, bank, staking and slashing over real LevelDB, driven block by
 * block with chosen commit votes, evidence and times; txs signed by stock cosmjs with
 * the Guts registry; and the invariants checked after every block.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry, makeAuthInfoBytes, makeSignDoc, encodePubkey, type EncodeObject } from '@cosmjs/proto-signing';
import { encodeSecp256k1Pubkey } from '@cosmjs/amino';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { MisbehaviorType, type Misbehavior, type ResponseFinalizeBlock } from 'cosmjs-types/tendermint/abci/types';
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { expect } from 'vitest';
import { createAuthModule } from '../../../modules/auth/module.js';
import { createBankModule } from '../../../modules/bank/module.js';
import { createStakingModule } from '../../../modules/staking/module.js';
import { createSlashingModule } from '../../../modules/slashing/module.js';
import { STAKING_MODULE_ACCOUNTS, BONDED_POOL, NOT_BONDED_POOL, DISTRIBUTION } from '../../../modules/staking/pools.js';
import { BondStatus, ChangeKind } from '../../../proto/gen/guts/staking/v1/staking.js';
import { ModuleManager } from '../../../app/chain/manager.js';
import { GutsApp } from '../../../app/chain/app.js';
import { createTxPipeline } from '../../../app/chain/pipeline.js';
import type { Modules } from '../../../app/chain/modules.js';
import type { AppModule } from '../../../app/chain/module.js';
import { moduleAddress } from '../../../app/chain/address.js';
import { openChainDB, createStateStore, type ChainDB } from '../../../app/store/index.js';
import type { StateStore } from '../../../app/store/types.js';
import { inThreadVerifier } from '../../../app/tx/secp256k1.js';
import { parseGenesis, genesisToJson, defaultConsensusParams, validatorAddress } from '../../../genesis/doc.js';
import { gutsRegistryTypes } from '../../../sdk/registry.js';
import { makeAccounts, type TestAccount } from '../../helpers/chain.js';

export const registry = new Registry(gutsRegistryTypes);
export const DENOM = 'ugut';

export function createTestModules() {
  const auth = createAuthModule(['fee_collector', ...STAKING_MODULE_ACCOUNTS]);
  const bank = createBankModule(auth.keeper);
  const staking = createStakingModule(bank.keeper);
  const slashing = createSlashingModule(staking.api);
  const list: AppModule[] = [auth as AppModule, bank as AppModule, staking as AppModule, slashing as AppModule];
  return { auth, bank, staking, slashing, list };
}
export type TestModules = ReturnType<typeof createTestModules>;

/** Test defaults: short epochs and lock period, small stakes. */
export const TEST_STAKING_PARAMS = {
  bond_denom: DENOM,
  min_stake: '1000',
  max_validators: '3',
  epoch_length: '4',
  lock_period: '20',
  block_reward: '1000',
  community_tax: '200',
  power_reduction: '1',
  max_entries: '7',
  max_changes_per_block: '100',
};

export const TEST_SLASHING_PARAMS = {
  signed_blocks_window: '10',
  min_signed_per_window: '5000',
  downtime_jail_duration: '30',
  slash_fraction_double_sign: '500',
  slash_fraction_downtime: '100',
};

export interface ConsKey {
  priv: Uint8Array;
  pub: Uint8Array;
  address: Uint8Array;
}

export function consKey(seed: string): ConsKey {
  const priv = sha256(new TextEncoder().encode(`cons-${seed}`));
  const pub = ed25519.getPublicKey(priv);
  return { priv, pub, address: sha256(pub).subarray(0, 20) };
}

export interface ChainOptions {
  accounts: { address: string; amount: bigint }[];
  staking?: Partial<typeof TEST_STAKING_PARAMS>;
  slashing?: Partial<typeof TEST_SLASHING_PARAMS>;
  genesisValidators?: unknown[];
  /** Replace the whole staking/slashing app_state (import of an export). */
  appState?: Record<string, unknown>;
  consensusValidators?: { pubKey: Uint8Array; power: bigint }[];
}

export function buildGenesis(o: ChainOptions): Record<string, unknown> {
  const m = createTestModules();
  const bank = m.bank.defaultGenesis();
  bank.balances = o.accounts.map((a) => ({ address: a.address, coins: [{ denom: DENOM, amount: a.amount.toString() }] }));
  const appState: Record<string, unknown> = o.appState ?? {
    auth: m.auth.genesisToJson(m.auth.defaultGenesis()),
    bank: m.bank.genesisToJson(m.bank.validateGenesis(m.bank.genesisToJson(bank), 'x')),
    staking: { ...(m.staking.genesisToJson(m.staking.defaultGenesis()) as object), params: { ...TEST_STAKING_PARAMS, ...o.staking }, genesis_validators: o.genesisValidators ?? [] },
    slashing: { params: { ...TEST_SLASHING_PARAMS, ...o.slashing }, signing_infos: [] },
  };
  const fallback = new Uint8Array(32).fill(7);
  const vals = o.consensusValidators ?? [{ pubKey: fallback, power: 10n }];
  const doc = {
    genesisTime: { seconds: 1_790_000_000n, nanos: 0 },
    chainId: 'guts-staking-1',
    initialHeight: 1n,
    consensusParams: defaultConsensusParams(),
    validators: vals.map((v, i) => ({ address: validatorAddress(v.pubKey), pubKey: v.pubKey, power: v.power, name: `v${i}` })),
    appState: Object.fromEntries(m.list.map((mod) => [mod.name, mod.validateGenesis(appState[mod.name], `app_state.${mod.name}`)])),
  };
  return genesisToJson(doc, m.list) as Record<string, unknown>;
}

export interface BlockOptions {
  /** Addresses in the previous block's commit, with whether each signed. */
  votes?: { address: Uint8Array; signed: boolean }[];
  misbehavior?: Misbehavior[];
  proposer?: Uint8Array;
  /** Seconds since the previous block (default 1). */
  advance?: bigint;
}

export class StakingChain {
  time: bigint;
  readonly sequences = new Map<string, bigint>();
  readonly numbers = new Map<string, bigint>();
  /** Every EndBlock's validator updates, by height. */
  readonly updates = new Map<number, ResponseFinalizeBlock['validatorUpdates']>();
  /** Supply of the bond denom before each block, for reward accounting. */
  checkInvariants = true;

  constructor(
    readonly app: GutsApp,
    readonly store: StateStore,
    readonly db: ChainDB,
    readonly dir: string,
    readonly modules: TestModules,
    readonly chainId: string,
    readonly genesis: Record<string, unknown>,
    genesisTime: bigint,
  ) {
    this.time = genesisTime;
  }

  get height(): number {
    return this.store.height;
  }

  async view() {
    return { store: await this.store.readAt() };
  }

  async block(txs: Uint8Array[] = [], o: BlockOptions = {}): Promise<ResponseFinalizeBlock> {
    this.time += o.advance ?? 1n;
    const res = await this.app.finalizeBlock({
      txs,
      decidedLastCommit: {
        round: 0,
        votes: (o.votes ?? []).map((v) => ({ validator: { address: v.address, power: 1n }, blockIdFlag: v.signed ? BlockIDFlag.BLOCK_ID_FLAG_COMMIT : BlockIDFlag.BLOCK_ID_FLAG_ABSENT })),
      },
      misbehavior: o.misbehavior ?? [],
      hash: sha256(new TextEncoder().encode(`block-${this.store.height + 1}`)),
      height: BigInt(this.store.height + 1),
      time: { seconds: this.time, nanos: 0 },
      nextValidatorsHash: new Uint8Array(32),
      proposerAddress: o.proposer ?? new Uint8Array(20),
    });
    await this.app.commit();
    if (res.validatorUpdates.length > 0) this.updates.set(this.store.height, res.validatorUpdates);
    if (this.checkInvariants) await checkInvariants(this);
    return res;
  }

  /** Run blocks until the one that ends the current epoch (inclusive). */
  async toEpochEnd(o: BlockOptions = {}): Promise<ResponseFinalizeBlock> {
    const v = await this.view();
    const epoch = await this.modules.staking.keeper.getEpoch(v);
    const params = await this.modules.staking.keeper.getParams(v);
    const end = Number(epoch.startHeight + params.epochLength - 1n);
    let res: ResponseFinalizeBlock | undefined;
    while (this.height < end) res = await this.block([], o);
    return res!;
  }

  async sign(from: TestAccount, msgs: EncodeObject[], opts: { fee?: bigint; gas?: bigint } = {}): Promise<Uint8Array> {
    if (!this.numbers.has(from.address)) {
      const acc = await this.modules.auth.keeper.getAccount(await this.view(), from.address);
      this.numbers.set(from.address, acc!.accountNumber);
    }
    const sequence = this.sequences.get(from.address) ?? 0n;
    this.sequences.set(from.address, sequence + 1n);
    const bodyBytes = registry.encodeTxBody({ messages: msgs, memo: '' });
    const pubkey = encodePubkey(encodeSecp256k1Pubkey(from.pubkey));
    const authInfoBytes = makeAuthInfoBytes([{ pubkey, sequence }], [{ denom: DENOM, amount: (opts.fee ?? 2000n).toString() }], Number(opts.gas ?? 400_000n), undefined, undefined);
    const doc = makeSignDoc(bodyBytes, authInfoBytes, this.chainId, Number(this.numbers.get(from.address)!));
    const { signature } = await from.wallet.signDirect(from.address, doc);
    return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [Buffer.from(signature.signature, 'base64')] }).finish();
  }

  /** Sign and run one tx in its own block; returns its result. */
  async tx(from: TestAccount, msgs: EncodeObject[], o: BlockOptions & { fee?: bigint } = {}) {
    const res = await this.block([await this.sign(from, msgs, { fee: o.fee })], o);
    const r = res.txResults[0]!;
    // a tx refused before the ante handler (decode, validateBasic) does not use its sequence
    if (r.gasWanted === 0n) this.sequences.set(from.address, this.sequences.get(from.address)! - 1n);
    return r;
  }

  async balance(address: string): Promise<bigint> {
    return this.modules.bank.keeper.getBalance(await this.view(), address, DENOM);
  }

  async validator(op: string) {
    return (await this.modules.staking.keeper.getValidator(await this.view(), op))!;
  }

  async exportJson(): Promise<string> {
    const state = await this.app.exportAppState();
    const out: Record<string, unknown> = {};
    for (const m of this.modules.list) out[m.name] = m.genesisToJson(state[m.name]);
    return JSON.stringify(out);
  }

  async close(): Promise<void> {
    await this.store.close();
    await this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export async function openStakingChain(o: ChainOptions): Promise<StakingChain> {
  const genesis = buildGenesis(o);
  const modules = createTestModules();
  const manager = new ModuleManager(modules.list);
  const g = parseGenesis(genesis, modules.list);
  const dir = mkdtempSync(join(tmpdir(), 'guts-staking-'));
  const db = await openChainDB(dir);
  const store = await createStateStore(db);
  const pipeline = createTxPipeline({ chainId: g.chainId, modules: modules as unknown as Modules, manager, verifier: inThreadVerifier, minGasPrices: '0ugut', maxTxBytes: 1 << 20, maxBlockGas: -1n });
  const app = new GutsApp({ store, genesis: g, manager, pipeline });
  await app.init();
  return new StakingChain(app, store, db, dir, modules, g.chainId, genesis, g.genesisTime.seconds);
}

export async function funded(n: number, amount: bigint, seed = 77): Promise<TestAccount[]> {
  const accts = await makeAccounts(n, seed);
  return accts.map((a) => Object.assign(a, { amount }));
}

export const msg = {
  createValidator: (op: string, key: ConsKey, selfStake: bigint, commission = { rateBp: 1000, maxRateBp: 2000, maxChangeRateBp: 100 }, moniker = 'val'): EncodeObject => ({
    typeUrl: '/guts.staking.v1.MsgCreateValidator',
    value: { operatorAddress: op, pubkey: key.pub, moniker, website: '', details: '', commission, selfStake: { denom: DENOM, amount: selfStake.toString() } },
  }),
  edit: (op: string, fields: { moniker?: string; commissionRateBp?: number }): EncodeObject => ({ typeUrl: '/guts.staking.v1.MsgEditValidator', value: { operatorAddress: op, ...fields } }),
  stake: (del: string, val: string, amount: bigint): EncodeObject => ({ typeUrl: '/guts.staking.v1.MsgStake', value: { delegatorAddress: del, validatorAddress: val, amount: { denom: DENOM, amount: amount.toString() } } }),
  unstake: (del: string, val: string, amount: bigint): EncodeObject => ({ typeUrl: '/guts.staking.v1.MsgUnstake', value: { delegatorAddress: del, validatorAddress: val, amount: { denom: DENOM, amount: amount.toString() } } }),
  redelegate: (del: string, src: string, dst: string, amount: bigint): EncodeObject => ({
    typeUrl: '/guts.staking.v1.MsgRedelegate',
    value: { delegatorAddress: del, srcValidatorAddress: src, dstValidatorAddress: dst, amount: { denom: DENOM, amount: amount.toString() } },
  }),
  withdraw: (del: string, val = ''): EncodeObject => ({ typeUrl: '/guts.staking.v1.MsgWithdrawRewards', value: { delegatorAddress: del, validatorAddress: val } }),
  unjail: (op: string): EncodeObject => ({ typeUrl: '/guts.slashing.v1.MsgUnjail', value: { validatorAddress: op } }),
};

export function doubleSign(key: ConsKey, height: bigint): Misbehavior {
  return { type: MisbehaviorType.DUPLICATE_VOTE, validator: { address: key.address, power: 1n }, height, time: { seconds: 0n, nanos: 0 }, totalVotingPower: 1n };
}

const big = (s: string) => BigInt(s || '0');

/**
 * Invariants (issue 4, "Tests and figures"): supply = sum of balances; every balance
 * positive; bonded_pool = tokens of bonded validators; not_bonded_pool = tokens of the
 * others + unbonding balances + queued stakes; delegation shares sum to each validator's
 * shares; the reward pool covers every reward and commission owed; the active set's
 * total power is the sum of its powers.
 */
export async function checkInvariants(chain: StakingChain): Promise<void> {
  const v = await chain.view();
  const { bank, staking } = chain.modules;
  const k = staking.keeper;
  let sum = 0n;
  const bal = new Map<string, bigint>();
  for await (const { address, coin } of bank.keeper.allBalances(v)) {
    if (coin.denom !== DENOM) continue;
    const n = BigInt(coin.amount);
    expect(n, `balance of ${address}`).toBeGreaterThan(0n);
    bal.set(address, n);
    sum += n;
  }
  expect(sum, 'supply = sum of balances').toBe(await bank.keeper.getSupply(v, DENOM));
  let bonded = 0n;
  let notBonded = 0n;
  let owed = 0n;
  const shares = new Map<string, bigint>();
  const vals = new Map<string, Awaited<ReturnType<typeof k.getValidator>>>();
  for await (const val of k.validators(v)) {
    vals.set(val.operatorAddress, val);
    expect(big(val.tokens) >= 0n && big(val.delegatorShares) >= 0n).toBe(true);
    if (val.status === BondStatus.BOND_STATUS_BONDED) bonded += big(val.tokens);
    else notBonded += big(val.tokens);
    owed += big(val.accumulatedCommission);
    expect((await k.getLastPower(v, val.operatorAddress)) > 0n, `status of ${val.operatorAddress} matches the active set`).toBe(val.status === BondStatus.BOND_STATUS_BONDED);
  }
  for await (const e of k.allUnbondings(v)) {
    expect(big(e.balance) >= 0n).toBe(true);
    notBonded += big(e.balance);
  }
  for await (const p of k.pending(v)) if (p.kind === ChangeKind.CHANGE_KIND_STAKE) notBonded += big(p.amount);
  const { accruedRewards } = await import('../../../modules/staking/rewards.js');
  for await (const d of k.allDelegations(v)) {
    expect(big(d.shares) >= 0n && big(d.pendingOut) >= 0n && big(d.pendingRewards) >= 0n).toBe(true);
    shares.set(d.validatorAddress, (shares.get(d.validatorAddress) ?? 0n) + big(d.shares));
    owed += big(d.pendingRewards) + accruedRewards(vals.get(d.validatorAddress)!, d);
  }
  for (const [op, val] of vals) expect(shares.get(op) ?? 0n, `delegator shares of ${op}`).toBe(big(val!.delegatorShares));
  expect(bal.get(moduleAddress(BONDED_POOL)) ?? 0n, 'bonded pool').toBe(bonded);
  expect(bal.get(moduleAddress(NOT_BONDED_POOL)) ?? 0n, 'not bonded pool').toBe(notBonded);
  expect(bal.get(moduleAddress(DISTRIBUTION)) ?? 0n, 'reward pool covers what is owed').toBeGreaterThanOrEqual(owed);
  let total = 0n;
  for await (const lp of k.lastPowers(v)) total += lp.power;
  expect(await k.getTotalPower(v)).toBe(total);
}

export { makeAccounts, type TestAccount };
