import { Args } from '@oclif/core';
import { HttpClient } from '@cosmjs/tendermint-rpc';
import type { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { ErrInvalidHeight } from '../../../app/errors.js';
import { BaseCommand } from '../../base.js';
import { CliError } from '../../errors.js';
import { nodeFlags } from '../../node-client.js';
import { withNode } from '../../query.js';

const CHECKPOINT_RPC_TIMEOUT_MS = 30_000;

export default class QueryCheckpoint extends BaseCommand<typeof QueryCheckpoint> {
  static override summary = 'Show an epoch checkpoint (default: the latest) and check its signatures.';
  static override description =
    'At the last block of every staking epoch the validators sign (header hash, app hash, next validators hash); the node stores the checkpoint once more than 2/3 of the voting power signed. Printed as the node\'s RPC `checkpoint` returns it, plus `verified_power`: the power of the valid signatures, checked here against the validator set the node reports for that height (more than 2/3 of the total, or the command fails). Give a trusted checkpoint to a light client (sdk/light `createTrustStore`) to refuse long-range forks.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> 1000 -o json'];
  static override args = { height: Args.string({ description: 'an epoch-end height (default: the latest checkpoint)', required: false }) };
  static override flags = { ...nodeFlags };

  async run(): Promise<void> {
    const raw = this.args.height;
    if (raw !== undefined && (!/^[1-9]\d*$/.test(raw) || !Number.isSafeInteger(Number(raw)))) throw ErrInvalidHeight.wrap(`checkpoint height ${JSON.stringify(raw)} must be a positive integer`);
    // Loaded here, not at the top: oclif loads every command module at once, and @noble/curves
    // (sdk/light's ed25519) imported alongside @cosmjs/crypto's require() of it races on Node 20.
    const { checkpointFromJson, LightClientError, verifyCheckpoint } = await import('../../../sdk/light/index.js');
    const out = await withNode(this.home, this.flags, async (node) => {
      const rpc = new HttpClient(node.url, CHECKPOINT_RPC_TIMEOUT_MS);
      const res = await node.call(() => rpc.execute({ jsonrpc: '2.0', id: 1, method: 'checkpoint', params: raw === undefined ? {} : { height: raw } }));
      const json = (res.result as { checkpoint: Record<string, unknown> }).checkpoint;
      const cp = checkpointFromJson(json);
      const vals = await node.call(() => node.comet.validatorsAll(Number(cp.height)));
      const validatorSet: ValidatorSet = {
        validators: vals.validators.map((v) => ({ address: v.address, pubKey: { ed25519: v.pubkey?.data }, votingPower: v.votingPower, proposerPriority: BigInt(v.proposerPriority ?? 0) })),
        proposer: undefined,
        totalVotingPower: 0n,
      };
      try {
        const power = verifyCheckpoint({ checkpoint: cp, validatorSet, chainId: node.chainId });
        return { ...json, verified_power: power.toString() };
      } catch (err) {
        if (err instanceof LightClientError) throw new CliError(`the node's checkpoint at height ${cp.height} does not verify: ${err.shortMessage}${err.details ? ` (${err.details})` : ''}`);
        throw err;
      }
    });
    this.print(out);
  }
}
