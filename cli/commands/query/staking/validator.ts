import { Args } from '@oclif/core';
import * as Q from '../../../../proto/gen/guts/staking/v1/query.js';
import { validatorJson } from '../../../../modules/staking/client.js';
import { parseAddress, parseHeight } from '../../../args.js';
import { BaseCommand } from '../../../base.js';
import { CliError } from '../../../errors.js';
import { describeQueryError } from '../../../node-client.js';
import { abciRpc, queryFlags, withNode } from '../../../query.js';

export default class QueryStakingValidator extends BaseCommand<typeof QueryStakingValidator> {
  static override summary = 'Show one validator.';
  static override description = 'The validator run by an operator address (guts1…), with its power in the active set.';
  static override examples = ['<%= config.bin %> <%= command.id %> guts1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu'];
  static override args = {
    address: Args.string({ description: 'operator address (guts1…)', required: true }),
  };
  static override flags = { ...queryFlags };

  async run(): Promise<void> {
    const height = parseHeight(this.flags.height);
    const validatorAddress = parseAddress(this.args.address, 'validator');
    const query = async (call: (m: string, d: Uint8Array) => Promise<Uint8Array>) =>
      validatorJson(Q.QueryValidatorResponse.decode(await call('Validator', Q.QueryValidatorRequest.encode({ validatorAddress }).finish())).validator!);
    const out = await withNode(this.home, this.flags, async (node) => {
      const rpc = abciRpc(node, height);
      try {
        return await query((method, data) => rpc.request('guts.staking.v1.Query', method, data));
      } catch (err) {
        throw new CliError(describeQueryError(err).message);
      }
    });
    this.print(out);
  }
}
