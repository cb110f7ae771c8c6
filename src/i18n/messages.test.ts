import { describe, expect, it } from 'vitest';
import { messagesZh, messageValuesZh } from '../../web/src/i18n/server-zh.ts';
import { computePriority } from '../correlate/priority.ts';
import { FastTriage, triageFeatures } from '../triage/fast-triage.ts';
import { messagesEn, messageValuesEn } from './messages-en.ts';
import { fillTemplate, message, renderMessage, renderPhrase, renderPhraseIn, templateOf } from './render.ts';

const placeholders = (template: string) => [...template.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]).sort();

describe('server message catalogue', () => {
  it('the Chinese templates use exactly the placeholders of the English ones', () => {
    for (const [group, templates] of Object.entries(messagesEn)) {
      for (const [name, template] of Object.entries(templates)) {
        const zh = templateOf(messagesZh, `${group}.${name}`);
        expect(zh, `${group}.${name}`).toBeDefined();
        expect(placeholders(zh!), `${group}.${name}`).toEqual(placeholders(template));
        expect(zh, `${group}.${name} is not translated`).not.toBe(template);
      }
    }
  });

  it('every enum value has a Chinese name', () => {
    for (const [param, names] of Object.entries(messageValuesEn))
      for (const value of Object.keys(names))
        expect(
          (messageValuesZh as Record<string, Record<string, string>>)[param]?.[value],
          `${param}.${value}`,
        ).toBeTruthy();
  });

  it('renders parameters, translating enum values and keeping data as it is', () => {
    expect(renderMessage(message('heldBack.level', { level: 'low' }))).toBe('only low-level alerts');
    expect(renderPhraseIn(messagesZh, messageValuesZh, [message('heldBack.level', { level: 'low' })])).toBe(
      '仅有低级告警',
    );
    expect(renderPhrase(['Mimikatz', message('title.onHost', { host: 'fin-ws007' })])).toBe('Mimikatz on fin-ws007');
    expect(fillTemplate('{{missing}} stays', {})).toBe('{{missing}} stays');
  });

  it('an unknown code falls back to the server text in the console and to the code on the server', () => {
    expect(renderPhraseIn(messagesZh, messageValuesZh, [{ code: 'newer.code' }])).toBeUndefined();
    expect(renderMessage({ code: 'newer.code' })).toBe('newer.code');
  });

  it('triage reasons and priority parts carry phrases that render to their text', () => {
    const incident = {
      id: 'i1',
      unit: 'u',
      title: 't',
      status: 'new',
      priority: 0,
      needsAttention: false,
      groupIds: [],
      entities: [],
      tactics: [
        { id: 'TA0002', name: 'Execution' },
        { id: 'TA0006', name: 'Credential Access' },
      ],
      techniques: [],
      alertCount: 7,
      firstSeen: 0,
      lastSeen: 0,
      createdAt: 0,
      updatedAt: 0,
    } as const;
    const triage = new FastTriage().triage(
      'u',
      triageFeatures({
        incident,
        maxLevel: 3,
        distinctRules: 2,
        intelConfidence: 80,
        correlated: true,
        commonRuleShare: 0,
        criticality: 'high',
      }),
    );
    expect(triage.reasons.length).toBeGreaterThan(0);
    for (const reason of triage.reasons) {
      expect(renderPhrase(reason.phrase!)).toBe(reason.text);
      const zh = renderPhraseIn(messagesZh, messageValuesZh, reason.phrase!);
      expect(zh).toMatch(/[\u4e00-\u9fff]/);
      expect(zh).not.toContain('{{');
    }
    const { parts } = computePriority(
      [
        {
          id: 'g1',
          ruleId: 'r1',
          level: 'high',
          count: 3,
          kind: 'sigma',
          intelConfidence: 90,
          tactics: incident.tactics,
        },
        { id: 'g2', ruleId: 'r2', level: 'medium', count: 1, kind: 'sigma-correlation', tactics: [] },
      ],
      {
        prevalence: () => 0,
        routine: (group) => (group.id === 'g2' ? 'habitual' : undefined),
        criticality: 'critical',
      },
    );
    expect(parts.map((part) => part.factor)).toEqual(
      expect.arrayContaining(['severity', 'routine', 'tactics', 'kill-chain', 'intel', 'asset']),
    );
    for (const part of parts) {
      expect(renderPhrase(part.phrase)).toBe(part.text);
      expect(renderPhraseIn(messagesZh, messageValuesZh, part.phrase)).not.toContain('{{');
    }
    expect(parts.find((part) => part.factor === 'routine')?.text).toBe(
      '1 detection(s) weighted down: the behaviour recurs through the day on other hosts too',
    );
  });
});
