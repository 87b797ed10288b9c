import { TopicCommand } from '../../topic.js';

export default class Tx extends TopicCommand {
  static override summary = 'Sign and broadcast transactions (bank send, …).';
  static override examples = ['<%= config.bin %> tx bank send alice guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5 1000ugut'];
  static override description = 'Every tx command takes --node, --chain-id, --from/--keyring-backend, --gas auto|<n>, --gas-adjustment, --gas-prices or --fees, --memo, -y and --broadcast-mode.';
}
