export { addressGroups, parseCidr, parseIpv4, parseIpv6, formatIpv4, type AddressGroups } from './ip.js';
export { diversityRule, DIVERSITY_DEFAULTS, validateDiversityConfig, type DiversityConfig, type DiversityLimits, type DiversityRule } from './diversity.js';
export { RoutingTableFilter, ROUTING_FILTER_DEFAULTS, commonPrefixLength, type RoutingFilterConfig } from './routing-filter.js';
export { PeerScores, SCORING_DEFAULTS, type Offence, type ScoringConfig } from './scores.js';
export { BanList, BAN_DEFAULTS, type BanConfig, type BanEntry } from './bans.js';
