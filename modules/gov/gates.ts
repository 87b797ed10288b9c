/**
 * Which gov messages the sybil gate checks (issue 4: `can_perform(identity,
 * governance)`): submitting a proposal is the `governance` action, paid with the
 * proposer's bonded stake (less its reputation discount) or, when `pow_bits_governance`
 * is set, work. Votes and vetoes are weighted by stake already and are not gated.
 */
import type { GatedMsg } from '../sybil/expected.js';
import { MSG_SUBMIT_PROPOSAL } from './msgs.js';

export const govGatedMsgs: readonly GatedMsg[] = [{ typeUrl: MSG_SUBMIT_PROPOSAL, action: 'governance' }];
