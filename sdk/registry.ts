/**
 * typeUrl → codec for every message the chain accepts, for cosmjs `Registry` (signing,
 * CLI, SDK). Modules add their `guts.<module>.v1` messages here as they land; the
 * codecs are the ts-proto ones in proto/gen (encode/decode/fromPartial). Browser-safe.
 */
import type { GeneratedType } from '@cosmjs/proto-signing';
import { defaultRegistryTypes } from '@cosmjs/stargate';
import { MsgSubmitProposal, MsgVeto, MsgVote } from '../proto/gen/guts/gov/v1/tx.js';
import { MsgCreateValidator, MsgEditValidator, MsgRedelegate, MsgStake, MsgUnstake, MsgWithdrawRewards } from '../proto/gen/guts/staking/v1/tx.js';
import { MsgUnjail } from '../proto/gen/guts/slashing/v1/tx.js';
import { MsgAddCollaborator, MsgAnchorCollabEvent, MsgCreateRepo, MsgRemoveCollaborator, MsgUpdateRef } from '../proto/gen/guts/repo/v1/tx.js';
import { MsgFaucetRequest } from '../proto/gen/guts/faucet/v1/tx.js';

/**
 * A proto/gen codec as cosmjs' `TsProto2GeneratedType`: the same shape, but TypeScript
 * types our ESM import of @bufbuild/protobuf apart from the CJS one cosmjs is typed with.
 */
const tsProto = (codec: { encode(m: never): unknown; decode(b: Uint8Array): unknown; fromPartial(o: never): unknown }): GeneratedType => codec as unknown as GeneratedType;

export const gutsMessageTypes: ReadonlyArray<[string, GeneratedType]> = [
  ['/guts.gov.v1.MsgSubmitProposal', tsProto(MsgSubmitProposal)],
  ['/guts.gov.v1.MsgVote', tsProto(MsgVote)],
  ['/guts.gov.v1.MsgVeto', tsProto(MsgVeto)],
  ['/guts.staking.v1.MsgCreateValidator', tsProto(MsgCreateValidator)],
  ['/guts.staking.v1.MsgEditValidator', tsProto(MsgEditValidator)],
  ['/guts.staking.v1.MsgStake', tsProto(MsgStake)],
  ['/guts.staking.v1.MsgUnstake', tsProto(MsgUnstake)],
  ['/guts.staking.v1.MsgRedelegate', tsProto(MsgRedelegate)],
  ['/guts.staking.v1.MsgWithdrawRewards', tsProto(MsgWithdrawRewards)],
  ['/guts.slashing.v1.MsgUnjail', tsProto(MsgUnjail)],
  ['/guts.repo.v1.MsgCreateRepo', tsProto(MsgCreateRepo)],
  ['/guts.repo.v1.MsgUpdateRef', tsProto(MsgUpdateRef)],
  ['/guts.repo.v1.MsgAddCollaborator', tsProto(MsgAddCollaborator)],
  ['/guts.repo.v1.MsgRemoveCollaborator', tsProto(MsgRemoveCollaborator)],
  ['/guts.repo.v1.MsgAnchorCollabEvent', tsProto(MsgAnchorCollabEvent)],
  ['/guts.faucet.v1.MsgFaucetRequest', tsProto(MsgFaucetRequest)],
];

/** cosmos-sdk messages cosmjs knows (bank MsgSend among them) plus the Guts messages. */
export const gutsRegistryTypes: ReadonlyArray<[string, GeneratedType]> = [...defaultRegistryTypes, ...gutsMessageTypes];
