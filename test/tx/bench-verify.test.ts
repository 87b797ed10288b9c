import { describe, expect, it } from 'vitest';
import { runVerifyBench } from '../../bench/verify.js';

describe('bench/verify', () => {
  it('reports single-thread and pool rates for the same signatures', async () => {
    const r = await runVerifyBench({ n: 40, threads: 2, batch: 20, accounts: 5, rounds: 1 });
    expect(r).toMatchObject({ n: 40, threads: 2, batch: 20 });
    expect(r.single_thread_per_s).toBeGreaterThan(0);
    expect(r.pool_per_s).toBeGreaterThan(0);
  });
});
