/**
 * Stateless checks of a proposal (validateBasic): exactly one content kind, every field
 * present, in range and of bounded size. Stateful checks are in proposal.ts.
 */
import { EmergencyAction, type ProposalContent } from '../../proto/gen/guts/gov/v1/gov.js';
import { addressBytes } from '../../app/chain/address.js';
import { validateCoins } from '../../app/chain/coins.js';
import { ErrInvalidMetadata, ErrInvalidProposalContent, ErrInvalidUpgrade } from './errors.js';

export const MAX_TITLE = 140;
export const MAX_DESCRIPTION = 10_000;
export const MAX_TEXT = 1_000;
export const MAX_PARAM_VALUE = 1_024;
const NAME = /^[a-z][a-z0-9_]{0,63}$/;
/** Upgrade names end up in log lines and handler tables: printable, no spaces. */
const UPGRADE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_HEIGHT = BigInt(Number.MAX_SAFE_INTEGER);

export type ContentKind = 'parameter_change' | 'protocol_upgrade' | 'emergency' | 'treasury_spend';

export function contentKind(c: ProposalContent | undefined): ContentKind | undefined {
  if (!c) return undefined;
  const kinds: ContentKind[] = [];
  if (c.parameterChange) kinds.push('parameter_change');
  if (c.protocolUpgrade) kinds.push('protocol_upgrade');
  if (c.emergency) kinds.push('emergency');
  if (c.treasurySpend) kinds.push('treasury_spend');
  return kinds.length === 1 ? kinds[0] : undefined;
}

function text(value: string, field: string, max: number, required: boolean): void {
  if (typeof value !== 'string') throw ErrInvalidProposalContent.wrap(`${field} must be a string`);
  if (required && value.trim() === '') throw ErrInvalidProposalContent.wrap(`${field} is empty`);
  if (value.length > max) throw ErrInvalidProposalContent.wrap(`${field} has ${value.length} characters, at most ${max} allowed`);
}

export function validateMetadata(title: string, description: string): void {
  if (typeof title !== 'string' || title.trim() === '') throw ErrInvalidMetadata.wrap('title is empty');
  if (title.length > MAX_TITLE) throw ErrInvalidMetadata.wrap(`title has ${title.length} characters, at most ${MAX_TITLE} allowed`);
  if (typeof description !== 'string' || description.length > MAX_DESCRIPTION) {
    throw ErrInvalidMetadata.wrap(`description has ${description?.length} characters, at most ${MAX_DESCRIPTION} allowed`);
  }
}

function moduleName(value: string, field: string): void {
  if (!NAME.test(value)) throw ErrInvalidProposalContent.wrap(`${field} ${JSON.stringify(value)} must match ${NAME.source}`);
}

export function validateContent(c: ProposalContent | undefined): ContentKind {
  const kind = contentKind(c);
  if (!kind || !c) throw ErrInvalidProposalContent.wrap('content must hold exactly one of parameter_change, protocol_upgrade, emergency, treasury_spend');
  switch (kind) {
    case 'parameter_change': {
      const p = c.parameterChange!;
      moduleName(p.module, 'parameter_change.module');
      moduleName(p.parameter, 'parameter_change.parameter');
      text(p.oldValue, 'parameter_change.old_value', MAX_PARAM_VALUE, false);
      text(p.newValue, 'parameter_change.new_value', MAX_PARAM_VALUE, false);
      if (p.oldValue === p.newValue) throw ErrInvalidProposalContent.wrap('parameter_change.new_value equals old_value: nothing would change');
      break;
    }
    case 'protocol_upgrade': {
      const u = c.protocolUpgrade!;
      if (!UPGRADE_NAME.test(u.name)) throw ErrInvalidUpgrade.wrap(`name ${JSON.stringify(u.name)} must match ${UPGRADE_NAME.source}`);
      if (!UPGRADE_NAME.test(u.version)) throw ErrInvalidUpgrade.wrap(`version ${JSON.stringify(u.version)} must match ${UPGRADE_NAME.source}`);
      if (u.activationHeight <= 0n || u.activationHeight > MAX_HEIGHT) throw ErrInvalidUpgrade.wrap(`activation_height ${u.activationHeight} must be between 1 and ${MAX_HEIGHT}`);
      text(u.info, 'protocol_upgrade.info', MAX_TEXT, false);
      break;
    }
    case 'emergency': {
      const e = c.emergency!;
      text(e.justification, 'emergency.justification', MAX_TEXT, true);
      if (e.action === EmergencyAction.EMERGENCY_ACTION_PAUSE_MODULE || e.action === EmergencyAction.EMERGENCY_ACTION_RESUME_MODULE) {
        moduleName(e.module, 'emergency.module');
        if (e.validator !== '') throw ErrInvalidProposalContent.wrap('emergency.validator must be empty when pausing or resuming a module');
      } else if (e.action === EmergencyAction.EMERGENCY_ACTION_JAIL_VALIDATOR) {
        addressBytes(e.validator, 'emergency.validator');
        if (e.module !== '') throw ErrInvalidProposalContent.wrap('emergency.module must be empty when jailing a validator');
      } else {
        throw ErrInvalidProposalContent.wrap(`emergency.action ${e.action} must be pause_module, resume_module or jail_validator`);
      }
      break;
    }
    case 'treasury_spend': {
      const t = c.treasurySpend!;
      addressBytes(t.recipient, 'treasury_spend.recipient');
      validateCoins(t.amount, 'treasury_spend.amount');
      text(t.purpose, 'treasury_spend.purpose', MAX_TEXT, true);
      break;
    }
  }
  return kind;
}
