import { Args } from '@oclif/core';
import { toHex } from '@cosmjs/encoding';
import { QueryPowChallengeRequest, QueryPowChallengeResponse } from '../../../../proto/gen/guts/sybil/v1/query.js';
import { ErrInvalidAction } from '../../../../modules/sybil/errors.js';
import { POW_ACTIONS, type PowAction } from '../../../../sdk/pow.js';
import { parseAddress } from '../../../args.js';
import { parseHeight } from '../../../args.js';
import { BaseCommand } from '../../../base.js';
import { CliError } from '../../../errors.js';
import { describeQueryError } from '../../../node-client.js';
import { abciRpc, queryFlags, withNode } from '../../../query.js';

export default class QuerySybilPowChallenge extends BaseCommand<typeof QuerySybilPowChallenge> {
  static override summary = 'Show the current proof-of-work challenge of an identity for an action.';
  static override description = 'challenge = sha256(chain id, signer, action, block hash); a solution is a nonce with sha256(challenge ‖ nonce as 8 little-endian bytes) starting with bits zero bits. The tx commands solve it for you with --pow.';
  static override examples = ['<%= config.bin %> <%= command.id %> guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5 create_repo'];
  static override args = {
    address: Args.string({ description: 'guts1… address of the signer', required: true }),
    action: Args.string({ description: 'validator | create_repo | push | governance | collaboration', required: true }),
  };
  static override flags = { ...queryFlags };

  async run(): Promise<void> {
    const { args, flags } = this;
    const height = parseHeight(flags.height);
    const out = await withNode(this.home, flags, async (node) => {
      const rpc = abciRpc(node, height);
      try {
        const address = parseAddress(args.address);
        const action = POW_ACTIONS.indexOf(args.action as PowAction) + 1;
        if (action === 0) throw ErrInvalidAction.wrap(`${JSON.stringify(args.action)}: expected one of ${POW_ACTIONS.join(', ')}`);
        const r = QueryPowChallengeResponse.decode(await rpc.request('guts.sybil.v1.Query', 'PowChallenge', QueryPowChallengeRequest.encode({ address, action }).finish()));
        return { block_height: r.blockHeight.toString(), block_hash: toHex(r.blockHash), challenge: toHex(r.challenge), bits: r.bits, expires_after_height: r.expiresAfterHeight.toString() };
      } catch (err) {
        throw new CliError(describeQueryError(err).message);
      }
    });
    this.print(out);
  }
}
