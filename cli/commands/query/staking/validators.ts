import { Flags } from '@oclif/core';
import * as Q from '../../../../proto/gen/guts/staking/v1/query.js';
import { STATUS_BY_NAME, validatorJson } from '../../../../modules/staking/client.js';
import { parseHeight } from '../../../args.js';
import { BaseCommand } from '../../../base.js';
import { CliError } from '../../../errors.js';
import { describeQueryError } from '../../../node-client.js';
import { abciRpc, queryFlags, withNode } from '../../../query.js';

export default class QueryStakingValidators extends BaseCommand<typeof QueryStakingValidators> {
  static override summary = 'List validators (all, or by status).';
  static override description = 'Every validator with its stake (tokens), status, jail and tombstone flags, commission (basis points), uptime (basis points), blocks proposed, signed and missed, and the power it has in the active set (0 outside it).';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --status bonded -o json'];
    static override flags = { ...queryFlags,
    status: Flags.option({ summary: 'Only validators with this status.', options: ['bonded', 'unbonding', 'unbonded'] as const })() };

  async run(): Promise<void> {
    const height = parseHeight(this.flags.height);
    const status = this.flags.status === undefined ? 0 : STATUS_BY_NAME[this.flags.status]!;
    const query = async (call: (m: string, d: Uint8Array) => Promise<Uint8Array>) => ({
      validators: Q.QueryValidatorsResponse.decode(await call('Validators', Q.QueryValidatorsRequest.encode({ status }).finish())).validators.map(validatorJson),
    });
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
