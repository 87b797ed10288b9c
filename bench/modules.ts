/**
 * Module costs that run inside one block (issue 4 "Tests and figures"), through the real
 * app over LevelDB: the staking epoch end with 100 validators and 10,000 delegations
 * (once with 10,000 stakes queued in the epoch — applied `max_changes_per_block` per block
 * from the epoch end on, every one of those blocks measured — once with nothing queued), the gov tally of a
 * proposal with 100 validator votes and 10,000 delegator overrides, and the sybil proof of
 * work (verifications per second, solve time at 16/18/20 bits). Each block-time figure is
 * compared with the block before it (same chain, same size, no epoch end / tally) and
 * with the budget: 10% of a 1 s block.
 *
 *   npm run build && node dist/bench/modules.js [--validators 100] [--delegations 10000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, SignDoc, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { GutsApp } from '../app/chain/app.js';
import { ModuleManager } from '../app/chain/manager.js';
import { createModules } from '../app/chain/modules.js';
import { createTxPipeline } from '../app/chain/pipeline.js';
import { createStateStore, openChainDB } from '../app/store/index.js';
import { pubkeyToAddress } from '../app/tx/secp256k1.js';
import { createVerifyPool } from '../app/tx/verify-pool.js';
import { defaultConsensusParams, genesisToJson, parseGenesis, validatorAddress, type Genesis } from '../genesis/doc.js';
import { genesisValidatorSet } from '../modules/staking/genesis.js';
import { MsgStake } from '../proto/gen/guts/staking/v1/tx.js';
import { MsgSubmitProposal, MsgVote } from '../proto/gen/guts/gov/v1/tx.js';
import { ProposalStatus, VoteOption } from '../proto/gen/guts/gov/v1/gov.js';
import { leadingZeroBits, powChallenge, powHash, solvePow } from '../sdk/pow.js';

const BUDGET_MS = 100; // 10% of a 1 s block (issue 4)
const CHAIN_ID = 'guts-bench-modules';
// blocks per epoch: stakes are queued in blocks 1..10, due at block 120 and applied from there,
// max_changes_per_block (default 100) at a time; the drain is over before the next epoch end
const EPOCH = 120n;
const TX_PER_BLOCK = 1000;

interface Account {
  sk: Uint8Array;
  pubkey: Uint8Array;
  address: string;
  number: bigint;
  sequence: bigint;
}

function makeAccounts(n: number, seed: string): Account[] {
  const out: Account[] = [];
  for (let i = 0; i < n; i++) {
    const sk = sha256(new TextEncoder().encode(`${seed}-${i}`));
    const pubkey = secp256k1.getPublicKey(sk, true);
    out.push({ sk, pubkey, address: pubkeyToAddress(pubkey), number: 0n, sequence: 0n });
  }
  return out;
}

function sign(from: Account, msg: Any): Uint8Array {
  const bodyBytes = TxBody.encode(TxBody.fromPartial({ messages: [msg] })).finish();
  const authInfoBytes = AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: [{ publicKey: { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: PubKey.encode({ key: from.pubkey }).finish() }, modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } }, sequence: from.sequence }],
      fee: { amount: [], gasLimit: 400_000n },
    }),
  ).finish();
  const doc = SignDoc.encode({ bodyBytes, authInfoBytes, chainId: CHAIN_ID, accountNumber: from.number }).finish();
  from.sequence += 1n;
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [secp256k1.sign(sha256(doc), from.sk, { prehash: false, lowS: true })] }).finish();
}

const ms = (t0: number) => performance.now() - t0;
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** Wall and process CPU time of one block's FinalizeBlock (+ commit, reported apart). */
interface BlockCost {
  height: number;
  txs: number;
  finalize_ms: number;
  finalize_cpu_ms: number;
  commit_ms: number;
}

async function openChain(validators: Account[], delegators: Account[], dir: string) {
  const modules = createModules();
  const appState: Record<string, unknown> = {};
  for (const m of modules.list) appState[m.name] = m.defaultGenesis();
  const bank = modules.bank.defaultGenesis();
  bank.balances = [...validators, ...delegators].map((a) => ({ address: a.address, coins: [{ denom: 'ugut', amount: '1000000000' }] }));
  appState.bank = bank;
  const staking = modules.staking.defaultGenesis();
  Object.assign(staking.params, { epochLength: EPOCH, minStake: 1n, maxValidators: validators.length });
  staking.genesisValidators = validators.map((v, i) => ({
    operatorAddress: v.address,
    consensusPubkey: ed25519.getPublicKey(sha256(new TextEncoder().encode(`bench-cons-${i}`))),
    description: { moniker: `v${i}`, website: '', details: '' },
    commission: { rateBp: 1000, maxRateBp: 2000, maxChangeRateBp: 100 },
    selfStake: String(100_000_000 + i), // distinct stakes: a total order without ties
  }));
  appState.staking = staking;
  const gov = modules.gov.defaultGenesis();
  Object.assign(gov.params, { votingPeriod: 60n, emergencyVotingPeriod: 30n, executionDelay: 100_000n, proposalThreshold: 1n, minDeposit: [] });
  appState.gov = gov;
  const doc: Genesis = {
    genesisTime: { seconds: 1_790_000_000n, nanos: 0 },
    chainId: CHAIN_ID,
    initialHeight: 1n,
    consensusParams: defaultConsensusParams(),
    validators: genesisValidatorSet(staking).map((v) => ({ address: validatorAddress(v.pubKey), pubKey: v.pubKey, power: v.power, name: v.name })),
    appState,
  };
  const genesis = parseGenesis(genesisToJson(doc, modules.list), modules.list);
  const db = await openChainDB(join(dir, 'chain'));
  const store = await createStateStore(db);
  const verifier = createVerifyPool({ threads: Math.max(1, availableParallelism()) });
  const manager = new ModuleManager(modules.list);
  const pipeline = createTxPipeline({ chainId: CHAIN_ID, modules, manager, verifier, minGasPrices: '0ugut', maxTxBytes: 1 << 20, maxBlockGas: -1n });
  const app = new GutsApp({ store, genesis, manager, pipeline });
  await app.init();
  const view = { store: await store.readAt() };
  for (const a of [...validators, ...delegators]) a.number = (await modules.auth.keeper.getAccount(view, a.address))!.accountNumber;
  let time = genesis.genesisTime.seconds;
  const block = async (txs: Uint8Array[]): Promise<BlockCost> => {
    time += 1n;
    const height = store.height + 1;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const res = await app.finalizeBlock({
      txs,
      decidedLastCommit: { round: 0, votes: [] },
      misbehavior: [],
      hash: sha256(new TextEncoder().encode(`block-${height}`)),
      height: BigInt(height),
      time: { seconds: time, nanos: 0 },
      nextValidatorsHash: new Uint8Array(32),
      proposerAddress: new Uint8Array(20),
    });
    const finalize = ms(t0);
    const cpu = process.cpuUsage(c0);
    const failed = res.txResults.filter((r) => r.code !== 0);
    if (failed.length > 0) throw new Error(`block ${height}: ${failed.length} txs failed, first: ${failed[0]!.codespace}/${failed[0]!.code} ${failed[0]!.log}`);
    const t1 = performance.now();
    await app.commit();
    return { height, txs: txs.length, finalize_ms: round(finalize), finalize_cpu_ms: round((cpu.user + cpu.system) / 1000), commit_ms: round(ms(t1)) };
  };
  const close = async () => {
    await verifier.close();
    await store.close();
    await db.close();
  };
  return { app, store, modules, block, close, height: () => store.height };
}

export interface ModulesBenchOptions {
  validators?: number;
  delegations?: number;
}

export async function runModulesBench(opts: ModulesBenchOptions = {}) {
  const nVal = opts.validators ?? 100;
  const nDel = opts.delegations ?? 10_000;
  const dir = mkdtempSync(join(tmpdir(), 'guts-bench-modules-'));
  const validators = makeAccounts(nVal, 'bench-val');
  const delegators = makeAccounts(nDel, 'bench-del');
  const chain = await openChain(validators, delegators, dir);
  try {
    // --- staking: 10,000 stakes queued over the epoch, applied at its last block ---------
    let t0 = performance.now();
    const stakes = delegators.map((d, i) => sign(d, { typeUrl: '/guts.staking.v1.MsgStake', value: MsgStake.encode({ delegatorAddress: d.address, validatorAddress: validators[i % nVal]!.address, amount: { denom: 'ugut', amount: '1000' } }).finish() }));
    const signStakesMs = ms(t0);
    for (let i = 0; i < stakes.length; i += TX_PER_BLOCK) await chain.block(stakes.slice(i, i + TX_PER_BLOCK));
    if (BigInt(chain.height()) >= EPOCH - 1n) throw new Error(`${nDel} stakes need more than one epoch of ${EPOCH} blocks at ${TX_PER_BLOCK} per block`);
    while (BigInt(chain.height()) < EPOCH - 2n) await chain.block([]);
    const beforeEpochEnd = await chain.block([]);
    const epochEndQueued = await chain.block([]); // block EPOCH: the queue becomes due, the first batch applies
    // the following blocks apply the rest, max_changes_per_block each; the last one recomputes the set
    const drain: BlockCost[] = [];
    while ((await chain.modules.staking.keeper.getDueBefore({ store: await chain.store.readAt() })) !== 0n) {
      if (drain.length > Number(EPOCH)) throw new Error('the queue did not drain within an epoch');
      drain.push(await chain.block([]));
    }
    const read = { store: await chain.store.readAt(), height: chain.height() };
    const bonded = await chain.modules.staking.api.bondedValidators(read);
    const delegationsNow = (await chain.modules.staking.api.delegationsOf(read, delegators[0]!.address)).length;
    if (bonded.length !== nVal || delegationsNow !== 1) throw new Error(`epoch end did not apply the stakes (bonded ${bonded.length}, delegations of the first delegator ${delegationsNow})`);

    // --- staking: the next epoch end, nothing queued, 10,000 delegations in state ----------
    while (BigInt(chain.height()) < 2n * EPOCH - 2n) await chain.block([]);
    const beforeQuiet = await chain.block([]);
    const epochEndQuiet = await chain.block([]);

    // --- gov: 100 validator votes and 10,000 delegator overrides, then the tally -----------
    const proposer = validators[0]!;
    const submitMsg = MsgSubmitProposal.fromPartial({ proposer: proposer.address, title: 'bench', description: '', content: { parameterChange: { module: 'staking', parameter: 'max_validators', oldValue: String(nVal), newValue: String(nVal + 1) } } });
    await chain.block([sign(proposer, { typeUrl: '/guts.gov.v1.MsgSubmitProposal', value: MsgSubmitProposal.encode(submitMsg).finish() })]);
    const submittedAt = chain.height();
    t0 = performance.now();
    const vote = (a: Account, option: VoteOption) => sign(a, { typeUrl: '/guts.gov.v1.MsgVote', value: MsgVote.encode({ proposalId: 1n, voter: a.address, option }).finish() });
    const votes = [
      ...validators.map((v, i) => vote(v, i % 4 === 0 ? VoteOption.VOTE_OPTION_NO : VoteOption.VOTE_OPTION_YES)),
      // delegators override their validator's vote with their own share
      ...delegators.map((d, i) => vote(d, [VoteOption.VOTE_OPTION_YES, VoteOption.VOTE_OPTION_NO, VoteOption.VOTE_OPTION_ABSTAIN, VoteOption.VOTE_OPTION_NO_WITH_VETO][i % 4]!)),
    ];
    const signVotesMs = ms(t0);
    for (let i = 0; i < votes.length; i += TX_PER_BLOCK) await chain.block(votes.slice(i, i + TX_PER_BLOCK));
    const votingEnd = submittedAt + 60; // one block per second
    if (chain.height() >= votingEnd - 1) throw new Error('votes did not fit in the voting period');
    while (chain.height() < votingEnd - 2) await chain.block([]);
    const beforeTally = await chain.block([]);
    let tally = await chain.block([]);
    for (let i = 0; i < 3 && (await chain.modules.gov.keeper.getProposal({ store: await chain.store.readAt() }, 1n))?.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD; i++) tally = await chain.block([]);
    const proposal = await chain.modules.gov.keeper.getProposal({ store: await chain.store.readAt() }, 1n);
    if (!proposal || proposal.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) throw new Error('the proposal was not tallied');

    // --- sybil proof of work ---------------------------------------------------------------
    const challenge = powChallenge({ chainId: CHAIN_ID, signer: proposer.address, action: 'create_repo', blockHash: sha256(new Uint8Array([1])) });
    const verifyN = 200_000;
    const c0 = process.cpuUsage();
    t0 = performance.now();
    let sink = 0;
    for (let i = 0; i < verifyN; i++) sink += leadingZeroBits(powHash(challenge, BigInt(i)));
    const verifyS = ms(t0) / 1000;
    const verifyCpu = process.cpuUsage(c0);
    const solves: Record<string, { runs: number; mean_ms: number; runs_ms: number[]; mean_attempts: number; expected_attempts: number }> = {};
    for (const [bits, runs] of [[16, 8], [18, 4], [20, 3]] as const) {
      const times: number[] = [];
      let attempts = 0n;
      for (let r = 0; r < runs; r++) {
        const ch = powChallenge({ chainId: CHAIN_ID, signer: proposer.address, action: 'push', blockHash: sha256(new TextEncoder().encode(`solve-${bits}-${r}`)) });
        const s0 = performance.now();
        const sol = await solvePow({ challenge: ch, bits, startNonce: 0n });
        times.push(round(ms(s0), 1));
        attempts += sol.attempts;
      }
      solves[String(bits)] = { runs, mean_ms: round(times.reduce((a, b) => a + b, 0) / runs, 1), runs_ms: times, mean_attempts: Number(attempts / BigInt(runs)), expected_attempts: 2 ** bits };
    }

    // wall time is the budget; process CPU time (all threads) beside it, since a shared machine stretches wall time
    const verdict = (c: BlockCost) => ({ ...c, within_budget: c.finalize_ms <= BUDGET_MS, within_budget_cpu: c.finalize_cpu_ms <= BUDGET_MS });
    const slowest = [epochEndQueued, ...drain].reduce((a, b) => (b.finalize_ms > a.finalize_ms ? b : a));
    const maxChanges = (await chain.modules.staking.keeper.getParams({ store: await chain.store.readAt() })).maxChangesPerBlock;
    return {
      bench: 'modules',
      load_average: loadavg().map((x) => round(x)),
      cpus: availableParallelism(),
      budget_ms: BUDGET_MS,
      validators: nVal,
      delegations: nDel,
      staking: {
        sign_stakes_ms: round(signStakesMs),
        max_changes_per_block: maxChanges,
        epoch_end_applying_queue: verdict(epochEndQueued),
        block_before_it: beforeEpochEnd,
        // every block that applied part of the queue: the epoch end and the drain after it
        queue_blocks: 1 + drain.length,
        slowest_queue_block: verdict(slowest),
        queue_blocks_finalize_ms: [epochEndQueued, ...drain].map((c) => c.finalize_ms),
        queue_blocks_finalize_cpu_ms: [epochEndQueued, ...drain].map((c) => c.finalize_cpu_ms),
        queue_blocks_over_budget: [epochEndQueued, ...drain].filter((c) => c.finalize_ms > BUDGET_MS).length,
        queue_blocks_over_budget_cpu: [epochEndQueued, ...drain].filter((c) => c.finalize_cpu_ms > BUDGET_MS).length,
        epoch_end_nothing_queued: verdict(epochEndQuiet),
        block_before_that: beforeQuiet,
        queued_stakes_applied: nDel,
      },
      gov: {
        sign_votes_ms: round(signVotesMs),
        votes: votes.length,
        tally_block: verdict(tally),
        block_before_it: beforeTally,
        final_tally: proposal.finalTally,
        status: ProposalStatus[proposal.status],
      },
      sybil_pow: {
        verify_per_s: Math.round(verifyN / verifyS),
        verify_cpu_us_each: round((verifyCpu.user + verifyCpu.system) / verifyN, 3),
        checksum: sink,
        solve: solves,
      },
    };
  } finally {
    await chain.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function arg(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(v) || v < 1) throw new Error(`--${name} needs a positive integer`);
  return v;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = await runModulesBench({ validators: arg('validators'), delegations: arg('delegations') });
  process.stdout.write(JSON.stringify(out, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n');
}
