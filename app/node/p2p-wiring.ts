/**
 * Starting the peer-to-peer layer for a node: the libp2p host (app/p2p/host) with the
 * node key as its identity and its peer store and bans in the node's LevelDB, the
 * bridge that carries consensus and mempool traffic (p2p-bridge.ts), validator
 * heartbeats signed with the consensus key, and read-only mode while the partition
 * detector says this node hears from less than 2/3 of the stake (DESIGN §7).
 */
import { readFile } from 'node:fs/promises';
import protobuf from 'protobufjs/minimal.js';
import type { ResponseCheckTx } from 'cosmjs-types/tendermint/abci/types';
import type { FilePV } from '../consensus/privval.js';
import type { GutsMempool } from '../consensus/mempool.js';
import { abciError, registerError, type CodedError } from '../errors.js';
import type { RpcPeer } from '../rpc/backend.js';
import { createP2PHost } from '../p2p/host/index.js';
import { heartbeatSignBytes } from '../p2p/messages/envelope.js';
import type { P2PHost } from '../p2p/host/types.js';
import type { PartitionFigures } from '../p2p/partition/detector.js';
import type { ChainDB } from '../store/index.js';
import type { NodeConfig } from './config.js';
import { ErrHome } from './home.js';
import type { Logger } from './logger.js';
import { createP2PBridge, type P2PBridge } from './p2p-bridge.js';

const { Reader } = protobuf;

/** New txs are refused while the node is cut off from 2/3 of the stake: they could not be committed, and would be lost or conflict after the heal. */
export const ErrPartitioned = registerError('node', 4, 'network partitioned: this node is read-only');
export const ErrHeartbeatSign = registerError('node', 5, 'refused to sign heartbeat bytes');

export interface NodeP2P {
  host: P2PHost;
  bridge: P2PBridge;
  /** True while the partition detector reports `partitioned`. */
  readOnly(): boolean;
  stop(): Promise<void>;
}

export interface StartNodeP2POptions {
  config: NodeConfig;
  nodeKeyFile: string;
  db: ChainDB;
  chainId: string;
  mempool: GutsMempool;
  /** The validator key: heartbeats are signed with it when it is in the set. */
  pv: FilePV;
  /** The current height (heartbeats carry it). */
  height: () => bigint;
  logger: Logger;
}

/**
 * The peer layer hands over heartbeat sign bytes; the validator key signs only what
 * decodes as a heartbeat of this chain, this validator and this peer and encodes back to
 * the same bytes (FilePV.signHeartbeat rebuilds them), so nothing else can be signed
 * through this path.
 */
export function signHeartbeatBytes(pv: FilePV, chainId: string, peerId: string, bytes: Uint8Array): Uint8Array {
  const r = Reader.create(bytes);
  let chain = '';
  let peer = '';
  let height = 0n;
  let timestampMs = 0n;
  while (r.pos < r.len) {
    const tag = r.uint32();
    switch (tag) {
      case 10:
        chain = r.string();
        break;
      case 18:
        r.bytes();
        break;
      case 26:
        peer = r.string();
        break;
      case 32:
        height = BigInt(r.int64().toString());
        break;
      case 40:
        timestampMs = BigInt(r.int64().toString());
        break;
      default:
        throw ErrHeartbeatSign.wrap(`unexpected field tag ${tag}`);
    }
  }
  if (chain !== chainId || peer !== peerId) throw ErrHeartbeatSign.wrap('heartbeat for another chain or peer');
  const hb = pv.signHeartbeat(chainId, { peerId, height, timestampMs });
  const { signature, ...unsigned } = hb;
  const again = heartbeatSignBytes(chainId, unsigned);
  if (again.length !== bytes.length || again.some((b, i) => b !== bytes[i])) throw ErrHeartbeatSign.wrap('bytes are not a canonical heartbeat of this validator');
  return signature;
}

export async function readNodePrivateKey(file: string): Promise<Uint8Array> {
  let j: { priv_key?: { value?: string } };
  try {
    j = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw ErrHome.wrap(`cannot read node key ${file}: ${(e as Error).message}`);
  }
  const raw = new Uint8Array(Buffer.from(j.priv_key?.value ?? '', 'base64'));
  if (raw.length !== 64) throw ErrHome.wrap(`${file}: expected a 64-byte ed25519 key`);
  return raw;
}

export async function startNodeP2P(opts: StartNodeP2POptions): Promise<NodeP2P> {
  const log = opts.logger.child({ module: 'p2p' });
  // gossip is checked by the bridge before it is forwarded: malformed consensus messages are not passed on and cost the sender score
  let bridge: P2PBridge | undefined;
  const host = await createP2PHost({
    chainId: opts.chainId,
    privateKey: await readNodePrivateKey(opts.nodeKeyFile),
    config: opts.config.p2p,
    db: opts.db.sublevel('p2p'),
    logger: log,
    validate: (body, from) => bridge?.validate(body, from) ?? 'accept',
  });
  bridge = createP2PBridge({ host, chainId: opts.chainId, mempool: opts.mempool, logger: log });
  let partitioned = false;
  const offPartitioned = host.on('partitioned', (f: PartitionFigures) => {
    partitioned = true;
    log.warn({ ...f }, 'partitioned: hearing from less than the threshold of stake; read-only until healed');
  });
  const offHealed = host.on('healed', (f: PartitionFigures) => {
    partitioned = false;
    log.info({ ...f }, 'healed: hearing from enough stake again');
  });
  await host.start();
  host.setHeartbeatSigner({ address: opts.pv.address, sign: (bytes) => signHeartbeatBytes(opts.pv, opts.chainId, host.peerId, bytes) }, opts.height);
  log.info({ peerId: host.peerId, addresses: host.addresses() }, 'p2p started');
  return {
    host,
    bridge,
    readOnly: () => partitioned,
    async stop() {
      offPartitioned();
      offHealed();
      bridge.close();
      await host.stop();
    },
  };
}

/** The CheckTx answer for a tx refused before CheckTx (read-only mode). */
export function refusedCheckTx(err: CodedError): ResponseCheckTx {
  return { ...abciError(err), data: new Uint8Array(0), info: '', gasWanted: 0n, gasUsed: 0n, events: [] };
}

/** `net_info` peers: libp2p peer id as the node id, the first remote address. */
export function rpcPeers(host: P2PHost): RpcPeer[] {
  return host.peers().map((p) => {
    const ip = /\/ip[46]\/([^/]+)/.exec(p.addrs[0] ?? '')?.[1] ?? '';
    return { nodeInfo: { id: p.id, listenAddr: p.addrs[0] ?? '', network: '', moniker: '' }, isOutbound: p.direction === 'outbound', remoteIp: ip };
  });
}
