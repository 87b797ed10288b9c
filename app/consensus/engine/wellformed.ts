/**
 * Shape checks a message must pass before any lookup or signature check
 * (CometBFT `Vote.ValidateBasic`, `Proposal.ValidateBasic`). They cost nothing, so a
 * malformed message is dropped before it can cost a verification.
 */
import { SignedMsgType, type Proposal, type Vote } from 'cosmjs-types/tendermint/types/types';
import { isZeroBlockId } from '../encoding/canonical.js';
import { wellFormedBlockId } from './ids.js';

const MAX_INT32 = 2 ** 31 - 1;
const SIGNATURE_LENGTH = 64;
const ADDRESS_LENGTH = 20;

const isRound = (r: unknown): r is number => Number.isInteger(r) && (r as number) >= 0 && (r as number) <= MAX_INT32;

/** Why a vote is malformed, or undefined when it is well-formed. */
export function voteProblem(v: Vote): string | undefined {
  if (v.type !== SignedMsgType.SIGNED_MSG_TYPE_PREVOTE && v.type !== SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT) return `vote type ${v.type} is neither prevote nor precommit`;
  if (typeof v.height !== 'bigint' || v.height <= 0n) return `vote height ${v.height} is not positive`;
  if (!isRound(v.round)) return `vote round ${v.round} is not a non-negative int32`;
  if (!(v.validatorAddress instanceof Uint8Array) || v.validatorAddress.length !== ADDRESS_LENGTH) return 'vote validator address is not 20 bytes';
  if (!Number.isInteger(v.validatorIndex) || v.validatorIndex < 0) return `vote validator index ${v.validatorIndex} is negative`;
  if (!(v.signature instanceof Uint8Array) || v.signature.length !== SIGNATURE_LENGTH) return 'vote signature is not 64 bytes';
  if (!wellFormedBlockId(v.blockId)) return 'vote block id is malformed';
  if (!v.timestamp || typeof v.timestamp.seconds !== 'bigint') return 'vote has no timestamp';
  // Vote extensions are off (ABCI VoteExtensionsEnableHeight = 0): none may be attached.
  if ((v.extension?.length ?? 0) > 0 || (v.extensionSignature?.length ?? 0) > 0) return 'vote carries an extension but extensions are disabled';
  return undefined;
}

/** Why a proposal is malformed, or undefined. */
export function proposalProblem(p: Proposal): string | undefined {
  if (p.type !== SignedMsgType.SIGNED_MSG_TYPE_PROPOSAL) return `proposal type ${p.type} is not PROPOSAL`;
  if (typeof p.height !== 'bigint' || p.height <= 0n) return `proposal height ${p.height} is not positive`;
  if (!isRound(p.round)) return `proposal round ${p.round} is not a non-negative int32`;
  // Paper line 28: a proof-of-lock round is -1 or an earlier round.
  if (!Number.isInteger(p.polRound) || p.polRound < -1 || p.polRound >= p.round) return `proposal POL round ${p.polRound} must be -1 or below round ${p.round}`;
  if (!wellFormedBlockId(p.blockId) || isZeroBlockId(p.blockId)) return 'proposal block id is nil or malformed';
  if (!(p.signature instanceof Uint8Array) || p.signature.length !== SIGNATURE_LENGTH) return 'proposal signature is not 64 bytes';
  if (!p.timestamp || typeof p.timestamp.seconds !== 'bigint') return 'proposal has no timestamp';
  return undefined;
}
