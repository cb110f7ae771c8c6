// The behaviour every Store must show, as one suite each implementation runs
// (`storeContract({ open })` from its own test file): queries, paging, tenant isolation,
// retention, dead letters, units, assets, API keys and, for files, persistence across reopen.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeadLetter, EcsEvent } from '../model/event.ts';
import type { UnitScope } from '../model/unit.ts';
import type { EventToStore, Store } from './store.ts';

export interface StoreContractOptions {
  /** A fresh, empty store. */
  open(): Promise<Store>;
  /** For durable stores: a new empty database plus a way to open it again after close(). */
  persistent?: () => Promise<{ open(): Promise<Store>; cleanup(): Promise<void> }>;
}

const all: UnitScope = { kind: 'all' };
const only = (...units: string[]): UnitScope => ({ kind: 'units', units });
const base = Date.parse('2026-11-22T07:00:00.000Z');

function at(minutes: number): string {
  return new Date(base + minutes * 60_000).toISOString();
}

/** A small, varied data set across two units ("finance", "hr") and one stray ("ops"). */
function sampleEvents(): EventToStore[] {
  const events: [string, EcsEvent][] = [
    [
      'E01',
      {
        '@timestamp': at(0),
        unit: 'finance',
        message: 'Failed password for root from 10.1.2.3 port 50022 ssh2',
        event: {
          kind: 'event',
          category: ['authentication'],
          type: ['start'],
          outcome: 'failure',
          action: 'ssh_login',
          original: '<38>Nov 22 07:00:00 FIN-WS-01 sshd[311]: Failed password for root',
        },
        host: { name: 'FIN-WS-01' },
        user: { name: 'root' },
        source: { ip: '10.1.2.3', port: 50022 },
        destination: { ip: '10.0.0.5', port: 22 },
        process: { name: 'sshd', pid: 311 },
        related: { ip: ['10.1.2.3', '10.0.0.5'], user: ['root'] },
        tags: ['ssh', 'Linux'],
      },
    ],
    [
      'E02',
      {
        '@timestamp': at(1),
        unit: 'finance',
        message: 'Accepted password for alice from 192.168.7.20 port 40000 ssh2',
        event: { kind: 'event', category: ['authentication'], outcome: 'success', action: 'ssh_login' },
        host: { name: 'fin-ws-02' },
        user: { name: 'Alice' },
        source: { ip: '192.168.7.20', port: 40000 },
        destination: { ip: '10.0.0.5', port: 22 },
        tags: ['ssh'],
      },
    ],
    [
      'E03',
      {
        '@timestamp': at(2),
        unit: 'finance',
        message: 'Process started: powershell.exe -enc SQBFAFgA',
        event: { kind: 'event', category: ['process'], type: ['start'], code: '4688' },
        host: { name: 'FIN-DC-01' },
        user: { name: 'svc_backup' },
        process: {
          name: 'powershell.exe',
          command_line: 'powershell.exe -nop -enc SQBFAFgA',
          executable: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
          pid: 4242,
          parent: { name: 'cmd.exe' },
        },
        winlog: { channel: 'Security', event_data: { TargetUserName: 'Administrator', LogonType: '3' } },
      },
    ],
    [
      'E04',
      {
        '@timestamp': at(3),
        unit: 'hr',
        message: 'DNS query for evil.example.com',
        event: { kind: 'event', category: ['network'], action: 'dns_query', severity: 7 },
        host: { name: 'hr-laptop-9' },
        source: { ip: '2001:db8::15', port: 5353 },
        destination: { ip: '8.8.8.8', port: 53 },
        dns: { question: { name: 'evil.example.com' } },
        url: { full: 'https://evil.example.com/a*b?c' },
        labels: { note: "it's 50% * done" },
      },
    ],
    [
      'E05',
      {
        '@timestamp': at(4),
        unit: 'hr',
        message: 'File created C:\\Users\\bob\\report_2026.docx',
        event: { kind: 'event', category: ['file'], type: ['creation'], severity: 3 },
        host: { name: 'hr-laptop-9' },
        user: { name: 'bob' },
        file: { path: 'C:\\Users\\bob\\report_2026.docx' },
      },
    ],
    [
      'E06',
      {
        '@timestamp': at(5),
        unit: 'ops',
        message: 'Failed password for admin from 10.9.9.9',
        event: { kind: 'event', category: ['authentication'], outcome: 'failure' },
        host: { name: 'ops-jump' },
        user: { name: 'admin' },
        source: { ip: '10.9.9.9' },
      },
    ],
  ];
  return events.map(([id, event]) => ({ id, event }));
}

function ids(page: { events: readonly { id: string }[] }): string[] {
  return page.events.map((event) => event.id);
}

export function storeContract(options: StoreContractOptions): void {
  let store: Store;

  beforeEach(async () => {
    store = await options.open();
  });
  afterEach(async () => {
    await store.close();
  });

  const search = async (query: string, scope: UnitScope = all): Promise<string[]> =>
    ids(await store.searchEvents(scope, { query, limit: 100, order: 'asc' }));

  describe('events', () => {
    it('stores events and gives them back unchanged, newest first by default', async () => {
      const events = sampleEvents();
      const untouched = structuredClone(events);
      await store.appendEvents(events);
      expect(events, 'appendEvents must not change the caller events').toEqual(untouched);
      expect(Object.keys(events[0]!.event.event!)).toEqual(Object.keys(untouched[0]!.event.event!));
      const page = await store.searchEvents(all, { query: '', limit: 100 });
      expect(ids(page)).toEqual(['E06', 'E05', 'E04', 'E03', 'E02', 'E01']);
      expect(page.total).toBe(6);
      expect(page.totalIsExact).toBe(true);
      expect(page.nextCursor).toBeUndefined();
      expect(page.events.find((event) => event.id === 'E01')?.event).toEqual(untouched[0]!.event);
      const ascending = await store.searchEvents(all, { query: '', limit: 100, order: 'asc' });
      expect(ids(ascending)).toEqual(['E01', 'E02', 'E03', 'E04', 'E05', 'E06']);
    });

    it('appendEvents resolves once the events are readable, and concurrent appends all land', async () => {
      const batches = Array.from({ length: 5 }, (_, batch) =>
        Array.from({ length: 20 }, (_, index) => ({
          id: `B${batch}-${String(index).padStart(2, '0')}`,
          event: { '@timestamp': at(batch), unit: 'finance', message: `batch ${batch}` } as EcsEvent,
        })),
      );
      await Promise.all(batches.map((batch) => store.appendEvents(batch)));
      const page = await store.searchEvents(all, { query: '', limit: 1000 });
      expect(page.total).toBe(100);
      expect(new Set(ids(page)).size).toBe(100);
      await store.appendEvents([]);
    });

    it('keeps control characters, quotes and unicode in values exactly', async () => {
      const awkward = 'a\u001eb\u001fc\u001dd\u001ce\u0000f "g" \'h\' \\ i 漢字 😀';
      const event: EcsEvent = {
        '@timestamp': at(0),
        unit: 'finance',
        message: awkward,
        event: { original: awkward, category: [awkward, 'x'] },
        host: { name: awkward },
        user: { name: '' },
      };
      await store.appendEvents([{ id: 'C01', event }]);
      const [stored] = await store.getEvents(all, ['C01']);
      expect(stored?.event).toEqual(event);
      expect(await search('漢字')).toEqual(['C01']);
      expect(await search('"\\"g\\""')).toEqual(['C01']);
    });

    it('pages with a cursor without gaps or repeats, even when timestamps tie', async () => {
      const events = Array.from({ length: 37 }, (_, index) => ({
        id: `P${String(index).padStart(3, '0')}`,
        event: { '@timestamp': at(Math.floor(index / 5)), unit: 'finance', message: 'tick' } as EcsEvent,
      }));
      await store.appendEvents(events);
      for (const order of ['desc', 'asc'] as const) {
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await store.searchEvents(all, {
            query: 'tick',
            limit: 10,
            order,
            ...(cursor ? { cursor } : {}),
          });
          expect(page.total).toBe(37);
          seen.push(...ids(page));
          cursor = page.nextCursor;
          pages++;
        } while (cursor && pages < 10);
        expect(pages).toBe(4);
        expect(new Set(seen).size).toBe(37);
        const expected = events.map((event) => event.id);
        expect(seen).toEqual(order === 'asc' ? expected : [...expected].reverse());
      }
    });

    it('limits a search to the from/to time range (inclusive start, exclusive end)', async () => {
      await store.appendEvents(sampleEvents());
      const page = await store.searchEvents(all, { query: '', from: base + 60_000, to: base + 3 * 60_000, limit: 10 });
      expect(ids(page)).toEqual(['E03', 'E02']);
    });

    it('getEvents returns the requested events in the caller scope only', async () => {
      const events = sampleEvents();
      await store.appendEvents(events);
      const found = await store.getEvents(all, ['E04', 'E01', 'missing']);
      expect(found.map((event) => event.id)).toEqual(['E04', 'E01']);
      expect(found[1]!.event).toEqual(events[0]!.event);
      expect((await store.getEvents(only('hr'), ['E01', 'E04'])).map((event) => event.id)).toEqual(['E04']);
      expect(await store.getEvents(all, [])).toEqual([]);
    });
  });

  describe('query language', () => {
    beforeEach(async () => {
      await store.appendEvents(sampleEvents());
    });

    it('matches field:value case-insensitively on keywords', async () => {
      expect(await search('host.name:fin-ws-01')).toEqual(['E01']);
      expect(await search('user.name:alice')).toEqual(['E02']);
      expect(await search('event.outcome:FAILURE')).toEqual(['E01', 'E06']);
      expect(await search('host.name:fin')).toEqual([]);
    });

    it('matches wildcards * and ?, and treats escaped \\* as a literal', async () => {
      expect(await search('host.name:fin-*')).toEqual(['E01', 'E02', 'E03']);
      expect(await search('host.name:fin-ws-0?')).toEqual(['E01', 'E02']);
      expect(await search('process.command_line:*-enc*')).toEqual(['E03']);
      expect(await search('url.full:*a\\*b*')).toEqual(['E04']);
      expect(await search('url.full:*a\\*c*')).toEqual([]);
      expect(await search('labels.note:*50%*')).toEqual(['E04']);
      expect(await search('labels.note:*5_%*')).toEqual([]);
    });

    it('searches bare terms and phrases over message and event.original', async () => {
      expect(await search('password')).toEqual(['E01', 'E02', 'E06']);
      expect(await search('"failed password for root"')).toEqual(['E01']);
      expect(await search('sshd')).toEqual(['E01']);
      expect(await search('FAILED')).toEqual(['E01', 'E06']);
      expect(await search('pass*d ad*n')).toEqual(['E06']);
      expect(await search('"password for a"')).toEqual(['E02', 'E06']);
    });

    it('combines with AND, OR, NOT, -, &&, ||, ! and parentheses with NOT > AND > OR', async () => {
      expect(await search('password AND NOT user.name:root')).toEqual(['E02', 'E06']);
      expect(await search('password -user.name:root')).toEqual(['E02', 'E06']);
      expect(await search('password && !user.name:root')).toEqual(['E02', 'E06']);
      expect(await search('user.name:bob OR user.name:admin')).toEqual(['E05', 'E06']);
      expect(await search('user.name:bob || user.name:admin')).toEqual(['E05', 'E06']);
      expect(await search('user.name:root OR user.name:bob AND event.severity:3')).toEqual(['E01', 'E05']);
      expect(await search('(user.name:root OR user.name:bob) AND event.severity:3')).toEqual(['E05']);
      expect(await search('event.outcome:failure user.name:admin')).toEqual(['E06']);
      expect(await search('host.name:(fin-ws-01 OR fin-dc-01)')).toEqual(['E01', 'E03']);
    });

    it('NOT also matches events that lack the field', async () => {
      expect(await search('NOT event.outcome:failure')).toEqual(['E02', 'E03', 'E04', 'E05']);
      expect(await search('-winlog.channel:security')).toEqual(['E01', 'E02', 'E04', 'E05', 'E06']);
    });

    it('matches list fields by any element', async () => {
      expect(await search('event.category:authentication')).toEqual(['E01', 'E02', 'E06']);
      expect(await search('tags:linux')).toEqual(['E01']);
      expect(await search('related.ip:10.0.0.5')).toEqual(['E01']);
      expect(await search('related.user:ROOT')).toEqual(['E01']);
    });

    it('reads fields without a column from the document, including nested ones', async () => {
      expect(await search('winlog.event_data.TargetUserName:administrator')).toEqual(['E03']);
      expect(await search('winlog.event_data.LogonType:3')).toEqual(['E03']);
      expect(await search('process.parent.name:cmd.exe')).toEqual(['E03']);
    });

    it('supports exists (field:*) on columns and document fields', async () => {
      expect(await search('dns.question.name:*')).toEqual(['E04']);
      expect(await search('winlog:*')).toEqual(['E03']);
      expect(await search('file.path:*')).toEqual(['E05']);
      expect(await search('tags:*')).toEqual(['E01', 'E02']);
      expect(await search('-source.ip:*')).toEqual(['E03', 'E05']);
    });

    it('supports numeric ranges and comparisons', async () => {
      expect(await search('source.port:[40000 TO 50022]')).toEqual(['E01', 'E02']);
      expect(await search('source.port:{40000 TO 50022}')).toEqual([]);
      expect(await search('source.port:[40000 TO 50022}')).toEqual(['E02']);
      expect(await search('source.port>=40000')).toEqual(['E01', 'E02']);
      expect(await search('source.port:>40000')).toEqual(['E01']);
      expect(await search('source.port<40000')).toEqual(['E04']);
      expect(await search('event.severity:<=3')).toEqual(['E05']);
      expect(await search('source.port:[50000 TO *]')).toEqual(['E01']);
      expect(await search('winlog.event_data.LogonType:[2 TO 10]')).toEqual(['E03']);
      expect(await search('process.pid:4242')).toEqual(['E03']);
    });

    it('accepts times in @timestamp ranges: ISO, dates, epoch ms, now-relative', async () => {
      expect(await search(`@timestamp:[${at(1)} TO ${at(3)}]`)).toEqual(['E02', 'E03', 'E04']);
      expect(await search(`@timestamp:{${at(1)} TO ${at(3)}}`)).toEqual(['E03']);
      expect(await search(`@timestamp>=${at(4)}`)).toEqual(['E05', 'E06']);
      expect(await search(`@timestamp:<${base + 60_000}`)).toEqual(['E01']);
      expect(await search('@timestamp:[2026-11-22 TO 2026-11-22]')).toHaveLength(6);
      expect(await search('@timestamp:2026-11-22')).toHaveLength(6);
      expect(await search('@timestamp:2026-11-21')).toEqual([]);
      expect(await search('@timestamp:[2026-11-01 TO now]')).toHaveLength(6);
      expect(await search('@timestamp>now+1d')).toEqual([]);
      expect(await search(`@timestamp:"${at(2)}"`)).toEqual(['E03']);
    });

    it('matches IP fields by address and CIDR, IPv4 and IPv6', async () => {
      expect(await search('source.ip:10.0.0.0/8')).toEqual(['E01', 'E06']);
      expect(await search('source.ip:10.1.2.3')).toEqual(['E01']);
      expect(await search('source.ip:192.168.0.0/16')).toEqual(['E02']);
      expect(await search('source.ip:2001:db8::/32')).toEqual(['E04']);
      expect(await search('source.ip:2001:DB8:0::15')).toEqual(['E04']);
      expect(await search('destination.ip:8.8.8.8/32')).toEqual(['E04']);
      expect(await search('-source.ip:10.0.0.0/8')).toEqual(['E02', 'E03', 'E04', 'E05']);
      expect(await search('related.ip:10.0.0.0/24')).toEqual(['E01']);
      expect(await search('source.ip:192.168.*')).toEqual(['E02']);
    });

    it('filters by unit scope on every query', async () => {
      expect(await search('password', only('finance'))).toEqual(['E01', 'E02']);
      expect(await search('password', only('hr'))).toEqual([]);
      expect(await search('', only('hr', 'ops'))).toEqual(['E04', 'E05', 'E06']);
      expect(await search('unit:finance', only('hr'))).toEqual([]);
      expect(await search('unit:finance OR unit:hr', only('hr'))).toEqual(['E04', 'E05']);
      expect(await search('', only())).toEqual([]);
      const page = await store.searchEvents(only('hr'), { query: '', limit: 1 });
      expect(page.total).toBe(2);
    });

    it('throws QuerySyntaxError with a position for bad queries', async () => {
      const cases: [string, number][] = [
        ['user.name:(root OR', 18],
        ['"unterminated', 0],
        ['a OR', 4],
        ['source.port:[1 TO', 17],
        ['@timestamp>=yesterday', 12],
        ['source.port:abc', 12],
      ];
      for (const [query, position] of cases) {
        const error = await store.searchEvents(all, { query, limit: 10 }).then(
          () => undefined,
          (caught: unknown) => caught as { name?: string; position?: number; message?: string },
        );
        expect(error?.name, query).toBe('QuerySyntaxError');
        expect(error?.position, query).toBe(position);
        expect(error?.message?.length, query).toBeGreaterThan(5);
      }
    });

    it('treats hostile values and field names as data, never as SQL', async () => {
      const hostile = [
        'user.name:"root\'; DROP TABLE events; --"',
        "user.name:root' OR '1'='1",
        'message:"\\" OR 1=1 --"',
        '"\'); DELETE FROM events; --"',
        'winlog.event_data.x:"$1"',
        "user.name:*' OR 'a'='a*",
        'source.ip:"1.1.1.1) OR (1=1"',
      ];
      for (const query of hostile) expect(await search(query), query).toEqual([]);
      for (const query of ["a'b:x", 'a"b:x', "x.y') OR 1=1 --:z"]) {
        const result = await store.searchEvents(all, { query, limit: 10 }).then(
          (page) => page.events.length,
          (error: unknown) => (error as Error).name,
        );
        expect([0, 'QuerySyntaxError'], query).toContain(result);
      }
      await expect(store.topValues(all, { query: '' }, "a') OR 1=1 --", 5)).rejects.toMatchObject({
        name: 'QuerySyntaxError',
      });
      expect(await search('')).toHaveLength(6);
    });
  });

  describe('query robustness', () => {
    it('answers or refuses (QuerySyntaxError) any mix of query pieces, never a database error', async () => {
      await store.appendEvents(sampleEvents());
      const pieces = [
        'host.name:fin*',
        'a',
        '"x y"',
        'AND',
        'OR',
        'NOT',
        '-',
        '!',
        '&&',
        '||',
        '(',
        ')',
        '[',
        ']',
        '{',
        '}',
        'TO',
        '*',
        '?',
        ':',
        'source.ip:10.0.0.0/8',
        'source.port>=22',
        '@timestamp<now',
        'related.ip:1.2.3.0/24',
        'x.y:[1 TO 5]',
        'winlog:*',
        "'",
        ';',
        '\\',
        '\\*',
        '%',
        '_',
        '$1',
        '?1',
        'event.category:(a OR b)',
        '@timestamp:[2026-11-22 TO *]',
        'source.ip:[10.0.0.1 TO 10.0.0.9]',
        'tags:[a TO m]',
        'n:>-5',
        'é漢字',
      ];
      let seed = 7;
      const random = (): number => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        return seed / 2_147_483_648;
      };
      const outcomes: Record<string, number> = {};
      for (let round = 0; round < 150; round++) {
        const length = 1 + Math.floor(random() * 6);
        const query = Array.from({ length }, () => pieces[Math.floor(random() * pieces.length)]!).join(
          random() < 0.8 ? ' ' : '',
        );
        const outcome = await store.searchEvents(all, { query, limit: 5 }).then(
          () => 'ok',
          (error: unknown) => (error as Error).name,
        );
        expect(['ok', 'QuerySyntaxError'], query).toContain(outcome);
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      }
      // The mix must exercise both paths, or the test proves nothing.
      expect(outcomes['ok']).toBeGreaterThan(20);
      expect(outcomes['QuerySyntaxError']).toBeGreaterThan(20);
    });
  });

  describe('aggregations', () => {
    beforeEach(async () => {
      await store.appendEvents(sampleEvents());
    });

    it('topValues counts a hot column, a list column and a document field, most frequent first', async () => {
      expect(await store.topValues(all, { query: '' }, 'event.outcome', 10)).toEqual([
        { value: 'failure', count: 2 },
        { value: 'success', count: 1 },
      ]);
      expect(await store.topValues(all, { query: '' }, 'event.category', 1)).toEqual([
        { value: 'authentication', count: 3 },
      ]);
      expect(await store.topValues(all, { query: '' }, 'related.ip', 10)).toEqual([
        { value: '10.0.0.5', count: 1 },
        { value: '10.1.2.3', count: 1 },
      ]);
      expect(await store.topValues(all, { query: 'password' }, 'destination.port', 10)).toEqual([
        { value: 22, count: 2 },
      ]);
      expect(await store.topValues(only('hr'), { query: '' }, 'host.name', 10)).toEqual([
        { value: 'hr-laptop-9', count: 2 },
      ]);
      expect(await store.topValues(only('hr'), { query: '' }, 'event.outcome', 10)).toEqual([]);
    });

    it('histogram counts events per bucket within scope and range', async () => {
      expect(await store.histogram(all, { query: '' }, 120_000)).toEqual([
        { start: base, count: 2 },
        { start: base + 120_000, count: 2 },
        { start: base + 240_000, count: 2 },
      ]);
      expect(
        await store.histogram(only('finance'), { query: 'password', from: base, to: base + 3_600_000 }, 60_000),
      ).toEqual([
        { start: base, count: 1 },
        { start: base + 60_000, count: 1 },
      ]);
    });
  });

  describe('dead letters', () => {
    const letter = (index: number, unit: string): DeadLetter => ({
      unit,
      receivedAt: base + index * 1000,
      sourceKind: 'syslog-udp',
      sourceName: '0.0.0.0:514',
      format: 'auto',
      reason: `no parser recognised record ${index}`,
      original: `garbage ${index} \u0000\u001f'"`,
    });

    it('keeps, pages, counts and scopes dead letters', async () => {
      await store.appendDeadLetters([
        ...Array.from({ length: 7 }, (_, index) => letter(index, 'finance')),
        letter(100, 'hr'),
      ]);
      expect(await store.countDeadLetters(all)).toBe(8);
      expect(await store.countDeadLetters(only('finance'))).toBe(7);
      expect(await store.countDeadLetters(only('nobody'))).toBe(0);
      const first = await store.listDeadLetters(only('finance'), { limit: 4 });
      expect(first.letters.map((entry) => entry.receivedAt)).toEqual([6, 5, 4, 3].map((index) => base + index * 1000));
      expect(first.letters[0]).toMatchObject({ ...letter(6, 'finance') });
      expect(first.letters[0]!.id).toBeTruthy();
      const second = await store.listDeadLetters(only('finance'), { limit: 4, cursor: first.nextCursor! });
      expect(second.letters.map((entry) => entry.receivedAt)).toEqual([2, 1, 0].map((index) => base + index * 1000));
      expect(second.nextCursor).toBeUndefined();
      const hr = await store.listDeadLetters(only('hr'), { limit: 10 });
      expect(hr.letters.map((entry) => entry.unit)).toEqual(['hr']);
    });
  });

  describe('retention', () => {
    it('deletes events and dead letters received before the cutoff', async () => {
      await store.appendDeadLetters([
        {
          unit: 'hr',
          receivedAt: base,
          sourceKind: 'file',
          sourceName: 'a',
          format: 'auto',
          reason: 'x',
          original: 'old',
        },
        {
          unit: 'hr',
          receivedAt: Date.now() + 3_600_000,
          sourceKind: 'file',
          sourceName: 'a',
          format: 'auto',
          reason: 'x',
          original: 'new',
        },
      ]);
      await store.appendEvents(sampleEvents());
      expect(await store.deleteOlderThan(Date.now() - 3_600_000)).toEqual({ events: 0, deadLetters: 1 });
      expect((await store.searchEvents(all, { query: '', limit: 10 })).total).toBe(6);
      expect(await store.deleteOlderThan(Date.now() + 1000)).toEqual({ events: 6, deadLetters: 0 });
      expect((await store.searchEvents(all, { query: '', limit: 10 })).total).toBe(0);
      expect(await store.countDeadLetters(all)).toBe(1);
    });
  });

  describe('units, assets and API keys', () => {
    it('stores and replaces units', async () => {
      await store.putUnit({ id: 'finance', name: 'Finance', cidrs: ['10.1.0.0/16'], hostPatterns: ['fin-*'] });
      await store.putUnit({ id: 'hr', name: 'HR', parent: 'finance', location: { lat: 1.5, lon: 2.5 } });
      await store.putUnit({ id: 'finance', name: 'Finance Dept', attentionThreshold: 70 });
      const units = await store.listUnits();
      expect(units).toHaveLength(2);
      expect(units.find((unit) => unit.id === 'finance')).toEqual({
        id: 'finance',
        name: 'Finance Dept',
        attentionThreshold: 70,
      });
      expect(units.find((unit) => unit.id === 'hr')?.location).toEqual({ lat: 1.5, lon: 2.5 });
    });

    it('stores assets and lists them per unit', async () => {
      await store.putAsset({ id: 'a1', unit: 'finance', hostname: 'fin-ws-01', ip: ['10.1.2.3'], criticality: 'high' });
      await store.putAsset({ id: 'a2', unit: 'hr', hostname: 'hr-laptop-9', criticality: 'low', tags: ['laptop'] });
      await store.putAsset({ id: 'a1', unit: 'finance', hostname: 'fin-ws-01', criticality: 'critical' });
      expect((await store.listAssets(all)).map((asset) => asset.id).sort()).toEqual(['a1', 'a2']);
      expect(await store.listAssets(only('finance'))).toEqual([
        { id: 'a1', unit: 'finance', hostname: 'fin-ws-01', criticality: 'critical' },
      ]);
      expect(await store.listAssets(only())).toEqual([]);
    });

    it('stores API keys by secret hash, lists them per unit and deletes them', async () => {
      const key = { id: 'k1', name: 'fin ingest', unit: 'finance', role: 'ingest' as const, createdAt: base };
      await store.putApiKey(key, 'hash-1');
      await store.putApiKey({ id: 'k2', name: 'hr read', unit: 'hr', role: 'read', createdAt: base }, 'hash-2');
      expect(await store.findApiKeyBySecretHash('hash-1')).toEqual(key);
      expect(await store.findApiKeyBySecretHash("hash-1' OR '1'='1")).toBeUndefined();
      expect(await store.findApiKeyBySecretHash('nope')).toBeUndefined();
      expect((await store.listApiKeys(only('hr'))).map((entry) => entry.id)).toEqual(['k2']);
      expect(await store.deleteApiKey('k1')).toBe(true);
      expect(await store.deleteApiKey('k1')).toBe(false);
      expect(await store.findApiKeyBySecretHash('hash-1')).toBeUndefined();
      expect((await store.listApiKeys(all)).map((entry) => entry.id)).toEqual(['k2']);
    });
  });

  if (options.persistent) {
    const persistent = options.persistent;
    describe('persistence', () => {
      it('keeps everything across close and reopen', async () => {
        const database = await persistent();
        try {
          const first = await database.open();
          await first.appendEvents(sampleEvents());
          await first.appendDeadLetters([
            {
              unit: 'hr',
              receivedAt: base,
              sourceKind: 'file',
              sourceName: 'a',
              format: 'auto',
              reason: 'x',
              original: 'y',
            },
          ]);
          await first.putUnit({ id: 'hr', name: 'HR' });
          await first.putApiKey({ id: 'k', name: 'k', unit: 'hr', role: 'admin', createdAt: base }, 'h');
          await first.close();
          const second = await database.open();
          try {
            const page = await second.searchEvents(only('finance'), { query: 'source.ip:10.0.0.0/8', limit: 10 });
            expect(ids(page)).toEqual(['E01']);
            expect(page.events[0]!.event).toEqual(sampleEvents()[0]!.event);
            expect(await second.countDeadLetters(all)).toBe(1);
            expect(await second.listUnits()).toEqual([{ id: 'hr', name: 'HR' }]);
            expect((await second.findApiKeyBySecretHash('h'))?.id).toBe('k');
            await second.appendEvents([
              { id: 'E99', event: { '@timestamp': at(9), unit: 'hr', message: 'after reopen' } },
            ]);
            expect(await second.getEvents(all, ['E99'])).toHaveLength(1);
          } finally {
            await second.close();
          }
        } finally {
          await database.cleanup();
        }
      });
    });
  }
}
