import { TopicCommand } from '../../topic.js';

export default class Query extends TopicCommand {
  static override summary = 'Query chain state through a node (bank, auth, tx).';
  static override description = 'Every query takes --node and -o json|text; state queries also take --height.';
}
