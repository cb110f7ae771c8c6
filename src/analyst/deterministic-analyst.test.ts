import { describe, expect, it } from 'vitest';
import { messagesZh, messageValuesZh } from '../../web/src/i18n/server-zh.ts';
import { renderPhrase, renderPhraseIn } from '../i18n/render.ts';
import { buildIncidentFixture, matchesQuery } from './__fixtures__/incident-fixture.ts';
import type { InvestigationProgress } from './analyst.ts';
import { DeterministicAnalyst } from './deterministic-analyst.ts';

const finance = { kind: 'units', units: ['finance'] } as const;

describe('DeterministicAnalyst', () => {
  it('writes a complete report whose citations all resolve, in well under 5 seconds', async () => {
    const fixture = buildIncidentFixture();
    const progress: InvestigationProgress[] = [];
    const report = await new DeterministicAnalyst(fixture.data).investigate(finance, fixture.incidentId, {
      onProgress: (step) => progress.push(step),
    });
    expect(report.generator).toMatchObject({ kind: 'deterministic', repaired: false });
    expect(report.generator.millis).toBeLessThan(5000);
    expect(report.verdict).toBe('malicious');
    expect(report.citations.invalidIds).toEqual([]);
    expect(report.citations.valid).toBe(report.citations.total);
    expect(report.evidence.every((claim) => claim.valid)).toBe(true);
    expect(report.evidence.some((claim) => claim.claim.includes('stix:apt-feed (confidence 90, APT Example C2)'))).toBe(
      true,
    );
    expect(report.storyline.map((step) => step.description)).toEqual([
      'Office Application Spawning PowerShell (high) on fin-ws007 as anna.berg — T1059.001',
      'LSASS Memory Dump With Procdump (critical) on fin-ws007 as anna.berg — T1003.001',
      'Threat intelligence match: 203.0.113.66 (high) on fin-ws007 — T1071',
    ]);
    expect(report.recommendations.map((item) => item.action)).toEqual(
      expect.arrayContaining([
        'Reset credentials and revoke sessions',
        'Isolate the host and block its command-and-control destinations',
        'Block ip at the perimeter and search for other contacts',
      ]),
    );
    expect(report.summary).toContain('3 alert(s) from 3 detection(s) on fin-ws007');
    expect(report.summary).toContain('(unit Finance).');
    expect(report.toolTrace.map((entry) => entry.tool)).toEqual(
      expect.arrayContaining([
        'get_incident',
        'process_tree',
        'network_connections',
        'entity_timeline',
        'intel_lookup',
        'unit_lookup',
        'similar_incidents',
      ]),
    );
    expect(progress.at(0)?.stage).toBe('started');
    expect(progress.at(-1)).toMatchObject({ stage: 'done', message: 'report ready: malicious' });
  });

  it('gives every sentence as a phrase the console translates, rendering to the same English', async () => {
    const fixture = buildIncidentFixture();
    const report = await new DeterministicAnalyst(fixture.data).investigate(finance, fixture.incidentId);
    expect(renderPhrase(report.summaryPhrase!)).toBe(report.summary);
    expect(report.openQuestionPhrases?.map(renderPhrase)).toEqual(report.openQuestions);
    for (const step of report.storyline) expect(renderPhrase(step.phrase!)).toBe(step.description);
    for (const claim of report.evidence) expect(renderPhrase(claim.phrase!)).toBe(claim.claim);
    for (const item of report.recommendations) {
      expect(renderPhrase(item.actionPhrase!)).toBe(item.action);
      expect(renderPhrase(item.rationalePhrase!)).toBe(item.rationale);
    }
    const chinese = renderPhraseIn(messagesZh, messageValuesZh, report.summaryPhrase!);
    expect(chinese).toContain('研判：恶意');
    expect(chinese).toContain('来自 3 项检测的 3 条告警');
    expect(chinese).not.toContain('{{');
    expect(renderPhraseIn(messagesZh, messageValuesZh, report.storyline[0]!.phrase!)).toBe(
      'Office Application Spawning PowerShell（高），主机 fin-ws007，账户 anna.berg — T1059.001',
    );
  });

  it('understands a chat question in Chinese and gives its answer as phrases the console translates', async () => {
    const fixture = buildIncidentFixture();
    const answer = await new DeterministicAnalyst(fixture.data).chat(finance, fixture.incidentId, [
      { role: 'user', content: 'fin-ws007 上运行了哪些进程？有哪些网络连接？' },
    ]);
    expect(answer.answerPhrases?.map(renderPhrase).join('\n\n')).toBe(answer.answer);
    expect(answer.answer).toContain('Process tree on fin-ws007');
    expect(answer.answer).toMatch(
      /Network connections of fin-ws007|No network connections were recorded for fin-ws007/,
    );
    const chinese = answer.answerPhrases!.map((phrase) => renderPhraseIn(messagesZh, messageValuesZh, phrase)!);
    expect(chinese[0]).toMatch(/^fin-ws007 上的进程树（\d+ 次进程创建）：\n/);
    expect(chinese.join('\n')).not.toContain('{{');
    const overview = await new DeterministicAnalyst(fixture.data).chat(finance, fixture.incidentId, [
      { role: 'user', content: '发生了什么？' },
    ]);
    expect(renderPhraseIn(messagesZh, messageValuesZh, overview.answerPhrases![0]!)).toContain('（优先级');
  });

  it('shows the process tree a person would draw', async () => {
    const fixture = buildIncidentFixture();
    const report = await new DeterministicAnalyst(fixture.data).investigate(finance, fixture.incidentId);
    const tree = JSON.parse(report.toolTrace.find((entry) => entry.tool === 'process_tree')!.output) as {
      tree: string[];
    };
    expect(tree.tree[0]).toContain('powershell.exe [E1]');
    expect(tree.tree[1]).toMatch(/^ {2}C:\\Users\\Public\\procdump\.exe \[E2\]/);
  });

  it('does not see or cite other units, and refuses an incident outside the caller scope', async () => {
    const fixture = buildIncidentFixture();
    const analyst = new DeterministicAnalyst(fixture.data);
    await expect(analyst.investigate({ kind: 'units', units: ['legal'] }, fixture.incidentId)).rejects.toMatchObject({
      code: 'VIGIL_ERR_NOT_FOUND',
    });
    const report = await analyst.investigate(finance, fixture.incidentId);
    expect(JSON.stringify(report.toolTrace)).not.toContain('"X1"');
  });

  it('flags text in events that addresses an AI, without changing the verdict', async () => {
    const fixture = buildIncidentFixture({ injection: true });
    const report = await new DeterministicAnalyst(fixture.data).investigate(finance, fixture.incidentId);
    expect(report.verdict).toBe('malicious');
    expect(
      report.toolTrace.some((entry) =>
        entry.suspectedInjection?.some((phrase) => /ignore previous instructions/i.test(phrase)),
      ),
    ).toBe(true);
    expect(report.openQuestions.some((question) => question.includes('prompt injection'))).toBe(true);
  });
});

describe('the test query evaluator', () => {
  it('handles the subset the tools emit', () => {
    const event = {
      '@timestamp': '',
      unit: 'x',
      host: { name: 'a' },
      event: { code: '1' },
      destination: { ip: '1.2.3.4' },
    };
    expect(matchesQuery(event, 'host.name:"a" AND (event.code:1 OR event.code:4688)')).toBe(true);
    expect(matchesQuery(event, 'host.name:"a" AND destination.ip:*')).toBe(true);
    expect(matchesQuery(event, 'host.name:"b" OR source.ip:*')).toBe(false);
  });
});
