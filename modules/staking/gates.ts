/**
 * Which staking messages the sybil gate checks (issue 4: `can_perform(identity,
 * validator)`): creating a validator is the `validator` action, and the self-stake the
 * message offers counts toward the required stake (it is bonded at the epoch end, so
 * the identity's bonded stake alone would never cover a first validator).
 */
import type { GatedMsg } from '../sybil/expected.js';
import type { MsgCreateValidator } from '../../proto/gen/guts/staking/v1/tx.js';

export const MSG_CREATE_VALIDATOR = '/guts.staking.v1.MsgCreateValidator';

const AMOUNT = /^(0|[1-9][0-9]{0,77})$/;

export const stakingGatedMsgs: readonly GatedMsg[] = [
  {
    typeUrl: MSG_CREATE_VALIDATOR,
    action: 'validator',
    // a malformed amount offers nothing; validateBasic refuses the message anyway
    offeredStake: (m: MsgCreateValidator) => (m.selfStake && AMOUNT.test(m.selfStake.amount) ? BigInt(m.selfStake.amount) : 0n),
  },
];
