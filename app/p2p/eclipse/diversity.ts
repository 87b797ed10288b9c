/**
 * Peer diversity limits (eclipse defence, DESIGN §7): at most `per24` members of a
 * view may share an IPv4 /24 (IPv6 /48) and at most `per16` an IPv4 /16 (IPv6 /32).
 * An attacker holding a whole /16 then gets at most `per16` slots of a victim's
 * active view, however many addresses it has (Heilman et al., "Eclipse Attacks on
 * Bitcoin's Peer-to-Peer Network", USENIX Security 2015, countermeasure 1: bucketing
 * by group). Views are small (≤ ~40), so a check scans the members: no state to keep
 * in step with the view.
 */
import { addressGroups, parseCidr, type AddressGroups } from './ip.js';

export interface DiversityLimits {
  /** Members per /24 (IPv6 /48). */
  readonly per24: number;
  /** Members per /16 (IPv6 /32). */
  readonly per16: number;
}

export interface DiversityConfig {
  readonly active: DiversityLimits;
  readonly passive: DiversityLimits;
  /**
   * CIDR blocks exempt from the limits. Default: loopback only, so a local testnet on
   * 127.0.0.1 works; add private ranges for a LAN testnet, never for a public network.
   */
  readonly exempt: readonly string[];
}

export const DIVERSITY_DEFAULTS: DiversityConfig = {
  active: { per24: 1, per16: 2 },
  passive: { per24: 2, per16: 4 },
  exempt: ['127.0.0.0/8', '::1/128'],
};

/** `undefined` addr = unknown; it is grouped by itself (see ip.ts). */
export type DiversityRule = (candidate: string | undefined, members: Iterable<string | undefined>) => boolean;

/** A predicate: may a peer at `candidate` join a view whose members are at `members`? */
export function diversityRule(limits: DiversityLimits, exempt: readonly string[] = DIVERSITY_DEFAULTS.exempt): DiversityRule {
  const exemptions = exempt.map(parseCidr);
  // Parsed groups per address string (null = exempt); views re-check the same few
  // dozen addresses constantly. Bounded: cleared when it grows past 8,192.
  const memo = new Map<string, AddressGroups | null>();
  const groupsOf = (a: string): AddressGroups | null => {
    let g = memo.get(a);
    if (g === undefined) {
      if (memo.size >= 8_192) memo.clear();
      g = exemptions.some((f) => f(a)) ? null : addressGroups(a);
      memo.set(a, g);
    }
    return g;
  };
  return (candidate, members) => {
    const g = candidate === undefined ? null : groupsOf(candidate);
    if (g === null) return true;
    let narrow = 0;
    let wide = 0;
    for (const m of members) {
      const h = m === undefined ? null : groupsOf(m);
      if (h === null) continue;
      if (h.narrow === g.narrow) narrow++;
      if (h.wide === g.wide) wide++;
    }
    return narrow < limits.per24 && wide < limits.per16;
  };
}

export function validateDiversityConfig(c: DiversityConfig): void {
  for (const [name, l] of [['active', c.active], ['passive', c.passive]] as const) {
    if (!Number.isInteger(l.per24) || !Number.isInteger(l.per16) || l.per24 < 1 || l.per16 < l.per24) {
      throw new RangeError(`diversity.${name}: need integers 1 ≤ per24 ≤ per16, got per24=${l.per24} per16=${l.per16}`);
    }
  }
  for (const e of c.exempt) parseCidr(e);
}
