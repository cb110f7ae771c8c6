// The analyst a running node hands to its routes and jobs: it delegates to the current
// implementation, which an administrator can replace at run time (a new LLM endpoint, or back to
// the deterministic plan) without a restart. Work already started keeps the analyst it began with.
import type { UnitScope } from '../model/unit.ts';
import type { Analyst, AskOptions, ChatAnswer, ChatTurn, InvestigateOptions, QuerySuggestion } from './analyst.ts';
import type { InvestigationReport } from './investigation-report.ts';

export class SwitchableAnalyst implements Analyst {
  #current: Analyst;

  constructor(initial: Analyst) {
    this.#current = initial;
  }

  get kind(): Analyst['kind'] {
    return this.#current.kind;
  }

  get current(): Analyst {
    return this.#current;
  }

  replace(next: Analyst): void {
    this.#current = next;
  }

  investigate(scope: UnitScope, incidentId: string, options?: InvestigateOptions): Promise<InvestigationReport> {
    return this.#current.investigate(scope, incidentId, options);
  }

  chat(scope: UnitScope, incidentId: string, turns: readonly ChatTurn[], options?: AskOptions): Promise<ChatAnswer> {
    return this.#current.chat(scope, incidentId, turns, options);
  }

  ask(scope: UnitScope, question: string, options?: AskOptions): Promise<QuerySuggestion> {
    return this.#current.ask(scope, question, options);
  }
}
