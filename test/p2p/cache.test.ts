import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MessageCache } from '../../app/p2p/plumtree/cache.js';

const config = { maxMessages: 50, maxBytes: 2_000, maxAgeMs: 1_000, payloadAgeMs: 400 };
const op = fc.oneof(
  fc.record({ k: fc.constant('put' as const), id: fc.integer({ min: 0, max: 120 }), size: fc.integer({ min: 0, max: 300 }), dt: fc.integer({ min: 0, max: 60 }) }),
  fc.record({ k: fc.constant('touch' as const), id: fc.integer({ min: 0, max: 120 }), dt: fc.integer({ min: 0, max: 60 }) }),
  fc.record({ k: fc.constant('expire' as const), dt: fc.integer({ min: 0, max: 600 }) }),
);

describe('de-duplication cache (property)', () => {
  it('never holds more than maxMessages ids or maxBytes of payload; after expire nothing is older than its age bound', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const c = new MessageCache(config);
        let now = 0;
        const id = (k: number) => k.toString(16).padStart(64, '0');
        for (const o of ops) {
          now += o.dt;
          if (o.k === 'put') c.put(id(o.id), { status: 'valid', round: 0, payload: o.size > 0 ? new Uint8Array(o.size) : undefined }, now);
          else if (o.k === 'touch') c.touch(id(o.id), now);
          else c.expire(now);
          expect(c.size).toBeLessThanOrEqual(config.maxMessages);
          expect(c.bytes).toBeLessThanOrEqual(config.maxBytes);
          if (o.k === 'expire') {
            for (let k = 0; k <= 120; k++) {
              const e = c.get(id(k));
              if (!e) continue;
              expect(now - e.seenAt).toBeLessThanOrEqual(config.maxAgeMs);
              if (e.payload) expect(now - e.storedAt).toBeLessThanOrEqual(config.payloadAgeMs);
            }
          }
        }
        let sum = 0;
        for (let k = 0; k <= 120; k++) sum += c.get(id(k))?.payload?.length ?? 0;
        expect(sum).toBe(c.bytes);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('keeps the id after dropping the payload, so a late duplicate is still recognised', () => {
    const c = new MessageCache(config);
    c.put('a'.repeat(64), { status: 'valid', round: 0, payload: new Uint8Array(10) }, 0);
    c.expire(500);
    expect(c.has('a'.repeat(64))).toBe(true);
    expect(c.get('a'.repeat(64))!.payload).toBeUndefined();
    c.expire(1_001);
    expect(c.has('a'.repeat(64))).toBe(false);
  });
});
