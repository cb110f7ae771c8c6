// Plays an organisation's ordinary day(s): hour by hour, each host does a Poisson-distributed
// number of activities drawn from its role's profile, busier in working hours and on weekdays;
// workstation owners log on each working morning. Records come out in time order, one hour at
// a time, so memory stays bounded for long simulations.
import { type ActivityContext, morningLogon, roleProfiles, type SimRecord } from './benign-activity.ts';
import { buildOrganisation, type Organisation } from './organisation.ts';
import { Random } from './random.ts';

export interface SimulationOptions {
  readonly hosts: number;
  readonly hours: number;
  readonly seed: number;
  /** First simulated hour (epoch ms, rounded down to the hour); default: `hours` before now. */
  readonly start?: number;
  readonly units?: number;
  /** Working hours in UTC, [start, end). */
  readonly workingHours?: readonly [number, number];
}

export interface Simulation {
  readonly organisation: Organisation;
  readonly start: number;
  readonly end: number;
  records(): Generator<SimRecord>;
}

const hour = 3_600_000;

export function simulate(options: SimulationOptions): Simulation {
  if (!Number.isInteger(options.hosts) || options.hosts < 3)
    throw new Error('simulate: hosts must be a whole number ≥ 3');
  if (!(options.hours > 0)) throw new Error('simulate: hours must be > 0');
  const organisation = buildOrganisation(new Random(options.seed), { hosts: options.hosts, units: options.units });
  const start = Math.floor((options.start ?? Date.now() - options.hours * hour) / hour) * hour;
  const end = start + Math.ceil(options.hours) * hour;
  const [workStart, workEnd] = options.workingHours ?? [7, 18];
  return {
    organisation,
    start,
    end,
    *records() {
      // Each hour draws from its own seeded stream: the same seed gives the same telemetry.
      const recordIds = new Map<string, number>();
      // Activities can run past the end of their hour: those records wait for the next hour's batch.
      let pending: SimRecord[] = [];
      for (let hourStart = start; hourStart < end; hourStart += hour) {
        const random = new Random((options.seed * 2654435761 + hourStart / hour) >>> 0);
        const date = new Date(hourStart);
        const weekday = date.getUTCDay() !== 0 && date.getUTCDay() !== 6;
        const working = weekday && date.getUTCHours() >= workStart && date.getUTCHours() < workEnd;
        const batch: SimRecord[] = [];
        for (const host of organisation.hosts) {
          const profile = roleProfiles[host.role];
          const context = (time: number): ActivityContext => ({ random, organisation, host, time, recordIds });
          if (host.role === 'workstation' && weekday && date.getUTCHours() === workStart) {
            batch.push(...morningLogon(context(hourStart + random.int(0, 50 * 60_000))));
          }
          const count = random.poisson(working ? profile.day : profile.night);
          for (let index = 0; index < count; index++) {
            const activity = random.weighted(profile.activities);
            batch.push(...activity(context(hourStart + random.int(0, hour - 1))));
          }
        }
        batch.push(...pending);
        batch.sort((a, b) => a.time - b.time);
        pending = [];
        for (const record of batch) {
          if (record.time < hourStart + hour) yield record;
          else if (record.time < end) pending.push(record);
        }
      }
    },
  };
}
