/** CometBFT `/status` in the JSON shape `simd status` prints (the RPC result, snake_case). */
import { toRfc3339WithNanoseconds, type comet38 } from '@cosmjs/tendermint-rpc';

const hex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('hex').toUpperCase() : '');
const time = (d: comet38.SyncInfo['latestBlockTime'] | undefined) =>
  d ? toRfc3339WithNanoseconds(d as Parameters<typeof toRfc3339WithNanoseconds>[0]) : '';

const PUBKEY_TYPES: Record<string, string> = { ed25519: 'tendermint/PubKeyEd25519', secp256k1: 'tendermint/PubKeySecp256k1' };

export function statusJson(s: comet38.StatusResponse) {
  const n = s.nodeInfo;
  const y = s.syncInfo;
  const v = s.validatorInfo;
  return {
    node_info: {
      protocol_version: { p2p: String(n.protocolVersion.p2p), block: String(n.protocolVersion.block), app: String(n.protocolVersion.app) },
      id: Buffer.from(n.id).toString('hex'),
      listen_addr: n.listenAddr,
      network: n.network,
      version: n.version,
      channels: n.channels,
      moniker: n.moniker,
      other: Object.fromEntries(n.other),
    },
    sync_info: {
      latest_block_hash: hex(y.latestBlockHash),
      latest_app_hash: hex(y.latestAppHash),
      latest_block_height: String(y.latestBlockHeight),
      latest_block_time: time(y.latestBlockTime),
      earliest_block_hash: hex(y.earliestBlockHash),
      earliest_app_hash: hex(y.earliestAppHash),
      earliest_block_height: String(y.earliestBlockHeight ?? ''),
      earliest_block_time: time(y.earliestBlockTime),
      catching_up: y.catchingUp,
    },
    validator_info: {
      address: hex(v.address),
      pub_key: v.pubkey ? { type: PUBKEY_TYPES[v.pubkey.algorithm] ?? v.pubkey.algorithm, value: Buffer.from(v.pubkey.data).toString('base64') } : null,
      voting_power: v.votingPower.toString(),
    },
  };
}

export type StatusJson = ReturnType<typeof statusJson>;

export function statusText(s: StatusJson): string {
  const y = s.sync_info;
  const lines = [
    `node:         ${s.node_info.moniker} (${s.node_info.id})`,
    `network:      ${s.node_info.network}`,
    `version:      ${s.node_info.version}`,
    `listen:       ${s.node_info.listen_addr}`,
    `latest block: ${y.latest_block_height} at ${y.latest_block_time || '-'}`,
    `block hash:   ${y.latest_block_hash || '-'}`,
    `app hash:     ${y.latest_app_hash || '-'}`,
    `catching up:  ${y.catching_up ? 'yes' : 'no'}`,
  ];
  const vp = s.validator_info.voting_power;
  lines.push(vp === '0' ? `validator:    no (${s.validator_info.address})` : `validator:    ${s.validator_info.address}, voting power ${vp}`);
  return lines.join('\n');
}
