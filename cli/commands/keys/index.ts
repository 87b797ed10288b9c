import { TopicCommand } from '../../topic.js';

export default class Keys extends TopicCommand {
  static override summary = 'Manage the keys in the local keyring (add, list, show, delete, export, import).';
  static override description =
    'Keys live in <home>/keyring-file (encrypted with a passphrase, the default) or <home>/keyring-test (plain text, for devnets; select it with --keyring-backend test).';
  static override examples = ['<%= config.bin %> keys add alice', '<%= config.bin %> keys list --keyring-backend test'];
}
