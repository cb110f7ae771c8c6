// `vigil hunt` as a user runs it: real SigmaHQ rules over EVTX attack samples (JSON exports),
// alerts on stdout in each output format with the rule author, problems and summary on stderr.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { fakeIo, jsonLines } from '../ingest/cli-io.ts';
import { hasSharedData, sharedData } from '../shared-data.ts';

/** The fields of an alert document these tests read. */
interface AlertDocument {
  readonly rule: Record<string, unknown>;
  readonly winlog: Record<string, unknown>;
  readonly log: { readonly file: { readonly path: string } };
  readonly event: { readonly kind: string };
  readonly correlation?: { readonly group_by: Record<string, string> };
}

function alertDocuments(text: string): AlertDocument[] {
  return jsonLines(text) as unknown as AlertDocument[];
}

const hasData = hasSharedData('sigma', 'rules') && hasSharedData('evtx-attack-samples');

const ruleFiles = [
  'rules/windows/builtin/security/win_security_ad_replication_non_machine_account.yml',
  'rules/windows/create_remote_thread/create_remote_thread_win_keepass.yml',
  'rules/windows/builtin/security/win_security_susp_dsrm_password_change.yml',
];
const dcsync = 'evtx-attack-samples/Credential Access/CA_DCSync_4662.jsonl';
const keefarce = 'evtx-attack-samples/Credential Access/CA_keefarce_keepass_credump.jsonl';

describe.skipIf(!hasData)('vigil hunt', () => {
  let rulesDir = '';
  let inputDir = '';

  beforeAll(async () => {
    rulesDir = await mkdtemp(join(tmpdir(), 'vigil-hunt-rules-'));
    for (const file of ruleFiles)
      await copyFile(sharedData('sigma', file), join(rulesDir, file.split('/').pop() as string));
    // A rule the linear-time regex engine refuses: listed on stderr with file:line and reason.
    await writeFile(
      join(rulesDir, 'backreference.yml'),
      "title: backreference\nid: 0f0e0d0c-0000-4000-8000-000000000001\nlogsource:\n  product: windows\ndetection:\n  sel:\n    CommandLine|re: '(a)\\1'\n  condition: sel\n",
    );
    inputDir = await mkdtemp(join(tmpdir(), 'vigil-hunt-input-'));
    await copyFile(sharedData(dcsync), join(inputDir, 'dcsync.jsonl'));
    await writeFile(join(inputDir, 'notes.evtx'), 'binary');
  });

  afterAll(async () => {
    await rm(rulesDir, { recursive: true, force: true });
    await rm(inputDir, { recursive: true, force: true });
  });

  it('prints one ECS alert per match as NDJSON, with rule fields, record id and input file', async () => {
    const io = fakeIo();
    const code = await main(['hunt', '--rules', rulesDir, inputDir, sharedData(keefarce)], io);
    expect(code).toBe(0);
    const alerts = alertDocuments(io.stdoutText());
    const byRule = new Map<string, AlertDocument[]>();
    for (const alert of alerts) {
      const rule = alert.rule;
      byRule.set(String(rule.name), [...(byRule.get(String(rule.name)) ?? []), alert]);
    }
    expect([...byRule.keys()].sort()).toEqual([
      'Active Directory Replication from Non Machine Account - DcSync Indicator',
      'Remote Thread Created In KeePass.EXE',
    ]);
    const dcsyncAlerts = byRule.get('Active Directory Replication from Non Machine Account - DcSync Indicator') ?? [];
    expect(dcsyncAlerts).toHaveLength(3);
    const first = dcsyncAlerts[0] as AlertDocument;
    expect(first.rule).toMatchObject({
      id: '17d619c1-e020-4347-957e-1d1207455c93',
      level: 'medium',
      author: expect.stringMatching(/Roberto Rodriguez/),
    });
    expect(first.event.kind).toBe('alert');
    expect(first.winlog).toMatchObject({ channel: 'Security', event_id: '4662' });
    expect(typeof first.winlog.record_id === 'number' || typeof first.winlog.record_id === 'string').toBe(true);
    expect(first.log.file.path).toBe(join(inputDir, 'dcsync.jsonl'));
    const keepass = (byRule.get('Remote Thread Created In KeePass.EXE') ?? [])[0] as AlertDocument;
    expect(keepass.log.file.path).toBe(sharedData(keefarce));
    expect(keepass.rule.author).toBeTruthy();

    const stderr = jsonLines(io.stderrText());
    const rejected = stderr.filter((line) => line.type === 'rule-rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ location: `${join(rulesDir, 'backreference.yml')}:7` });
    expect(String(rejected[0]?.reason)).toMatch(/backreference/);
    expect(stderr.find((line) => line.type === 'skipped')).toMatchObject({ count: 1, extensions: { '.evtx': 1 } });
    const summary = stderr.find((line) => line.type === 'summary');
    expect(summary).toMatchObject({ files: 2, alerts: 4, rulesLoaded: 3, rulesRejected: 1 });
    expect(Number(summary?.events)).toBeGreaterThanOrEqual(8);
  });

  it('shows the rule author in the table and CSV outputs', async () => {
    const table = fakeIo();
    expect(await main(['hunt', '-r', rulesDir, '--output', 'table', sharedData(dcsync)], table)).toBe(0);
    const lines = table.stdoutText().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TIMESTAMP\s+LEVEL\s+RULE\s+AUTHOR\s+/);
    expect(lines).toHaveLength(4);
    // Long titles are cut to the column with an ellipsis; the author column follows.
    expect(lines[1]).toMatch(
      /medium\s+Active Directory Replication from Non Machine Account - DcS…\s+Roberto Rodriguez/,
    );

    const csv = fakeIo();
    expect(await main(['hunt', '-r', rulesDir, '-o', 'csv', sharedData(dcsync)], csv)).toBe(0);
    const rows = csv.stdoutText().trimEnd().split('\n');
    expect(rows[0]).toBe('timestamp,level,rule,author,host,channel,event_id,record_id,file');
    expect(rows).toHaveLength(4);
    expect(rows[1]).toContain(',medium,Active Directory Replication from Non Machine Account - DcSync Indicator,');
    expect(rows[1]).toMatch(/Roberto Rodriguez/);
    expect(rows[1]).toContain(',Security,4662,');
  });

  it('reads .gz files and runs correlation rules over the matches', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-hunt-correlation-'));
    try {
      await mkdir(join(dir, 'rules'));
      await copyFile(sharedData('sigma', ruleFiles[0] as string), join(dir, 'rules', 'dcsync.yml'));
      await writeFile(
        join(dir, 'rules', 'repeated.yml'),
        [
          'title: Repeated DCSync from one host',
          'id: 6b1a2f53-1c2e-4d7a-9a51-3f0c3d7e0001',
          'author: Vigil tests',
          'level: high',
          'correlation:',
          '  type: event_count',
          '  rules:',
          '    - 17d619c1-e020-4347-957e-1d1207455c93',
          '  group-by:',
          '    - host.name',
          '  timespan: 1h',
          '  condition:',
          '    gte: 3',
          '',
        ].join('\n'),
      );
      await writeFile(join(dir, 'dcsync.jsonl.gz'), gzipSync(await readFile(sharedData(dcsync))));
      const io = fakeIo();
      expect(await main(['hunt', '-r', join(dir, 'rules'), join(dir, 'dcsync.jsonl.gz')], io)).toBe(0);
      const alerts = jsonLines(io.stdoutText()) as unknown as AlertDocument[];
      expect(alerts.map((alert) => alert.rule.kind)).toEqual(['sigma', 'sigma', 'sigma', 'sigma-correlation']);
      expect(alerts[3]?.rule).toMatchObject({
        name: 'Repeated DCSync from one host',
        author: 'Vigil tests',
        level: 'high',
      });
      expect(alerts[3]?.correlation?.group_by).toEqual({ 'host.name': 'DC1.insecurebank.local' });
      expect(alerts[0]?.log.file.path).toBe(join(dir, 'dcsync.jsonl.gz'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad usage', async () => {
    const noRules = fakeIo();
    expect(await main(['hunt', sharedData(dcsync)], noRules)).toBe(2);
    expect(noRules.stderrText()).toMatch(/--rules/);
    expect(await main(['hunt', '-r', rulesDir, '-o', 'xml', sharedData(dcsync)], fakeIo())).toBe(2);
    expect(await main(['hunt', '-r', rulesDir], fakeIo())).toBe(2);
  });
});
