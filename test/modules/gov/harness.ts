/**
 * A chain with auth, bank and gov over real LevelDB, gov wired to a small in-test staking
 * fake (gov's narrow StakingKeeper interface), blocks driven by hand one second apart.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { createModules } from '../../../app/chain/modules.js';
import { ModuleManager } from '../../../app/chain/manager.js';
import { GutsApp } from '../../../app/chain/app.js';
import { createTxPipeline } from '../../../app/chain/pipeline.js';
import { moduleAddress } from '../../../app/chain/address.js';
import type { AppModule } from '../../../app/chain/module.js';
import { ErrNotFound } from '../../../app/errors.js';
import { openChainDB, createStateStore, type ChainDB } from '../../../app/store/index.js';
import type { StateStore } from '../../../app/store/types.js';
import { inThreadVerifier } from '../../../app/tx/secp256k1.js';
import { defaultConsensusParams, genesisToJson, parseGenesis, validatorAddress } from '../../../genesis/doc.js';
import { createGovModule, moduleDirectory } from '../../../modules/gov/module.js';
import type { BondedValidator, ReadContext, StakingKeeper } from '../../../modules/gov/expected.js';
import { defaultGovGenesis, govGenesisToJson, type GovGenesis } from '../../../modules/gov/genesis.js';
import type { GovParams } from '../../../modules/gov/params.js';
import { UpgradeHandlers } from '../../../modules/gov/upgrade.js';
import { EmergencyAction, VoteOption, type ProposalContent } from '../../../proto/gen/guts/gov/v1/gov.js';
import { createStakingModule } from '../../../modules/staking/module.js';
import { gutsMessageTypes } from '../../../sdk/registry.js';
import { makeAccounts, registry, signTx, type TestAccount } from '../../helpers/chain.js';

for (const [url, type] of gutsMessageTypes) if (!registry.lookupType(url)) registry.register(url, type);

/**
 * Validators by operator with their self-stake, delegations by delegator; jailed ones leave
 * the bonded set. One share is one token (no slashes here), and delegations are fixed
 * before the chain starts, so the delegation hook never fires.
 */
export class FakeStaking implements StakingKeeper {
  readonly selfStake = new Map<string, bigint>();
  readonly delegations = new Map<string, { validator: string; amount: bigint }[]>();
  readonly jailed = new Set<string>();

  addValidator(operator: string, selfStake: bigint): this {
    this.selfStake.set(operator, selfStake);
    return this;
  }

  delegate(delegator: string, validator: string, amount: bigint): this {
    this.delegations.set(delegator, [...(this.delegations.get(delegator) ?? []), { validator, amount }]);
    return this;
  }

  private power(operator: string): bigint {
    let p = this.selfStake.get(operator) ?? 0n;
    for (const ds of this.delegations.values()) for (const d of ds) if (d.validator === operator) p += d.amount;
    return p;
  }

  async bondedValidator(_ctx: ReadContext, operator: string): Promise<BondedValidator | undefined> {
    if (!this.selfStake.has(operator) || this.jailed.has(operator)) return undefined;
    const power = this.power(operator);
    return { operator, power, shares: power };
  }

  async bondedValidators(ctx: ReadContext): Promise<BondedValidator[]> {
    const out: BondedValidator[] = [];
    for (const op of [...this.selfStake.keys()].sort()) {
      const v = await this.bondedValidator(ctx, op);
      if (v) out.push(v);
    }
    return out;
  }

  async totalBondedPower(ctx: ReadContext): Promise<bigint> {
    return (await this.bondedValidators(ctx)).reduce((s, v) => s + v.power, 0n);
  }

  async delegationsOf(_ctx: ReadContext, delegator: string) {
    // as cosmos-sdk: an operator's self-stake is a self-delegation
    const self = this.selfStake.get(delegator);
    return [...(self !== undefined ? [{ validator: delegator, amount: self }] : []), ...(this.delegations.get(delegator) ?? [])];
  }

  async delegationSharesOf(ctx: ReadContext, delegator: string) {
    return (await this.delegationsOf(ctx, delegator)).map((d) => ({ validator: d.validator, shares: d.amount }));
  }

  onDelegationsChanged(): void {}

  async jail(_ctx: unknown, operator: string): Promise<void> {
    if (!this.selfStake.has(operator)) throw ErrNotFound.wrap(`no validator ${operator}`);
    this.jailed.add(operator);
  }
}

/** Short periods so a test runs a whole proposal life in a few blocks (one block = one second). */
export function testGovParams(over: Partial<GovParams> = {}): GovParams {
  return {
    ...defaultGovGenesis().params,
    votingPeriod: 10n,
    emergencyVotingPeriod: 3n,
    executionDelay: 5n,
    proposalThreshold: 100n,
    minDeposit: [{ denom: 'ugut', amount: '1000' }],
    ...over,
  };
}

/**
 * Genesis with auth, bank (funded accounts, optionally the treasury) and gov; every other
 * registered module starts from its default genesis.
 */
export function govChainGenesis(accounts: TestAccount[], opts: { gov?: Partial<GovGenesis>; treasury?: bigint } = {}): Record<string, unknown> {
  const { auth, bank } = createModules();
  const balances = accounts.map((a) => ({ address: a.address, coins: [{ denom: 'ugut', amount: '1000000000' }] }));
  if (opts.treasury) balances.push({ address: moduleAddress('treasury'), coins: [{ denom: 'ugut', amount: opts.treasury.toString() }] });
  const bankGenesis = { ...bank.defaultGenesis(), balances };
  const json = genesisToJson(
    {
      genesisTime: { seconds: GENESIS_SECONDS, nanos: 0 },
      chainId: 'guts-test-1',
      initialHeight: 1n,
      consensusParams: defaultConsensusParams(),
      validators: [{ address: validatorAddress(new Uint8Array(32).fill(7)), pubKey: new Uint8Array(32).fill(7), power: 10n, name: 'v0' }],
      appState: { auth: auth.defaultGenesis(), bank: bank.validateGenesis(bank.genesisToJson(bankGenesis), 'bank') },
    },
    [auth as AppModule, bank as AppModule],
  ) as { app_state: Record<string, unknown> };
  json.app_state.gov = govGenesisToJson({ ...defaultGovGenesis(), params: testGovParams(), ...opts.gov });
  // the sybil governance gate reads bonded stake from modules/staking, which the fake staking
  // here does not fill: these tests exercise gov's own rules (the gate: sybil/core-gates.test.ts)
  const { sybil } = createModules();
  const sybilJson = sybil.genesisToJson(sybil.defaultGenesis()) as { params: Record<string, string> };
  Object.assign(sybilJson.params, { stake_governance: '0' });
  json.app_state.sybil = sybilJson;
  return json;
}

export interface GovChain {
  app: GutsApp;
  store: StateStore;
  db: ChainDB;
  dir: string;
  chainId: string;
  gov: ReturnType<typeof createGovModule>;
  modules: ReturnType<typeof createModules>;
  list: AppModule[];
  time(): bigint;
  height(): number;
  block(txs?: Uint8Array[]): Promise<Awaited<ReturnType<GutsApp['finalizeBlock']>>>;
  /** Sign with the account's next sequence (bumped on every call). */
  sign(from: TestAccount, msgs: EncodeObject[]): Promise<Uint8Array>;
  /** Run blocks until block time reaches `seconds` after genesis. */
  advanceTo(seconds: bigint): Promise<void>;
  close(): Promise<void>;
  reopen(upgrades?: UpgradeHandlers): Promise<GovChain>;
}

export const GENESIS_SECONDS = 1_790_000_000n;

/** `staking`: the in-test fake, or 'real' for modules/staking registered before gov (its StakingApi as gov's StakingKeeper). */
export async function openGovChain(
  genesis: Record<string, unknown>,
  staking: FakeStaking | 'real',
  opts: { upgrades?: UpgradeHandlers; dir?: string; time?: bigint } = {},
): Promise<GovChain> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'guts-gov-'));
  const modules = createModules();
  const list: AppModule[] = [...modules.list];
  let stakingKeeper: StakingKeeper;
  if (staking === 'real') {
    // the app's own staking module once app/chain/modules.ts registers it, else one added here
    let real = list.find((m) => m.name === 'staking') as (AppModule & { api: StakingKeeper }) | undefined;
    if (!real) list.push((real = createStakingModule(modules.bank.keeper) as AppModule & { api: StakingKeeper }));
    stakingKeeper = real.api;
  } else {
    stakingKeeper = staking;
  }
  const gov = createGovModule({ staking: stakingKeeper, bank: modules.bank.keeper, modules: moduleDirectory(() => list), upgrades: opts.upgrades });
  // this chain's gov (fake or real staking, the test's upgrade handlers) takes the place of the app's, if registered
  const at = list.findIndex((m) => m.name === 'gov');
  if (at >= 0) list.splice(at, 1, gov as AppModule);
  else list.push(gov as AppModule);
  const manager = new ModuleManager(list);
  const g = parseGenesis(genesis, list);
  const db = await openChainDB(dir);
  const store = await createStateStore(db);
  const pipeline = createTxPipeline({ chainId: g.chainId, modules: { ...modules, list }, manager, verifier: inThreadVerifier, minGasPrices: '0ugut', maxTxBytes: 1 << 20, maxBlockGas: -1n });
  const app = new GutsApp({ store, genesis: g, manager, pipeline });
  await app.init();
  let time = opts.time ?? g.genesisTime.seconds;
  app.setLastBlockTime({ seconds: time, nanos: 0 });
  const chain: GovChain = {
    app, store, db, dir, chainId: g.chainId, gov, modules, list,
    time: () => time,
    height: () => store.height,
    async block(txs = []) {
      const res = await app.finalizeBlock({
        txs,
        decidedLastCommit: { round: 0, votes: [] },
        misbehavior: [],
        hash: new Uint8Array(32),
        height: BigInt(store.height + 1),
        time: { seconds: time + 1n, nanos: 0 },
        nextValidatorsHash: new Uint8Array(32),
        proposerAddress: new Uint8Array(20),
      });
      await app.commit();
      time += 1n;
      return res;
    },
    async sign(from, msgs) {
      const tx = await signTx(from, msgs, { chainId: g.chainId, fee: 0n, gas: 2_000_000n });
      from.sequence += 1n;
      return tx;
    },
    async advanceTo(seconds) {
      while (time < g.genesisTime.seconds + seconds) await chain.block();
    },
    async close() {
      await store.close();
      await db.close();
    },
    async reopen(upgrades) {
      await chain.close();
      return openGovChain(genesis, staking, { upgrades, dir, time });
    },
  };
  return chain;
}

/** Accounts with their genesis account numbers filled in. */
export async function govAccounts(n: number, seed = 7): Promise<TestAccount[]> {
  return makeAccounts(n, seed);
}

export async function fillAccountNumbers(chain: GovChain, accounts: TestAccount[]): Promise<void> {
  const ctx = { store: await chain.store.readAt() };
  for (const a of accounts) {
    const acc = await chain.modules.auth.keeper.getAccount(ctx, a.address);
    if (!acc) throw new Error(`no account ${a.address}`);
    a.accountNumber = acc.accountNumber;
  }
}


const noContent: ProposalContent = { parameterChange: undefined, protocolUpgrade: undefined, emergency: undefined, treasurySpend: undefined };

export const content = {
  param: (module: string, parameter: string, oldValue: string, newValue: string): ProposalContent => ({ ...noContent, parameterChange: { module, parameter, oldValue, newValue } }),
  upgrade: (name: string, activationHeight: bigint, version = `${name}.0.0`): ProposalContent => ({ ...noContent, protocolUpgrade: { name, version, activationHeight, info: '' } }),
  pause: (module: string): ProposalContent => ({ ...noContent, emergency: { action: EmergencyAction.EMERGENCY_ACTION_PAUSE_MODULE, module, validator: '', justification: 'test' } }),
  resume: (module: string): ProposalContent => ({ ...noContent, emergency: { action: EmergencyAction.EMERGENCY_ACTION_RESUME_MODULE, module, validator: '', justification: 'test' } }),
  jail: (validator: string): ProposalContent => ({ ...noContent, emergency: { action: EmergencyAction.EMERGENCY_ACTION_JAIL_VALIDATOR, module: '', validator, justification: 'test' } }),
  spend: (recipient: string, amount: bigint, purpose = 'grant'): ProposalContent => ({ ...noContent, treasurySpend: { recipient, amount: [{ denom: 'ugut', amount: amount.toString() }], purpose } }),
};

export const msg = {
  submit: (proposer: string, c: ProposalContent, title = 'a proposal'): EncodeObject => ({ typeUrl: '/guts.gov.v1.MsgSubmitProposal', value: { proposer, title, description: '', content: c } }),
  vote: (voter: string, proposalId: bigint, option: VoteOption): EncodeObject => ({ typeUrl: '/guts.gov.v1.MsgVote', value: { voter, proposalId, option } }),
  veto: (validator: string, proposalId: bigint): EncodeObject => ({ typeUrl: '/guts.gov.v1.MsgVeto', value: { validator, proposalId } }),
};

export { VoteOption };
