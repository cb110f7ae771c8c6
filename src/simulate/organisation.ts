// A simulated organisation: units (departments, branches) with address ranges, Windows
// workstations and servers, Linux servers, users and the shared infrastructure (domain
// controllers, DNS, proxy) that real networks have — the stage the simulator plays on.
import type { Asset, Unit } from '../model/unit.ts';
import type { Random } from './random.ts';

export type HostRole = 'workstation' | 'windows-server' | 'domain-controller' | 'linux-server';

export interface SimHost {
  readonly name: string; // short upper-case NetBIOS-style name for Windows, lower-case for Linux
  readonly fqdn: string;
  readonly ip: string;
  readonly unit: string;
  readonly role: HostRole;
  /** The user who works on a workstation. */
  readonly owner?: string;
}

export interface SimUser {
  readonly name: string; // sam account name: "j.smith"
  readonly unit: string;
  readonly admin: boolean;
}

export interface Organisation {
  readonly domain: string; // NetBIOS domain, "CORP"
  readonly dnsSuffix: string; // "corp.example"
  readonly units: readonly Unit[];
  readonly hosts: readonly SimHost[];
  readonly users: readonly SimUser[];
  readonly domainControllers: readonly SimHost[];
  readonly proxyIp: string;
  readonly dnsIp: string;
}

const firstNames = [
  'anna',
  'ben',
  'chen',
  'dana',
  'eric',
  'fatima',
  'george',
  'hana',
  'ivan',
  'julia',
  'kofi',
  'li',
  'maria',
  'nils',
  'olga',
  'paul',
  'qiang',
  'rosa',
  'sam',
  'tara',
  'umar',
  'vera',
  'wei',
  'xenia',
  'yusuf',
  'zoe',
];
const lastNames = [
  'smith',
  'wang',
  'garcia',
  'muller',
  'kim',
  'novak',
  'rossi',
  'zhang',
  'okafor',
  'silva',
  'berg',
  'ivanova',
  'liu',
  'schmidt',
  'tanaka',
  'haddad',
];
/** Where each simulated unit sits, for maps (a spread of world cities). */
const unitLocations: Record<string, { lat: number; lon: number; name: string }> = {
  Headquarters: { lat: 50.11, lon: 8.68, name: 'Frankfurt' },
  Finance: { lat: 51.51, lon: -0.13, name: 'London' },
  'IT Operations': { lat: 53.35, lon: -6.26, name: 'Dublin' },
  'Human Resources': { lat: 48.86, lon: 2.35, name: 'Paris' },
  Legal: { lat: 47.37, lon: 8.54, name: 'Zurich' },
  Trading: { lat: 40.71, lon: -74.01, name: 'New York' },
  'Retail Banking': { lat: 1.35, lon: 103.82, name: 'Singapore' },
  'Branch 01': { lat: 31.23, lon: 121.47, name: 'Shanghai' },
  'Branch 02': { lat: -33.87, lon: 151.21, name: 'Sydney' },
  'Branch 03': { lat: -23.55, lon: -46.63, name: 'São Paulo' },
  'Branch 04': { lat: -26.2, lon: 28.05, name: 'Johannesburg' },
  'Branch 05': { lat: 25.2, lon: 55.27, name: 'Dubai' },
};

const unitNames = [
  'Headquarters',
  'Finance',
  'IT Operations',
  'Human Resources',
  'Legal',
  'Trading',
  'Retail Banking',
  'Branch 01',
  'Branch 02',
  'Branch 03',
  'Branch 04',
  'Branch 05',
];

export function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export function buildOrganisation(random: Random, options: { hosts: number; units?: number }): Organisation {
  const unitCount = Math.max(
    1,
    Math.min(options.units ?? Math.min(8, Math.max(2, Math.round(options.hosts / 25))), unitNames.length),
  );
  const units: Unit[] = unitNames.slice(0, unitCount).map((name, index) => ({
    id: slug(name),
    name,
    parent: index === 0 ? undefined : 'headquarters',
    cidrs: [`10.${10 + index}.0.0/16`],
    hostPatterns: [`${slug(name).slice(0, 3).toUpperCase()}-*`],
    location: unitLocations[name],
  }));
  const hosts: SimHost[] = [];
  const users: SimUser[] = [];
  const dnsSuffix = 'corp.example';
  const counters = new Map<string, number>();
  const nextHost = (unit: Unit, unitIndex: number, role: HostRole, owner?: string): SimHost => {
    const prefix = unit.id.slice(0, 3).toUpperCase();
    const kind =
      role === 'workstation' ? 'WS' : role === 'linux-server' ? 'LNX' : role === 'domain-controller' ? 'DC' : 'SRV';
    const counterKey = `${prefix}-${kind}`;
    const number = (counters.get(counterKey) ?? 0) + 1;
    counters.set(counterKey, number);
    const base = `${prefix}-${kind}${String(number).padStart(3, '0')}`;
    const name = role === 'linux-server' ? base.toLowerCase() : base;
    return {
      name,
      fqdn: `${name.toLowerCase()}.${dnsSuffix}`,
      // Each kind of host has its own /24s, so no two hosts share an address.
      ip: `10.${10 + unitIndex}.${role === 'workstation' ? 1 + Math.floor(number / 250) : { 'windows-server': 100, 'linux-server': 101, 'domain-controller': 102 }[role]}.${(number % 250) + 1}`,
      unit: unit.id,
      role,
      owner,
    };
  };
  // Shared infrastructure lives in the first unit.
  const hq = units[0]!;
  const domainControllers = [nextHost(hq, 0, 'domain-controller'), nextHost(hq, 0, 'domain-controller')];
  hosts.push(...domainControllers);
  const remaining = Math.max(0, options.hosts - hosts.length);
  for (let index = 0; index < remaining; index++) {
    const unitIndex = index % units.length;
    const unit = units[unitIndex]!;
    const role = random.weighted<HostRole>([
      ['workstation', 80],
      ['windows-server', 10],
      ['linux-server', 10],
    ]);
    let owner: string | undefined;
    if (role === 'workstation') {
      const base = `${random.pick(firstNames)}.${random.pick(lastNames)}`;
      const name = users.some((known) => known.name === base) ? `${base}${users.length}` : base;
      users.push({ name, unit: unit.id, admin: false });
      owner = name;
    }
    hosts.push(nextHost(unit, unitIndex, role, owner));
  }
  // A few administrators in IT (or the first unit).
  const itUnit = units.find((unit) => unit.id === 'it-operations') ?? hq;
  for (let index = 0; index < Math.max(2, Math.round(options.hosts / 50)); index++) {
    users.push({ name: `adm.${random.pick(lastNames)}${index}`, unit: itUnit.id, admin: true });
  }
  return {
    domain: 'CORP',
    dnsSuffix,
    units,
    hosts,
    users,
    domainControllers,
    proxyIp: '10.10.100.250',
    dnsIp: domainControllers[0]!.ip,
  };
}

/** The organisation as an inventory (units and assets) for enrichment. */
export function organisationAssets(organisation: Organisation): Asset[] {
  return organisation.hosts.map((host) => ({
    id: host.name.toLowerCase(),
    unit: host.unit,
    hostname: host.name,
    ip: [host.ip],
    criticality: host.role === 'domain-controller' ? 'critical' : host.role === 'workstation' ? 'medium' : 'high',
    owner: host.owner,
    os: host.role === 'linux-server' ? 'linux' : 'windows',
  }));
}
