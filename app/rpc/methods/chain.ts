/** Validator sets and consensus parameters by height. */
import { pubKeyJson } from '../encoding/keys.js';
import { consensusParamsJson } from '../encoding/params.js';
import { hex, int64 } from '../encoding/primitives.js';
import { RpcError } from '../jsonrpc.js';
import { method, P, type Method } from './method.js';
import { checkPageInRange, resolveHeight, resolvePage, resolvePerPage } from './paging.js';

const validators = method([P.height, P.page, P.perPage], async ({ backend }, p) => {
  // The set for latest + 1 is already known (it is the last block's next_validators).
  const height = resolveHeight(backend.blockStore, p.int('height'), 1);
  const perPage = resolvePerPage(p.int('per_page'));
  const page = resolvePage(p.int('page'));
  const set = await backend.validators(height);
  if (set === undefined) throw RpcError.internal(`could not find validator set for height #${height}`);
  checkPageInRange(page, perPage, set.length);
  const slice = set.slice((page - 1) * perPage, page * perPage);
  return {
    block_height: int64(height),
    validators: slice.map((v) => ({
      address: hex(v.address),
      pub_key: pubKeyJson(v.pubKey),
      voting_power: int64(v.votingPower),
      proposer_priority: int64(v.proposerPriority),
    })),
    count: int64(slice.length),
    total: int64(set.length),
  };
});

const consensusParams = method([P.height], async ({ backend }, p) => {
  const height = resolveHeight(backend.blockStore, p.int('height'), 1);
  const params = await backend.consensusParams(height);
  if (params === undefined) throw RpcError.internal(`could not find consensus params for height #${height}`);
  return { block_height: int64(height), consensus_params: consensusParamsJson(params) };
});

export const chainMethods: Record<string, Method> = {
  validators,
  consensus_params: consensusParams,
};
