// The detectors of the live pipeline: Sigma rules (with ATT&CK names from the catalogue) and
// threat-intelligence matching, each turning stored events into alerts. Sigma matches are also
// reported as rule matches for the correlation engine.
import type { Alert, AlertLevel } from '../model/alert.ts';
import type { Detector } from '../pipeline/detection-hook.ts';
import { newEventId } from '../store/event-id.ts';
import type { AttackCatalog } from './attack/attack-catalog.ts';
import type { RuleMatch } from './correlation/correlation-engine.ts';
import type { IndicatorIndex } from './intel/indicator-index.ts';
import { intelAlerts } from './intel/intel-matcher.ts';
import type { CompiledSigmaRule, SigmaEngine } from './sigma/sigma-engine.ts';

export interface SigmaDetectorOptions {
  readonly engine: SigmaEngine;
  readonly attack?: AttackCatalog;
  /** Rules switched off (ids), per unit or everywhere ('*'). */
  readonly disabled?: (unit: string, ruleId: string) => boolean;
}

export function sigmaDetector(options: SigmaDetectorOptions): Detector {
  const attackOf = new Map<CompiledSigmaRule, Alert['attack']>();
  const attackFor = (compiled: CompiledSigmaRule) => {
    let attack = attackOf.get(compiled);
    if (!attack) {
      attack = options.attack?.resolveTags(compiled.rule.tags) ?? { tactics: [], techniques: [] };
      attackOf.set(compiled, attack);
    }
    return attack;
  };
  return {
    name: 'sigma',
    detect(events, now) {
      const alerts: Alert[] = [];
      const matches: RuleMatch[] = [];
      for (const stored of events) {
        options.engine.match(stored.event, (compiled) => {
          const rule = compiled.rule;
          const ruleId = rule.id ?? rule.name ?? rule.path;
          if (options.disabled?.(stored.event.unit, ruleId)) return;
          const time = Date.parse(stored.event['@timestamp']);
          matches.push({
            ruleId: rule.id,
            ruleName: rule.name,
            eventId: stored.id,
            event: stored.event,
            time: Number.isNaN(time) ? now : time,
          });
          alerts.push({
            id: newEventId(now),
            unit: stored.event.unit,
            kind: 'sigma',
            '@timestamp': stored.event['@timestamp'],
            createdAt: now,
            rule: {
              id: ruleId,
              name: rule.name,
              title: rule.title,
              level: (rule.level ?? 'medium') as AlertLevel,
              status: rule.status,
              author: rule.author,
              description: rule.description,
              references: rule.references,
              tags: rule.tags,
              path: rule.path,
            },
            attack: attackFor(compiled),
            eventIds: [stored.id],
            event: stored.event,
          });
        });
      }
      return { alerts, matches };
    },
  };
}

export function intelDetector(index: IndicatorIndex): Detector {
  return {
    name: 'intel',
    detect(events, now) {
      if (index.size === 0) return { alerts: [] };
      const alerts: Alert[] = [];
      for (const stored of events) alerts.push(...intelAlerts(index, stored, now));
      return { alerts };
    },
  };
}
