import { describe, expect, it } from 'vitest';
import { runCampaign } from './campaign.js';

/**
 * A short seeded chaos campaign (the long one is `npm run chaos`): `run --live` against the local exchange
 * with 10% 429s, 5% 5xx (half of them after the order was processed) and 3% answers lost after the
 * order was accepted, killed with SIGKILL at random moments and at named points inside exchange writes,
 * judged from the exchange's side.
 */
describe('chaos: kill -9 and exchange faults', () => {
  it('never reuses a client id, never enters a signal twice, never leaves a position without a full-size stop or an order protecting nothing for more than 3 s, and ends with the store equal to the exchange', async () => {
    const report = await runCampaign({ seed: 7, kills: 4, faults: { rateLimit: 0.1, unavailable: 0.025, unavailableAfter: 0.025, lostResponse: 0.03 } });
    expect(report.violations).toEqual({
      reusedClientIds: [], signalsEnteredTwice: [], unattributedEntries: [], nakedTooLong: [], orphansAfterReconciliation: [], orphansTooLong: [], orphanFills: [], storeDiffers: [], daemonExits: [],
    });
    expect(report.figures.entries).toBeGreaterThan(0);
    expect(report.figures.startups).toBeGreaterThanOrEqual(2);
  }, 300_000);
});
