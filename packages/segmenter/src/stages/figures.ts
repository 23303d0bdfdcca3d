import type { SegmentFigures } from '../model.js';
import type { ProfileState } from './features.js';

const DAY_MS = 86_400_000;

/** Conversion, order value, revenue share and 30-day retention of each group of profiles. */
export function segmentFigures(groups: readonly (readonly ProfileState[])[], asOf: number): SegmentFigures[] {
  const totalRevenue = groups.reduce((s, g) => s + g.reduce((t, p) => t + Math.max(0, p.revenue), 0), 0);
  return groups.map((members) => {
    let buyers = 0;
    let orders = 0;
    let revenue = 0;
    let eligible = 0;
    let retained = 0;
    for (const p of members) {
      if (p.orders > 0) buyers += 1;
      orders += p.orders;
      revenue += Math.max(0, p.revenue);
      if (asOf - p.first >= 30 * DAY_MS) {
        eligible += 1;
        if (p.last - p.first >= 30 * DAY_MS) retained += 1;
      }
    }
    return {
      conversionRate: members.length === 0 ? 0 : buyers / members.length,
      averageOrderValue: orders === 0 ? 0 : revenue / orders,
      revenueShare: totalRevenue === 0 ? 0 : revenue / totalRevenue,
      retention30: eligible === 0 ? 0 : retained / eligible,
    };
  });
}
