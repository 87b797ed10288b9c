import { Flags } from '@oclif/core';
import { ProposalStatus } from '../../../../proto/gen/guts/gov/v1/gov.js';
import { QueryProposalsRequest, QueryProposalsResponse, type QueryProposalResponse } from '../../../../proto/gen/guts/gov/v1/query.js';
import { contentKindName, proposalToJson, STATUS_NAMES, tallyToJson } from '../../../../modules/gov/json.js';
import { formatRfc3339 } from '../../../../genesis/time.js';
import { parseHeight } from '../../../args.js';
import { BaseCommand } from '../../../base.js';
import { CliError } from '../../../errors.js';
import { describeQueryError } from '../../../node-client.js';
import { abciRpc, queryFlags, withNode } from '../../../query.js';

interface Row {
  id: string;
  status: string;
  type: string;
  title: string;
  voting_end_time: string;
  execution_time: string | null;
  tally: Record<string, string>;
  timelock_veto_power: string;
  status_reason: string;
}

function row(r: QueryProposalResponse): Row {
  const p = r.proposal!;
  const j = proposalToJson(p) as Record<string, unknown>;
  return {
    id: p.id.toString(),
    status: j.status as string,
    type: contentKindName(p.content),
    title: p.title,
    voting_end_time: formatRfc3339(p.votingEndTime!),
    execution_time: p.executionTime ? formatRfc3339(p.executionTime) : null,
    tally: tallyToJson(r.tally!),
    timelock_veto_power: r.timelockVetoPower,
    status_reason: p.statusReason,
  };
}

/** `yes/no/abstain/veto of total (turnout%)` */
function tallyText(t: Record<string, string>): string {
  const cast = ['yes', 'no', 'abstain', 'no_with_veto'].reduce((s, k) => s + BigInt(t[k]!), 0n);
  const total = BigInt(t.total_bonded!);
  const turnout = total === 0n ? '0' : ((cast * 1000n) / total).toString().replace(/(\d)$/, '.$1');
  return `${t.yes}/${t.no}/${t.abstain}/${t.no_with_veto} of ${t.total_bonded} (${turnout}%)`;
}

function proposalsTable(rows: Row[]): string {
  if (rows.length === 0) return 'no proposals';
  const head = ['ID', 'STATUS', 'TYPE', 'VOTING ENDS', 'EXECUTES', 'YES/NO/ABSTAIN/VETO', 'TITLE'];
  const body = rows.map((r) => [r.id, r.status, r.type, r.voting_end_time, r.execution_time ?? '-', tallyText(r.tally), r.title]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  return [head, ...body].map((cells) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
}

export default class QueryGovProposals extends BaseCommand<typeof QueryGovProposals> {
  static override summary = 'List proposals: status, tally, voting end and execution time.';
  static override description = `The governance queue. TYPE is parameter_change, protocol_upgrade, emergency or treasury_spend. For proposals still voting the tally is the one voting would give if it ended now; afterwards it is the final tally. Queued proposals wait in the time-lock until EXECUTES and can be vetoed until then (\`guts tx gov veto\`). -o json adds the stake that vetoed so far and the reason of rejected, vetoed and failed proposals.`;
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --status queued', '<%= config.bin %> <%= command.id %> --status voting_period -o json'];
  static override flags = {
    ...queryFlags,
    status: Flags.option({ summary: 'Only proposals with this status.', options: STATUS_NAMES.map(([, n]) => n) })(),
  };

  async run(): Promise<void> {
    const height = parseHeight(this.flags.height);
    const status = STATUS_NAMES.find(([, n]) => n === this.flags.status)?.[0] ?? ProposalStatus.PROPOSAL_STATUS_UNSPECIFIED;
    const rows = await withNode(this.home, this.flags, async (node) => {
      const rpc = abciRpc(node, height);
      const out: Row[] = [];
      let startId = 0n;
      try {
        do {
          const req = QueryProposalsRequest.encode({ status, startId, limit: 100 }).finish();
          const res = QueryProposalsResponse.decode(await rpc.request('guts.gov.v1.Query', 'Proposals', req));
          out.push(...res.proposals.map(row));
          startId = res.nextId;
        } while (startId > 0n);
      } catch (err) {
        throw new CliError(describeQueryError(err).message);
      }
      return out;
    });
    this.print({ proposals: rows }, (v: { proposals: Row[] }) => proposalsTable(v.proposals));
  }
}
