import { BaseCommand } from '../base.js';
import { statusJson, statusText } from '../format/status.js';
import { nodeFlags } from '../node-client.js';
import { withNode } from '../query.js';

export default class Status extends BaseCommand<typeof Status> {
  static override summary = 'Show the status of a node: network, latest block, sync state, validator.';
  static override description = 'With -o json, prints the CometBFT /status result as `simd status` does.';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --node http://127.0.0.1:26657 -o json | jq -r .sync_info.latest_block_height',
  ];

  static override flags = { ...nodeFlags };

  async run(): Promise<void> {
    const status = await withNode(this.home, this.flags, async (node) => node.status);
    this.print(statusJson(status), statusText);
  }
}
