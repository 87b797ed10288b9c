/**
 * The JSON forms of gov records (snake_case, amounts and ids as decimal strings, times
 * RFC 3339), shared by genesis and the CLI so both print proposals the same way.
 */
import type { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import { EmergencyAction, ProposalStatus, VoteOption, type Proposal, type ProposalContent, type TallyResult } from '../../proto/gen/guts/gov/v1/gov.js';
import { formatRfc3339 } from '../../genesis/time.js';

export const OPTION_NAMES: Record<VoteOption, string> = {
  [VoteOption.VOTE_OPTION_UNSPECIFIED]: 'unspecified',
  [VoteOption.VOTE_OPTION_YES]: 'yes',
  [VoteOption.VOTE_OPTION_ABSTAIN]: 'abstain',
  [VoteOption.VOTE_OPTION_NO]: 'no',
  [VoteOption.VOTE_OPTION_NO_WITH_VETO]: 'no_with_veto',
  [VoteOption.UNRECOGNIZED]: 'unrecognized',
};

export const VOTE_OPTIONS: [VoteOption, string][] = [VoteOption.VOTE_OPTION_YES, VoteOption.VOTE_OPTION_ABSTAIN, VoteOption.VOTE_OPTION_NO, VoteOption.VOTE_OPTION_NO_WITH_VETO].map((o) => [o, OPTION_NAMES[o]]);

export const STATUS_NAMES: [ProposalStatus, string][] = [
  [ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD, 'voting_period'],
  [ProposalStatus.PROPOSAL_STATUS_QUEUED, 'queued'],
  [ProposalStatus.PROPOSAL_STATUS_REJECTED, 'rejected'],
  [ProposalStatus.PROPOSAL_STATUS_VETOED, 'vetoed'],
  [ProposalStatus.PROPOSAL_STATUS_EXECUTED, 'executed'],
  [ProposalStatus.PROPOSAL_STATUS_FAILED, 'failed'],
];
export const ACTION_NAMES: [EmergencyAction, string][] = [
  [EmergencyAction.EMERGENCY_ACTION_PAUSE_MODULE, 'pause_module'],
  [EmergencyAction.EMERGENCY_ACTION_RESUME_MODULE, 'resume_module'],
  [EmergencyAction.EMERGENCY_ACTION_JAIL_VALIDATOR, 'jail_validator'],
];

export function statusName(s: ProposalStatus): string {
  return STATUS_NAMES.find(([v]) => v === s)?.[1] ?? 'unspecified';
}

export function actionName(a: EmergencyAction): string {
  return ACTION_NAMES.find(([v]) => v === a)?.[1] ?? 'unspecified';
}

export const coinsToJson = (coins: Coin[]) => coins.map((c) => ({ denom: c.denom, amount: c.amount }));

export function tallyToJson(t: TallyResult): Record<string, string> {
  return { yes: t.yes, abstain: t.abstain, no: t.no, no_with_veto: t.noWithVeto, total_bonded: t.totalBonded };
}

export function contentToJson(c: ProposalContent): unknown {
  if (c.parameterChange) {
    const p = c.parameterChange;
    return { parameter_change: { module: p.module, parameter: p.parameter, old_value: p.oldValue, new_value: p.newValue } };
  }
  if (c.protocolUpgrade) {
    const u = c.protocolUpgrade;
    return { protocol_upgrade: { name: u.name, version: u.version, activation_height: u.activationHeight.toString(), info: u.info } };
  }
  if (c.emergency) {
    const e = c.emergency;
    return { emergency: { action: actionName(e.action), module: e.module, validator: e.validator, justification: e.justification } };
  }
  const t = c.treasurySpend!;
  return { treasury_spend: { recipient: t.recipient, amount: coinsToJson(t.amount), purpose: t.purpose } };
}

export function proposalToJson(p: Proposal): unknown {
  const t = p.finalTally;
  return {
    id: p.id.toString(),
    proposer: p.proposer,
    title: p.title,
    description: p.description,
    content: contentToJson(p.content!),
    status: statusName(p.status),
    status_reason: p.statusReason,
    submit_height: p.submitHeight.toString(),
    submit_time: formatRfc3339(p.submitTime!),
    voting_end_time: formatRfc3339(p.votingEndTime!),
    execution_time: p.executionTime ? formatRfc3339(p.executionTime) : null,
    final_tally: t ? tallyToJson(t) : null,
    deposit: coinsToJson(p.deposit),
  };
}

export function contentKindName(c: ProposalContent | undefined): string {
  if (c?.parameterChange) return 'parameter_change';
  if (c?.protocolUpgrade) return 'protocol_upgrade';
  if (c?.emergency) return 'emergency';
  if (c?.treasurySpend) return 'treasury_spend';
  return 'unknown';
}
