import { TopicCommand } from '../../topic.js';

export default class Query extends TopicCommand {
  static override summary = 'Query chain state through a node (bank, auth, tx).';
  static override examples = ['<%= config.bin %> query bank balances guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5', '<%= config.bin %> query tx <hash> -o json'];
  static override description = 'Every query takes --node and -o json|text; state queries also take --height.';
}
