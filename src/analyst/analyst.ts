// The contract core code depends on for investigations: our own small interface, never a
// vendor SDK. Implementations: the deterministic plan (always available, no LLM) and the LLM
// agent (any OpenAI-compatible endpoint), which falls back to the plan when the model fails.
import type { UnitScope } from '../model/unit.ts';
import type { InvestigationReport } from './investigation-report.ts';

export interface InvestigationProgress {
  readonly stage: 'started' | 'tool' | 'drafting' | 'checking' | 'repairing' | 'done' | 'failed';
  readonly message: string;
  readonly tool?: string;
  readonly step?: number;
}

export interface InvestigateOptions {
  readonly onProgress?: (progress: InvestigationProgress) => void;
  readonly signal?: AbortSignal;
}

export interface Analyst {
  readonly kind: 'deterministic' | 'llm';
  investigate(scope: UnitScope, incidentId: string, options?: InvestigateOptions): Promise<InvestigationReport>;
}

export class AnalystError extends Error {
  readonly code:
    | 'VIGIL_ERR_NOT_FOUND'
    | 'VIGIL_ERR_LLM_UNAVAILABLE'
    | 'VIGIL_ERR_LLM_TIMEOUT'
    | 'VIGIL_ERR_LLM_MALFORMED'
    | 'VIGIL_ERR_LLM_BUDGET';
  constructor(code: AnalystError['code'], message: string) {
    super(message);
    this.name = 'AnalystError';
    this.code = code;
  }
}
