// The contract core code depends on for investigations: our own small interface, never a
// vendor SDK. Implementations: the deterministic plan (always available, no LLM) and the LLM
// agent (any OpenAI-compatible endpoint), which falls back to the plan when the model fails.
import type { Phrase } from '../model/message.ts';
import type { UnitScope } from '../model/unit.ts';
import type { QueryValidation } from '../store/query/validate-query.ts';
import type { InvestigationReport, ToolCallTrace } from './investigation-report.ts';

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

export interface ChatTurn {
  readonly role: 'user' | 'assistant';
  readonly content: string;
}

/** What produced an answer, for audit: the same fields as an investigation's generator. */
export interface AnswerGenerator {
  readonly kind: 'deterministic' | 'llm';
  readonly model?: string;
  readonly promptVersion: string;
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  /** Model steps (LLM) taken for the answer. */
  readonly steps?: number;
  readonly millis: number;
  /** Why the LLM did not answer, when the deterministic path stood in. */
  readonly fallbackReason?: string;
}

/** An answer in an incident's chat: grounded in tool results, citing the ids it rests on. */
export interface ChatAnswer {
  readonly incidentId: string;
  readonly unit: string;
  readonly answer: string;
  /** The answer's paragraphs as translatable phrases (deterministic answers; joined by blank lines). */
  readonly answerPhrases?: readonly Phrase[];
  readonly eventIds: readonly string[];
  readonly alertIds: readonly string[];
  /** Every cited id checked to exist in the incident's unit. */
  readonly citations: { readonly total: number; readonly valid: number; readonly invalidIds: readonly string[] };
  readonly toolTrace: readonly ToolCallTrace[];
  readonly generator: AnswerGenerator;
}

/** One stored turn of an incident's chat (GET/POST /api/v1/incidents/{id}/chat). */
export interface StoredChatTurn extends ChatTurn {
  readonly at: number;
  readonly actor?: string;
  /** For the analyst's turns: the answer's citations and generator, and the tools it ran. */
  readonly answer?: Omit<ChatAnswer, 'answer' | 'toolTrace'> & { readonly tools: readonly string[] };
}

/** A question turned into a query of our query language: shown for confirmation, never run here. */
export interface QuerySuggestion {
  readonly question: string;
  readonly query: string;
  /** Suggested time range (epoch ms), for the search's from/to. */
  readonly from?: number;
  readonly to?: number;
  readonly explanation: string;
  readonly validation: QueryValidation;
  readonly generator: AnswerGenerator;
}

export interface AskOptions {
  readonly now?: number;
  readonly signal?: AbortSignal;
}

export interface Analyst {
  readonly kind: 'deterministic' | 'llm';
  investigate(scope: UnitScope, incidentId: string, options?: InvestigateOptions): Promise<InvestigationReport>;
  /** Answer the latest user turn about one incident (throws VIGIL_ERR_NOT_FOUND outside the scope). */
  chat(scope: UnitScope, incidentId: string, turns: readonly ChatTurn[], options?: AskOptions): Promise<ChatAnswer>;
  /** Turn a plain-language question into a validated query for the caller to confirm. */
  ask(scope: UnitScope, question: string, options?: AskOptions): Promise<QuerySuggestion>;
}

export class AnalystError extends Error {
  readonly code:
    | 'VIGIL_ERR_NOT_FOUND'
    | 'VIGIL_ERR_LLM_UNAVAILABLE'
    | 'VIGIL_ERR_LLM_TIMEOUT'
    | 'VIGIL_ERR_LLM_MALFORMED'
    | 'VIGIL_ERR_LLM_BUDGET'
    | 'VIGIL_ERR_CANCELLED';
  constructor(code: AnalystError['code'], message: string) {
    super(message);
    this.name = 'AnalystError';
    this.code = code;
  }
}
