/**
 * abci_query paths:
 * - gRPC method paths of the modules (`/cosmos.bank.v1beta1.Query/Balance`, …) with a
 *   proto request in `data`;
 * - `/cosmos.tx.v1beta1.Service/Simulate` (cosmjs `--gas auto`);
 * - `/store/key` (data = full state key) or `/store/<module>/key` (data = key inside the
 *   module's prefix), with `prove=true` returning a `guts:mpt` proof op against the app
 *   hash of that height (found in the header of height + 1).
 * Height 0 means the latest committed height.
 */
import type { RequestQuery, ResponseQuery } from 'cosmjs-types/tendermint/abci/types';
import { SimulateRequest, SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { abciError, ErrInvalidHeight, ErrInvalidRequest, ErrUnknownRequest } from '../errors.js';
import type { StateStore } from '../store/types.js';
import type { ModuleManager } from './manager.js';
import { concatBytes } from './keys.js';
import { encodeProofOp } from '../../sdk/proof.js';
import type { Event } from 'cosmjs-types/tendermint/abci/types';

export interface QueryDeps {
  store: StateStore;
  manager: ModuleManager;
  simulate(tx: Uint8Array): Promise<{ gasUsed: bigint; gasWanted: bigint; data: Uint8Array; events: Event[] }>;
}

const STORE_PATH = /^\/store\/(?:([a-z][a-z0-9_]*)\/)?key$/;

export async function answerQuery(req: RequestQuery, deps: QueryDeps): Promise<ResponseQuery> {
  const latest = deps.store.height;
  const requested = Number(req.height);
  const height = requested === 0 ? latest : requested;
  const base: ResponseQuery = { code: 0, log: '', info: '', index: 0n, key: new Uint8Array(), value: new Uint8Array(), proofOps: undefined, height: BigInt(height), codespace: '' };
  try {
    if (!Number.isSafeInteger(requested) || requested < 0) throw ErrInvalidRequest.wrap(`height ${req.height} is not a valid height`);
    if (height > latest) throw ErrInvalidHeight.wrap(`cannot query with height in the future; please provide a valid height (latest is ${latest})`);
    if (req.path === '/cosmos.tx.v1beta1.Service/Simulate') {
      if (requested !== 0 && requested !== latest) throw ErrInvalidRequest.wrap('simulation runs against the latest state only');
      const { txBytes } = SimulateRequest.decode(req.data);
      const r = await deps.simulate(txBytes);
      const value = SimulateResponse.encode({
        gasInfo: { gasWanted: r.gasWanted, gasUsed: r.gasUsed },
        result: { data: new Uint8Array(), log: '', events: r.events, msgResponses: [] },
      }).finish();
      return { ...base, value };
    }
    const storeMatch = STORE_PATH.exec(req.path);
    if (storeMatch) {
      const key = storeMatch[1] ? concatBytes(new TextEncoder().encode(`${storeMatch[1]}/`), req.data) : req.data;
      if (key.length === 0) throw ErrInvalidRequest.wrap('store query needs a key in data');
      if (req.prove) {
        const proof = await deps.store.prove(key, height);
        return { ...base, key, value: proof.value ?? new Uint8Array(), proofOps: { ops: [encodeProofOp(proof)] } };
      }
      const reader = await deps.store.readAt(height);
      return { ...base, key, value: (await reader.get(key)) ?? new Uint8Array() };
    }
    const route = deps.manager.queryRoute(req.path);
    if (!route) throw ErrUnknownRequest.wrap(`unknown query path ${req.path}`);
    if (req.prove) throw ErrInvalidRequest.wrap(`proofs are served on /store/<module>/key, not on ${req.path}`);
    const reader = await deps.store.readAt(height);
    return { ...base, value: await route.handle({ height, store: reader }, req.data) };
  } catch (err) {
    const e = abciError(err);
    return { ...base, code: e.code, codespace: e.codespace, log: e.log };
  }
}
