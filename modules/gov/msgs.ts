import { VoteOption } from '../../proto/gen/guts/gov/v1/gov.js';
import { MsgSubmitProposal, MsgSubmitProposalResponse, MsgVeto, MsgVetoResponse, MsgVote, MsgVoteResponse } from '../../proto/gen/guts/gov/v1/tx.js';
import type { MsgHandler } from '../../app/chain/module.js';
import { addressBytes } from '../../app/chain/address.js';
import { validateContent, validateMetadata } from './content.js';
import type { GovDeps } from './deps.js';
import { ErrInvalidProposalId, ErrInvalidVote } from './errors.js';
import { submitProposal } from './proposal.js';
import { castVeto, castVote } from './vote.js';

export const MSG_SUBMIT_PROPOSAL = '/guts.gov.v1.MsgSubmitProposal';
export const MSG_VOTE = '/guts.gov.v1.MsgVote';
export const MSG_VETO = '/guts.gov.v1.MsgVeto';

const VALID_OPTIONS = new Set<number>([VoteOption.VOTE_OPTION_YES, VoteOption.VOTE_OPTION_ABSTAIN, VoteOption.VOTE_OPTION_NO, VoteOption.VOTE_OPTION_NO_WITH_VETO]);

function proposalId(id: bigint): void {
  if (id <= 0n) throw ErrInvalidProposalId.wrap('proposal_id must be positive');
}

export function govMsgHandlers(deps: GovDeps): MsgHandler<any>[] {
  const submit: MsgHandler<MsgSubmitProposal> = {
    typeUrl: MSG_SUBMIT_PROPOSAL,
    decode: (b) => MsgSubmitProposal.decode(b),
    encode: (m) => MsgSubmitProposal.encode(m).finish(),
    getSigners: (m) => [m.proposer],
    validateBasic(m) {
      addressBytes(m.proposer, 'proposer');
      validateMetadata(m.title, m.description);
      validateContent(m.content);
    },
    async handle(ctx, m) {
      const id = await submitProposal(deps, ctx, m);
      ctx.events.emit('message', { module: 'gov', sender: m.proposer });
      return { typeUrl: '/guts.gov.v1.MsgSubmitProposalResponse', value: MsgSubmitProposalResponse.encode({ proposalId: id }).finish() };
    },
  };
  const vote: MsgHandler<MsgVote> = {
    typeUrl: MSG_VOTE,
    decode: (b) => MsgVote.decode(b),
    encode: (m) => MsgVote.encode(m).finish(),
    getSigners: (m) => [m.voter],
    validateBasic(m) {
      proposalId(m.proposalId);
      addressBytes(m.voter, 'voter');
      if (!VALID_OPTIONS.has(m.option)) throw ErrInvalidVote.wrap(`option ${m.option} is not yes (1), abstain (2), no (3) or no_with_veto (4)`);
    },
    async handle(ctx, m) {
      await castVote(deps, ctx, m);
      ctx.events.emit('message', { module: 'gov', sender: m.voter });
      return { typeUrl: '/guts.gov.v1.MsgVoteResponse', value: MsgVoteResponse.encode({}).finish() };
    },
  };
  const veto: MsgHandler<MsgVeto> = {
    typeUrl: MSG_VETO,
    decode: (b) => MsgVeto.decode(b),
    encode: (m) => MsgVeto.encode(m).finish(),
    getSigners: (m) => [m.validator],
    validateBasic(m) {
      proposalId(m.proposalId);
      addressBytes(m.validator, 'validator');
    },
    async handle(ctx, m) {
      const cancelled = await castVeto(deps, ctx, m);
      ctx.events.emit('message', { module: 'gov', sender: m.validator });
      return { typeUrl: '/guts.gov.v1.MsgVetoResponse', value: MsgVetoResponse.encode({ cancelled }).finish() };
    },
  };
  return [submit, vote, veto];
}
