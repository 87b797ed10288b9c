/**
 * In-process validators for consensus host tests: each node is assembled as
 * app/node/node.ts does it (GutsApp over LevelDB in a temp dir, block store, mempool,
 * FilePV, consensus WAL) and talks to the others over an in-memory network. Genesis
 * bonds real staking validators with unequal self-stake, so slashing acts on them.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toBase64 } from '@cosmjs/encoding';
import { sha256 } from '@noble/hashes/sha2.js';
import type { ResponseQuery } from 'cosmjs-types/tendermint/abci/types';
import { GutsApp } from '../../app/chain/app.js';
import { ModuleManager } from '../../app/chain/manager.js';
import { createModules } from '../../app/chain/modules.js';
import { createTxPipeline } from '../../app/chain/pipeline.js';
import { blockStoreSublevels, createBlockStore, type ChainBlockStore } from '../../app/consensus/blockstore.js';
import { createConsensusHost, createMemoryNetwork, type ConsensusHost, type MemoryNetwork } from '../../app/consensus/host/index.js';
import { createMempool, type GutsMempool } from '../../app/consensus/mempool.js';
import { generateFilePV, loadFilePV, type FilePV } from '../../app/consensus/privval.js';
import { consensusParamsOf } from '../../app/node/node.js';
import { createStateStore, openChainDB, type ChainDB } from '../../app/store/index.js';
import type { StateStore } from '../../app/store/types.js';
import { inThreadVerifier } from '../../app/tx/secp256k1.js';
import { defaultConsensusParams, genesisToJson, parseGenesis, validatorAddress } from '../../genesis/doc.js';
import { genesisValidatorSet, validateStakingGenesis } from '../../modules/staking/genesis.js';
import { QueryValidatorRequest, QueryValidatorResponse } from '../../proto/gen/guts/staking/v1/query.js';
import { makeAccounts, type TestAccount } from './chain.js';

export const CLUSTER_CHAIN_ID = 'guts-host-test-1';

/** Short timeouts so a test file stays well under a minute. */
export const FAST_TIMEOUTS = {
  timeoutPropose: 400,
  timeoutProposeDelta: 100,
  timeoutPrevote: 200,
  timeoutPrevoteDelta: 100,
  timeoutPrecommit: 200,
  timeoutPrecommitDelta: 100,
  timeoutCommit: 50,
};

export interface ClusterNode {
  id: string;
  dir: string;
  host: ConsensusHost;
  app: GutsApp;
  store: StateStore;
  db: ChainDB;
  blockStore: ChainBlockStore;
  mempool: GutsMempool;
  pv: FilePV;
  close(): Promise<void>;
}

export interface Cluster {
  net: MemoryNetwork;
  genesis: Record<string, unknown>;
  /** Validator operators (index i operates node i's key), then a funded user. */
  operators: TestAccount[];
  user: TestAccount;
  stakes: bigint[];
  dirs: string[];
  nodes: (ClusterNode | undefined)[];
  /** (Re)open node i from its directory and start it. */
  open(i: number): Promise<ClusterNode>;
  destroy(): Promise<void>;
}

export async function openClusterNode(id: string, dir: string, genesis: Record<string, unknown>, net: MemoryNetwork | undefined, opts: { createEmptyBlocks?: boolean } = {}): Promise<ClusterNode> {
  const modules = createModules();
  const manager = new ModuleManager(modules.list);
  const g = parseGenesis(genesis, modules.list);
  const db = await openChainDB(join(dir, 'chain'));
  const store = await createStateStore(db);
  const pipeline = createTxPipeline({ chainId: g.chainId, modules, manager, verifier: inThreadVerifier, minGasPrices: '0ugut', maxTxBytes: 1 << 20, maxBlockGas: -1n });
  const app = new GutsApp({ store, genesis: g, manager, pipeline });
  await app.init();
  const blockStore = await createBlockStore(blockStoreSublevels(db));
  const tip = blockStore.height() > 0 ? await blockStore.loadBlock(blockStore.height()) : undefined;
  if (tip?.block.header?.time) app.setLastBlockTime(tip.block.header.time);
  const mempool = createMempool({ app });
  const pv = await loadFilePV(join(dir, 'key.json'), join(dir, 'state.json'));
  const host = createConsensusHost({
    app,
    blockStore,
    mempool,
    privValidator: pv,
    chainId: g.chainId,
    initialHeight: Number(g.initialHeight),
    genesisTime: g.genesisTime,
    consensusParams: consensusParamsOf(g),
    walPath: join(dir, 'cs.wal', 'wal'),
    evidenceDb: db.sublevel('evidence'),
    transport: net?.transport(id),
    engineConfig: FAST_TIMEOUTS,
    logger: process.env.GUTS_HOST_DEBUG ? debugLogger(id) : undefined,
    onFatal: (err) => console.error(`[${id}] consensus halted: ${err.message}`),
    gossipIntervalMs: 200,
    createEmptyBlocks: opts.createEmptyBlocks,
    processProposal: (txs) => {
      for (const tx of txs) {
        try {
          pipeline.decode(tx, { simulate: false });
        } catch (err) {
          return (err as Error).message;
        }
      }
      return undefined;
    },
  });
  await host.start();
  return {
    id,
    dir,
    host,
    app,
    store,
    db,
    blockStore,
    mempool,
    pv,
    async close() {
      await host.stop();
      await store.close();
      await db.close();
    },
  };
}

function debugLogger(id: string) {
  const out = (level: string) => (obj: object, msg?: string) => console.log(`[${id}] ${level} ${msg ?? ''} ${JSON.stringify(obj)}`);
  return { info: out('info'), warn: out('warn'), error: out('error'), debug: out('debug') };
}

/** Seed of validator i's consensus key (tests sign with it directly to equivocate). */
export function consensusSeed(i: number, tag = 'host'): Uint8Array {
  return sha256(new TextEncoder().encode(`guts-${tag}-validator-${i}`));
}

/**
 * `stakes` are the validators' self-stakes (bonded by staking at genesis), or with
 * `unmanaged` plain consensus powers staking knows nothing of (as `guts devnet` has:
 * no rewards minted, so empty blocks leave the app hash alone).
 */
export async function createCluster(stakes: bigint[], opts: { tag?: string; genesisTimeMs?: number; unmanaged?: boolean } = {}): Promise<Cluster> {
  const tag = opts.tag ?? 'host';
  const accounts = await makeAccounts(stakes.length + 1, 9_000 + stakes.length);
  const operators = accounts.slice(0, stakes.length);
  const user = accounts[stakes.length]!;
  const dirs: string[] = [];
  const pubKeys: Uint8Array[] = [];
  for (let i = 0; i < stakes.length; i++) {
    const dir = mkdtempSync(join(tmpdir(), `guts-${tag}-${i}-`));
    mkdirSync(dir, { recursive: true });
    const pv = await generateFilePV(join(dir, 'key.json'), join(dir, 'state.json'), consensusSeed(i, tag));
    pubKeys.push(pv.pubKey);
    dirs.push(dir);
  }
  const modules = createModules();
  const bank = modules.bank.defaultGenesis();
  bank.balances = accounts.map((a) => ({ address: a.address, coins: [{ denom: 'ugut', amount: '100000000000' }] }));
  const staking = modules.staking.genesisToJson(modules.staking.defaultGenesis()) as Record<string, unknown>;
  if (!opts.unmanaged) staking.genesis_validators = operators.map((op, i) => ({
    operator_address: op.address,
    consensus_pubkey: toBase64(pubKeys[i]!),
    description: { moniker: `v${i}`, website: '', details: '' },
    commission: { rate_bp: '500', max_rate_bp: '1000', max_change_rate_bp: '100' },
    self_stake: stakes[i]!.toString(),
  }));
  const stakingGenesis = validateStakingGenesis(staking, 'app_state.staking');
  const set = opts.unmanaged ? pubKeys.map((pubKey, i) => ({ pubKey, power: stakes[i]!, name: `v${i}` })) : genesisValidatorSet(stakingGenesis);
  const genesis = genesisToJson(
    {
      genesisTime: { seconds: BigInt(Math.floor((opts.genesisTimeMs ?? Date.now() - 1000) / 1000)), nanos: 0 },
      chainId: CLUSTER_CHAIN_ID,
      initialHeight: 1n,
      consensusParams: defaultConsensusParams(),
      validators: set.map((v) => ({ address: validatorAddress(v.pubKey), pubKey: v.pubKey, power: v.power, name: v.name })),
      appState: { auth: modules.auth.defaultGenesis(), bank: modules.bank.validateGenesis(modules.bank.genesisToJson(bank), 'x'), staking: stakingGenesis },
    },
    modules.list,
  );
  const net = createMemoryNetwork();
  const nodes: (ClusterNode | undefined)[] = stakes.map(() => undefined);
  const cluster: Cluster = {
    net,
    genesis,
    operators,
    user,
    stakes,
    dirs,
    nodes,
    async open(i) {
      const node = await openClusterNode(`v${i}`, dirs[i]!, genesis, net);
      nodes[i] = node;
      return node;
    },
    async destroy() {
      for (const [i, n] of nodes.entries()) {
        if (n) await n.close().catch(() => undefined);
        nodes[i] = undefined;
      }
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
  return cluster;
}

/** Poll `cond` every 20 ms until it holds; throws with `what` after `ms`. */
export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function queryValidator(app: GutsApp, operator: string) {
  const res: ResponseQuery = await app.query({ path: '/guts.staking.v1.Query/Validator', data: QueryValidatorRequest.encode({ validatorAddress: operator }).finish(), height: 0n, prove: false });
  if (res.code !== 0) throw new Error(`staking query failed: ${res.log}`);
  return QueryValidatorResponse.decode(res.value).validator!;
}
