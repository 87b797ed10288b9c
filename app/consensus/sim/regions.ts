/**
 * The four-region latency matrix of the P2P issue (one-way milliseconds). Jitter and
 * loss are per scenario; a link's delay is base + uniform jitter.
 */
export const REGIONS = ['us-east', 'eu-west', 'ap-southeast', 'sa-east'] as const;
export type Region = (typeof REGIONS)[number];

const INTRA_REGION_MS = 5;

const BETWEEN: Record<string, number> = {
  'us-east|eu-west': 40,
  'us-east|sa-east': 60,
  'us-east|ap-southeast': 110,
  'eu-west|ap-southeast': 80,
  'eu-west|sa-east': 95,
  'ap-southeast|sa-east': 160,
};

export function oneWayMs(a: Region, b: Region): number {
  if (a === b) return INTRA_REGION_MS;
  const ms = BETWEEN[`${a}|${b}`] ?? BETWEEN[`${b}|${a}`];
  if (ms === undefined) throw new RangeError(`no latency between ${a} and ${b}`);
  return ms;
}
