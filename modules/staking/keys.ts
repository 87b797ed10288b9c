/**
 * Keys under the `staking/` prefix (DESIGN §3: `<module>/<record>/<id>`). Addresses are
 * length-prefixed so a key that names several addresses stays unambiguous (accounts may
 * be 20 or 32 bytes); ids and times are 8-byte big-endian so byte order is numeric order.
 */
import { addressBytes } from '../../app/chain/address.js';
import { concatBytes, stateKey, uint64BE } from '../../app/chain/keys.js';

export const MODULE = 'staking';

export function lp(address: string): Uint8Array {
  const b = addressBytes(address);
  return concatBytes(Uint8Array.of(b.length), b);
}

const u64 = (n: bigint) => uint64BE(n < 0n ? 0n : n);

export const PARAMS_KEY = stateKey(MODULE, 'params');
/** uint32 BE: the `max_changes_per_block` parameter (not in the `Params` proto record). */
export const MAX_CHANGES_KEY = stateKey(MODULE, 'max_changes_per_block');
export const EPOCH_KEY = stateKey(MODULE, 'epoch');
export const NEXT_ID_KEY = stateKey(MODULE, 'next_id');
/** Set during a block when a jail or slash means the active set must be recomputed at EndBlock. */
export const SET_DIRTY_KEY = stateKey(MODULE, 'set_dirty');
/** uint64 BE: queued changes with a smaller id are due (set at an epoch end, removed once they are all applied). */
export const DUE_BEFORE_KEY = stateKey(MODULE, 'due_before');

export const VALIDATORS_PREFIX = stateKey(MODULE, 'validators');
export const validatorKey = (op: string) => stateKey(MODULE, 'validators', lp(op));
/** consensus address (20 bytes) → operator address string */
export const byConsKey = (cons: Uint8Array) => stateKey(MODULE, 'by_cons', cons);

export const DELEGATIONS_PREFIX = stateKey(MODULE, 'delegations');
export const delegationKey = (del: string, val: string) => stateKey(MODULE, 'delegations', lp(del), lp(val));
export const delegationsOfPrefix = (del: string) => stateKey(MODULE, 'delegations', lp(del));

export const PENDING_PREFIX = stateKey(MODULE, 'pending');
export const pendingKey = (id: bigint) => stateKey(MODULE, 'pending', u64(id));
export const pendingByDelKey = (del: string, id: bigint) => stateKey(MODULE, 'pending_del', lp(del), u64(id));
export const pendingByDelPrefix = (del: string) => stateKey(MODULE, 'pending_del', lp(del));

export const UBD_PREFIX = stateKey(MODULE, 'ubd');
export const ubdKey = (id: bigint) => stateKey(MODULE, 'ubd', u64(id));
export const ubdByDelKey = (del: string, val: string, id: bigint) => stateKey(MODULE, 'ubd_del', lp(del), lp(val), u64(id));
export const ubdByDelPrefix = (del: string, val?: string) =>
  val === undefined ? stateKey(MODULE, 'ubd_del', lp(del)) : stateKey(MODULE, 'ubd_del', lp(del), lp(val));
export const ubdByValKey = (val: string, id: bigint) => stateKey(MODULE, 'ubd_val', lp(val), u64(id));
export const ubdByValPrefix = (val: string) => stateKey(MODULE, 'ubd_val', lp(val));
export const UBD_QUEUE_PREFIX = stateKey(MODULE, 'ubd_queue');
export const ubdQueueKey = (time: bigint, id: bigint) => stateKey(MODULE, 'ubd_queue', u64(time), u64(id));

export const RED_PREFIX = stateKey(MODULE, 'red');
export const redKey = (id: bigint) => stateKey(MODULE, 'red', u64(id));
export const redByDelKey = (del: string, dst: string, id: bigint) => stateKey(MODULE, 'red_del', lp(del), lp(dst), u64(id));
export const redByDelPrefix = (del: string, dst?: string) =>
  dst === undefined ? stateKey(MODULE, 'red_del', lp(del)) : stateKey(MODULE, 'red_del', lp(del), lp(dst));
export const redBySrcKey = (src: string, id: bigint) => stateKey(MODULE, 'red_src', lp(src), u64(id));
export const redBySrcPrefix = (src: string) => stateKey(MODULE, 'red_src', lp(src));
export const RED_QUEUE_PREFIX = stateKey(MODULE, 'red_queue');
export const redQueueKey = (time: bigint, id: bigint) => stateKey(MODULE, 'red_queue', u64(time), u64(id));

export const LAST_POWER_PREFIX = stateKey(MODULE, 'last_power');
export const lastPowerKey = (op: string) => stateKey(MODULE, 'last_power', lp(op));
export const TOTAL_POWER_KEY = stateKey(MODULE, 'total_power');

/** The id encoded in the last 8 bytes of an index key. */
export function idOfKey(key: Uint8Array): bigint {
  return new DataView(key.buffer, key.byteOffset + key.length - 8, 8).getBigUint64(0);
}

/** Exclusive upper bound for queue keys with time ≤ `time`. */
export function queueEnd(prefix: Uint8Array, time: bigint): Uint8Array {
  return concatBytes(prefix, u64(time + 1n));
}
