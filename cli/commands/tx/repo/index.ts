import { TopicCommand } from '../../../topic.js';

export default class TxRepo extends TopicCommand {
  static override summary = 'Repository registry: create repos, update refs, collaborators, anchors.';
  static override examples = ['<%= config.bin %> tx repo create alice guts -y', '<%= config.bin %> tx repo update-ref alice guts1…/guts refs/heads/main - 3f2a…e1 -y'];
  static override description = 'Messages of guts.repo.v1. Creating a repo, pushing outside your own repos and anchoring collaboration events pass the sybil gate: enough stake, or --pow to attach a proof of work instead.';
}
