/**
 * An in-process chain for app-level tests: real LevelDB state store in a temp dir, real
 * modules, real tx pipeline with in-thread secp256k1 verification, txs signed by stock
 * cosmjs. Blocks are driven by hand (finalizeBlock + commit).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectSecp256k1Wallet, makeAuthInfoBytes, makeSignDoc, type EncodeObject, Registry, encodePubkey } from '@cosmjs/proto-signing';
import { encodeSecp256k1Pubkey } from '@cosmjs/amino';
import { defaultRegistryTypes } from '@cosmjs/stargate';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { Secp256k1, sha256 } from '@cosmjs/crypto';
import { createModules } from '../../app/chain/modules.js';
import { ModuleManager } from '../../app/chain/manager.js';
import { GutsApp } from '../../app/chain/app.js';
import { createTxPipeline } from '../../app/chain/pipeline.js';
import { openChainDB, createStateStore, type ChainDB } from '../../app/store/index.js';
import { inThreadVerifier } from '../../app/tx/secp256k1.js';
import { parseGenesis, genesisToJson, defaultConsensusParams, validatorAddress } from '../../genesis/doc.js';
import type { StateStore } from '../../app/store/types.js';

export const registry = new Registry(defaultRegistryTypes);

export interface TestAccount {
  address: string;
  privkey: Uint8Array;
  pubkey: Uint8Array;
  wallet: DirectSecp256k1Wallet;
  accountNumber: bigint;
  sequence: bigint;
}

export async function makeAccounts(n: number, seed = 1): Promise<TestAccount[]> {
  const out: TestAccount[] = [];
  for (let i = 0; i < n; i++) {
    const privkey = sha256(new TextEncoder().encode(`guts-test-${seed}-${i}`));
    const wallet = await DirectSecp256k1Wallet.fromKey(privkey, 'guts');
    const [acc] = await wallet.getAccounts();
    const kp = await Secp256k1.makeKeypair(privkey);
    out.push({ address: acc!.address, privkey, pubkey: Secp256k1.compressPubkey(kp.pubkey), wallet, accountNumber: 0n, sequence: 0n });
  }
  return out;
}

export interface TestChain {
  app: GutsApp;
  store: StateStore;
  db: ChainDB;
  dir: string;
  chainId: string;
  height(): number;
  /** Run one block with these txs; returns the tx results. */
  block(txs: Uint8Array[]): Promise<Awaited<ReturnType<GutsApp['finalizeBlock']>>>;
  close(): Promise<void>;
  reopen(): Promise<TestChain>;
}

export function genesisJson(accounts: { address: string; amount: bigint }[], chainId = 'guts-test-1'): Record<string, unknown> {
  const modules = createModules();
  const bank = modules.bank.defaultGenesis();
  bank.balances = accounts.map((a) => ({ address: a.address, coins: [{ denom: 'ugut', amount: a.amount.toString() }] }));
  const state: Record<string, unknown> = { auth: modules.auth.defaultGenesis(), bank: modules.bank.validateGenesis(modules.bank.genesisToJson(bank), 'x') };
  return genesisToJson(
    {
      genesisTime: { seconds: 1_790_000_000n, nanos: 0 },
      chainId,
      initialHeight: 1n,
      consensusParams: defaultConsensusParams(),
      validators: [{ address: validatorAddress(new Uint8Array(32).fill(7)), pubKey: new Uint8Array(32).fill(7), power: 10n, name: 'v0' }],
      appState: state,
    },
    modules.list,
  );
}

export async function openTestChain(genesis: Record<string, unknown>, dir = mkdtempSync(join(tmpdir(), 'guts-chain-')), minGasPrices = '0ugut'): Promise<TestChain> {
  const modules = createModules();
  const manager = new ModuleManager(modules.list);
  const g = parseGenesis(genesis, modules.list);
  const db = await openChainDB(dir);
  const store = await createStateStore(db);
  const pipeline = createTxPipeline({ chainId: g.chainId, modules, manager, verifier: inThreadVerifier, minGasPrices, maxTxBytes: 1 << 20, maxBlockGas: -1n });
  const app = new GutsApp({ store, genesis: g, manager, pipeline });
  await app.init();
  let time = g.genesisTime.seconds;
  const chain: TestChain = {
    app,
    store,
    db,
    dir,
    chainId: g.chainId,
    height: () => store.height,
    async block(txs) {
      time += 1n;
      const res = await app.finalizeBlock({
        txs,
        decidedLastCommit: { round: 0, votes: [] },
        misbehavior: [],
        hash: new Uint8Array(32),
        height: BigInt(store.height + 1),
        time: { seconds: time, nanos: 0 },
        nextValidatorsHash: new Uint8Array(32),
        proposerAddress: new Uint8Array(20),
      });
      await app.commit();
      return res;
    },
    async close() {
      await store.close();
      await db.close();
    },
    async reopen() {
      await chain.close();
      return openTestChain(genesis, dir, minGasPrices);
    },
  };
  return chain;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export async function signTx(
  from: TestAccount,
  msgs: EncodeObject[],
  opts: { chainId: string; gas?: bigint; fee?: bigint; memo?: string; sequence?: bigint; accountNumber?: bigint; timeoutHeight?: bigint },
): Promise<Uint8Array> {
  const bodyBytes = registry.encodeTxBody({ messages: msgs, memo: opts.memo ?? '', timeoutHeight: opts.timeoutHeight ?? 0n });
  const pubkey = encodePubkey(encodeSecp256k1Pubkey(from.pubkey));
  const sequence = opts.sequence ?? from.sequence;
  const authInfoBytes = makeAuthInfoBytes([{ pubkey, sequence }], [{ denom: 'ugut', amount: (opts.fee ?? 5000n).toString() }], Number(opts.gas ?? 200000n), undefined, undefined);
  const doc = makeSignDoc(bodyBytes, authInfoBytes, opts.chainId, Number(opts.accountNumber ?? from.accountNumber));
  const { signature } = await from.wallet.signDirect(from.address, doc);
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [Buffer.from(signature.signature, 'base64')] }).finish();
}

export function send(from: string, to: string, amount: bigint, denom = 'ugut'): EncodeObject {
  return { typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: { fromAddress: from, toAddress: to, amount: [{ denom, amount: amount.toString() }] } };
}
