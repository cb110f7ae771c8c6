// The MITRE ATT&CK Enterprise catalogue: tactics (in kill-chain order) and techniques with
// sub-techniques, read from the official STIX bundle (enterprise-attack.json). Maps Sigma tags
// (`attack.t1059.001`, `attack.execution`) to ids and names for alerts and the heatmap.
import type { AttackRef } from '../../model/alert.ts';

export interface AttackTactic {
  readonly id: string; // TA0002
  readonly shortname: string; // execution
  readonly name: string; // Execution
  readonly order: number; // position in the Enterprise matrix
}

export interface AttackTechnique {
  readonly id: string; // T1059 or T1059.001
  readonly name: string;
  /** Tactic shortnames (kill-chain phases). */
  readonly tactics: readonly string[];
  readonly parent?: string; // T1059 for T1059.001
}

/** The compact form, small enough to cache in the data directory. */
export interface AttackCatalogData {
  readonly version?: string;
  readonly tactics: readonly AttackTactic[];
  readonly techniques: readonly AttackTechnique[];
}

type Json = Record<string, unknown>;

function attackId(object: Json): string | undefined {
  const references = Array.isArray(object.external_references) ? object.external_references : [];
  for (const reference of references as Json[]) {
    if (reference?.source_name === 'mitre-attack' && typeof reference.external_id === 'string')
      return reference.external_id;
  }
  return undefined;
}

export class AttackCatalog {
  readonly data: AttackCatalogData;
  readonly #tactics = new Map<string, AttackTactic>(); // by shortname and by id
  readonly #techniques = new Map<string, AttackTechnique>(); // by upper-case id

  constructor(data: AttackCatalogData) {
    this.data = data;
    for (const tactic of data.tactics) {
      this.#tactics.set(tactic.shortname, tactic);
      this.#tactics.set(tactic.id.toLowerCase(), tactic);
    }
    for (const technique of data.techniques) this.#techniques.set(technique.id.toUpperCase(), technique);
  }

  /** Build from the ATT&CK STIX bundle (the parsed JSON of enterprise-attack.json). */
  static fromStixBundle(bundle: unknown): AttackCatalog {
    const objects = (bundle as { objects?: unknown }).objects;
    if (!Array.isArray(objects)) throw new Error('not an ATT&CK STIX bundle: no objects array');
    const tacticsById = new Map<string, { id: string; shortname: string; name: string }>();
    const techniques: AttackTechnique[] = [];
    let order: string[] = [];
    let version: string | undefined;
    for (const object of objects as Json[]) {
      if (!object || object.revoked === true || object.x_mitre_deprecated === true) continue;
      if (object.type === 'x-mitre-tactic') {
        const id = attackId(object);
        if (id && typeof object.x_mitre_shortname === 'string') {
          tacticsById.set(String(object.id), { id, shortname: object.x_mitre_shortname, name: String(object.name) });
        }
      } else if (object.type === 'attack-pattern') {
        const id = attackId(object);
        if (!id) continue;
        const phases = Array.isArray(object.kill_chain_phases) ? (object.kill_chain_phases as Json[]) : [];
        techniques.push({
          id,
          name: String(object.name),
          tactics: phases
            .filter((phase) => phase.kill_chain_name === 'mitre-attack')
            .map((phase) => String(phase.phase_name)),
          parent: id.includes('.') ? id.slice(0, id.indexOf('.')) : undefined,
        });
      } else if (object.type === 'x-mitre-matrix' && Array.isArray(object.tactic_refs)) {
        order = object.tactic_refs.map(String);
      } else if (object.type === 'x-mitre-collection' && typeof object.x_mitre_version === 'string') {
        version = object.x_mitre_version;
      }
    }
    const tactics = [...tacticsById.entries()].map(([ref, tactic]) => ({
      ...tactic,
      order: order.includes(ref) ? order.indexOf(ref) : order.length + tacticsById.size,
    }));
    tactics.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
    techniques.sort((a, b) => a.id.localeCompare(b.id));
    return new AttackCatalog({
      version,
      tactics: tactics.map((tactic, index) => ({ ...tactic, order: index })),
      techniques,
    });
  }

  get tactics(): readonly AttackTactic[] {
    return this.data.tactics;
  }

  get techniques(): readonly AttackTechnique[] {
    return this.data.techniques;
  }

  technique(id: string): AttackTechnique | undefined {
    return this.#techniques.get(id.toUpperCase());
  }

  /** A tactic by shortname ("defense-evasion"), Sigma tag form ("defense_evasion") or id ("TA0005"). */
  tactic(key: string): AttackTactic | undefined {
    const lower = key.toLowerCase();
    return this.#tactics.get(lower) ?? this.#tactics.get(lower.replace(/_/g, '-'));
  }

  /**
   * Tactics and techniques named by Sigma tags. A technique tag also implies its tactics when
   * the rule names none (so every mapped alert lands in a heatmap column).
   */
  resolveTags(tags: readonly string[] | undefined): { tactics: AttackRef[]; techniques: AttackRef[] } {
    const tactics: AttackRef[] = [];
    const techniques: AttackRef[] = [];
    const tacticIds = new Set<string>();
    const implied: string[] = [];
    for (const tag of tags ?? []) {
      const lower = tag.toLowerCase();
      if (!lower.startsWith('attack.')) continue;
      const rest = lower.slice(7);
      if (/^t\d{4}(\.\d{3})?$/.test(rest)) {
        const technique = this.technique(rest);
        const id = rest.toUpperCase();
        if (!techniques.some((known) => known.id === id)) techniques.push({ id, name: technique?.name });
        if (technique) implied.push(...technique.tactics);
        else if (id.includes('.')) {
          const parent = this.technique(id.slice(0, id.indexOf('.')));
          if (parent) implied.push(...parent.tactics);
        }
      } else {
        const tactic = this.tactic(rest);
        if (tactic && !tacticIds.has(tactic.id)) {
          tacticIds.add(tactic.id);
          tactics.push({ id: tactic.id, name: tactic.name });
        }
      }
    }
    if (tactics.length === 0) {
      for (const shortname of implied) {
        const tactic = this.tactic(shortname);
        if (tactic && !tacticIds.has(tactic.id)) {
          tacticIds.add(tactic.id);
          tactics.push({ id: tactic.id, name: tactic.name });
        }
      }
    }
    return { tactics, techniques };
  }
}
