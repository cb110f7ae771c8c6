// The digital analyst's LLM endpoint, set through the API by an administrator of all units:
// any OpenAI-compatible base URL and model (Ollama, vLLM, llama.cpp server, hosted), or none
// (the deterministic plan). The setting is kept in the SOC state, overrides vigil.yaml / VIGIL_LLM_*
// from the next start on, takes effect at once, and is audited. The key is never returned.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Analyst } from '../../../analyst/analyst.ts';
import type { SwitchableAnalyst } from '../../../analyst/switchable-analyst.ts';
import type { SecretBox } from '../../../store/secret-box.ts';
import type { SocStore } from '../../../store/soc-store.ts';
import { errorResponses, VigilHttpError } from '../../errors.ts';
import { adminRoles, callerKey, callerScope, requireKey } from '../../request-auth.ts';
import type { RouteOptions } from '../../route-context.ts';

/** An LLM endpoint as stored and applied; `undefined` means the deterministic analyst. */
export interface LlmEndpoint {
  readonly baseUrl: string;
  readonly model: string;
  readonly apiKey?: string;
  readonly maxSteps?: number;
  readonly maxTokens?: number;
  readonly timeoutMs?: number;
}

/** What the SOC state holds under `llmStateKey`: the administrator's choice. */
export interface StoredLlmSetting {
  readonly endpoint: LlmEndpoint | null;
  readonly changedBy: string;
  readonly changedAt: number;
}

export const llmStateKey = 'analyst-llm-endpoint';

export interface AnalystConfigDependencies {
  readonly soc: SocStore;
  readonly analyst: SwitchableAnalyst;
  /** Builds the analyst for an endpoint (undefined: the deterministic plan). */
  readonly build: (endpoint: LlmEndpoint | undefined) => Analyst;
  /** The endpoint in force at start, and where it came from. */
  readonly initial: { readonly endpoint?: LlmEndpoint; readonly source: 'config' | 'api' | 'none' };
  /** Seals the API key in the SOC store (without one it is stored as given). */
  readonly secrets?: SecretBox;
}

/** The setting as the SOC store keeps it: the endpoint's API key sealed. */
export function sealLlmSetting(setting: StoredLlmSetting, secrets: SecretBox | undefined): StoredLlmSetting {
  const key = setting.endpoint?.apiKey;
  if (!secrets || key === undefined || !setting.endpoint) return setting;
  return { ...setting, endpoint: { ...setting.endpoint, apiKey: secrets.seal(key) } };
}

/** The stored setting with its API key opened (a key stored in plain text by an older version as it is). */
export function openLlmSetting(setting: StoredLlmSetting, secrets: SecretBox | undefined): StoredLlmSetting {
  const key = setting.endpoint?.apiKey;
  if (!secrets || key === undefined || !setting.endpoint) return setting;
  return { ...setting, endpoint: { ...setting.endpoint, apiKey: secrets.open(key) } };
}

const EndpointBody = Type.Object(
  {
    baseUrl: Type.String({ minLength: 1, maxLength: 2000, description: 'e.g. http://127.0.0.1:11434/v1' }),
    model: Type.String({ minLength: 1, maxLength: 200 }),
    apiKey: Type.Optional(Type.String({ maxLength: 4000 })),
    maxSteps: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    maxTokens: Type.Optional(Type.Integer({ minimum: 1000, maximum: 10_000_000 })),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 1000, maximum: 3_600_000 })),
  },
  { additionalProperties: false },
);

const ConfigBody = Type.Object(
  { endpoint: Type.Union([Type.Null(), EndpointBody], { description: 'null: use the deterministic analyst' }) },
  { additionalProperties: false },
);

const ConfigView = Type.Object({
  kind: Type.Union([Type.Literal('llm'), Type.Literal('deterministic')]),
  source: Type.Union([Type.Literal('config'), Type.Literal('api'), Type.Literal('none')]),
  endpoint: Type.Optional(
    Type.Object({
      baseUrl: Type.String(),
      model: Type.String(),
      hasApiKey: Type.Boolean(),
      maxSteps: Type.Optional(Type.Integer()),
      maxTokens: Type.Optional(Type.Integer()),
      timeoutMs: Type.Optional(Type.Integer()),
    }),
  ),
  changedBy: Type.Optional(Type.String()),
  changedAt: Type.Optional(Type.Integer()),
});

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export function analystConfigRoutes(dependencies: AnalystConfigDependencies) {
  const { soc, analyst, build } = dependencies;
  let state: { endpoint?: LlmEndpoint; source: 'config' | 'api' | 'none'; changedBy?: string; changedAt?: number } = {
    ...dependencies.initial,
  };

  const view = () => ({
    kind: analyst.kind,
    source: state.source,
    ...(state.endpoint
      ? {
          endpoint: {
            baseUrl: state.endpoint.baseUrl,
            model: state.endpoint.model,
            hasApiKey: Boolean(state.endpoint.apiKey),
            ...(state.endpoint.maxSteps ? { maxSteps: state.endpoint.maxSteps } : {}),
            ...(state.endpoint.maxTokens ? { maxTokens: state.endpoint.maxTokens } : {}),
            ...(state.endpoint.timeoutMs ? { timeoutMs: state.endpoint.timeoutMs } : {}),
          },
        }
      : {}),
    ...(state.changedBy ? { changedBy: state.changedBy, changedAt: state.changedAt } : {}),
  });

  return async function plugin(app: FastifyInstance, { context }: RouteOptions): Promise<void> {
    app.addHook('onRequest', requireKey(context, adminRoles));

    app.get(
      '/api/v1/analyst/config',
      {
        schema: {
          tags: ['analyst'],
          summary: "The digital analyst's LLM endpoint (the API key is never shown)",
          response: { 200: ConfigView, ...errorResponses(401, 403) },
        },
      },
      async () => view(),
    );

    app.put<{ Body: { endpoint: LlmEndpoint | null } }>(
      '/api/v1/analyst/config',
      {
        schema: {
          tags: ['analyst'],
          summary: 'Set the LLM endpoint (or null for the deterministic analyst); applies at once, audited',
          body: ConfigBody,
          response: { 200: ConfigView, ...errorResponses(400, 401, 403) },
        },
      },
      async (request) => {
        if (callerScope(request).kind !== 'all')
          throw new VigilHttpError(
            'VIGIL_ERR_FORBIDDEN',
            'The analyst serves every unit: only an administrator of all units may change its endpoint',
          );
        const { endpoint } = request.body;
        if (endpoint && !isHttpUrl(endpoint.baseUrl))
          throw new VigilHttpError('VIGIL_ERR_VALIDATION', 'baseUrl must be an http:// or https:// URL', {
            field: 'baseUrl',
          });
        const actor = callerKey(request).name;
        const now = Date.now();
        // Keep the stored key when the caller changes other settings without resending it.
        const next = endpoint
          ? {
              ...endpoint,
              apiKey:
                endpoint.apiKey ?? (endpoint.baseUrl === state.endpoint?.baseUrl ? state.endpoint?.apiKey : undefined),
            }
          : undefined;
        analyst.replace(build(next));
        const stored: StoredLlmSetting = { endpoint: next ?? null, changedBy: actor, changedAt: now };
        await soc.putState(llmStateKey, sealLlmSetting(stored, dependencies.secrets));
        state = { ...(next ? { endpoint: next } : {}), source: 'api', changedBy: actor, changedAt: now };
        await soc.appendAudit({
          at: now,
          actor,
          action: 'analyst-config-changed',
          target: 'analyst',
          unit: '*',
          details: next ? { kind: 'llm', baseUrl: next.baseUrl, model: next.model } : { kind: 'deterministic' },
        });
        return view();
      },
    );
  };
}
