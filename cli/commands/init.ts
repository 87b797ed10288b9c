import { Args, Flags } from '@oclif/core';
import { randomBytes } from 'node:crypto';
import { BaseCommand } from '../base.js';
import { tildify } from '../home.js';
import { loadNodeApi } from '../node-api.js';

export default class Init extends BaseCommand<typeof Init> {
  static override summary = 'Initialize a node home: validator and node keys, config and a genesis file.';
  static override description =
    'Creates <home>/config (config, genesis.json, priv_validator_key.json, node_key.json) and <home>/data, with this node as the only genesis validator. Refuses to touch an initialized home unless --overwrite is given. To join an existing network, replace config/genesis.json with the network\'s genesis afterwards.';

  static override examples = [
    '<%= config.bin %> <%= command.id %> node0',
    '<%= config.bin %> <%= command.id %> node0 --chain-id guts-testnet-1 --home ~/.guts-node0',
    '<%= config.bin %> <%= command.id %> node0 --overwrite -o json',
  ];

  static override args = {
    moniker: Args.string({ description: 'human-readable name of this node', required: true }),
  };

  static override flags = {
    'chain-id': Flags.string({ summary: 'Chain ID of the new genesis (default: guts-local-<random>).' }),
    overwrite: Flags.boolean({ summary: 'Replace an existing genesis and config (keys are kept).', default: false }),
  };

  async run(): Promise<void> {
    const chainId = this.flags['chain-id'] ?? `guts-local-${randomBytes(3).toString('hex')}`;
    const node = await loadNodeApi();
    const r = await node.initHome({ home: this.home, moniker: this.args.moniker, chainId, overwrite: this.flags.overwrite });
    const out = {
      moniker: this.args.moniker,
      chain_id: chainId,
      node_id: r.nodeId,
      validator_address: r.validatorAddress,
      home: r.home,
      genesis_file: r.genesisPath,
    };
    this.print(out, (o: typeof out) =>
      [
        `Initialized node home ${tildify(o.home)}`,
        `  moniker:           ${o.moniker}`,
        `  chain id:          ${o.chain_id}`,
        `  node id:           ${o.node_id}`,
        `  validator address: ${o.validator_address}`,
        `  genesis:           ${tildify(o.genesis_file)}`,
        '',
        `Start it with: guts start${o.home === this.flags.home ? '' : ` --home ${tildify(o.home)}`}`,
      ].join('\n'),
    );
  }
}
