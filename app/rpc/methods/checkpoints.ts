/**
 * Epoch checkpoints (DESIGN §3): `checkpoint?height=` (default: the latest) and
 * `checkpoints?before=&limit=` (newest first). Each is the `Checkpoint` sdk/light's
 * `verifyCheckpoint` takes, in CometBFT's JSON conventions (int64 as strings, hashes and
 * addresses as uppercase hex, signatures as base64); `checkpointFromJson` in sdk/light
 * reads it back.
 */
import type { Checkpoint } from '../../consensus/host/checkpoint-codec.js';
import { b64, hex, int64 } from '../encoding/primitives.js';
import { RpcError } from '../jsonrpc.js';
import type { RpcBackend } from '../backend.js';
import { method, P, type Method } from './method.js';

/** `checkpoints` returns at most this many. */
export const MAX_CHECKPOINTS_PER_CALL = 100;
const DEFAULT_CHECKPOINTS_PER_CALL = 20;

export function checkpointJson(cp: Checkpoint) {
  return {
    chain_id: cp.chainId,
    height: int64(cp.height),
    header_hash: hex(cp.headerHash),
    app_hash: hex(cp.appHash),
    next_validators_hash: hex(cp.nextValidatorsHash),
    signatures: cp.signatures.map((s) => ({ validator_address: hex(s.validatorAddress), signature: b64(s.signature) })),
  };
}

function checkpointStore(backend: RpcBackend) {
  const { loadCheckpoint, checkpointHeights } = backend.blockStore;
  if (!loadCheckpoint || !checkpointHeights) throw RpcError.server('this node keeps no epoch checkpoints');
  return { load: (h: number) => loadCheckpoint.call(backend.blockStore, h), heights: (limit: number, before?: number) => checkpointHeights.call(backend.blockStore, limit, before) };
}

const checkpoint = method([P.height], async ({ backend }, p) => {
  const store = checkpointStore(backend);
  const asked = p.int('height');
  if (asked !== undefined && asked < 0) throw RpcError.invalidParams(`height must be non-negative, got ${asked}`);
  const height = asked === undefined || asked === 0 ? (await store.heights(1))[0] : asked;
  if (height === undefined) throw RpcError.invalidParams('no epoch checkpoint yet: the first is made when the first epoch ends');
  const cp = await store.load(height);
  if (!cp) {
    const [below] = await store.heights(1, height);
    throw RpcError.invalidParams(`no checkpoint at height ${height}: checkpoints are made at epoch ends${below ? ` (the closest below is ${below})` : ''}`);
  }
  return { checkpoint: checkpointJson(cp) };
});

const checkpoints = method(
  [
    { name: 'before', kind: 'int' },
    { name: 'limit', kind: 'int' },
  ],
  async ({ backend }, p) => {
    const store = checkpointStore(backend);
    const before = p.int('before');
    const limit = p.int('limit') ?? DEFAULT_CHECKPOINTS_PER_CALL;
    if (before !== undefined && before < 1) throw RpcError.invalidParams(`before must be a positive height, got ${before}`);
    if (limit < 1 || limit > MAX_CHECKPOINTS_PER_CALL) throw RpcError.invalidParams(`limit must be 1-${MAX_CHECKPOINTS_PER_CALL}, got ${limit}`);
    const heights = await store.heights(limit, before);
    const found = await Promise.all(heights.map((h) => store.load(h)));
    return { checkpoints: found.flatMap((cp) => (cp ? [checkpointJson(cp)] : [])) };
  },
);

export const checkpointMethods: Record<string, Method> = { checkpoint, checkpoints };
