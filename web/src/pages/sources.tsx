// Sources: ingest health per source and unit (events received, rate, last change, measured from
// the server's Prometheus metrics), pipeline pressure, and the dead-letter viewer (records that
// could not be parsed).
import { Card, Col, Row, Statistic, Table, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeadLetter } from '../../../src/model/event.ts';
import { api } from '../api/client.ts';

interface DeadLetterPage {
  letters: DeadLetter[];
  total: number;
  nextCursor?: string;
}

interface Sample {
  readonly value: number;
  readonly labels: Record<string, string>;
}

/** The samples of the Prometheus text exposition, by metric name. */
export function parseMetrics(text: string): Map<string, Sample[]> {
  const metrics = new Map<string, Sample[]>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    const list = metrics.get(match[1]!) ?? [];
    list.push({ value: Number(match[3]), labels });
    metrics.set(match[1]!, list);
  }
  return metrics;
}

interface SourceRow {
  readonly key: string;
  readonly source: string;
  readonly unit: string;
  readonly events: number;
  readonly rate: number | null;
  readonly lastChange?: number;
}

const sampleMs = 5000;

function IngestHealth() {
  const { t } = useTranslation();
  const [rows, setRows] = useState<SourceRow[]>([]);
  const [totals, setTotals] = useState<{ failures: number; queue: number; writeSeconds: number } | undefined>();
  const previous = useRef(new Map<string, { events: number; at: number; lastChange?: number }>());
  useEffect(() => {
    let cancelled = false;
    const load = async () => {
      const response = await fetch('/metrics', { credentials: 'same-origin' });
      if (!response.ok || cancelled) return;
      const metrics = parseMetrics(await response.text());
      const now = Date.now();
      const next: SourceRow[] = (metrics.get('vigil_events_in_total') ?? []).map((sample) => {
        const key = `${sample.labels.source}|${sample.labels.unit}`;
        const before = previous.current.get(key);
        const changed = before ? sample.value !== before.events : false;
        const lastChange = changed ? now : before?.lastChange;
        previous.current.set(key, { events: sample.value, at: now, ...(lastChange ? { lastChange } : {}) });
        return {
          key,
          source: sample.labels.source ?? '?',
          unit: sample.labels.unit ?? '?',
          events: sample.value,
          rate: before ? ((sample.value - before.events) * 1000) / (now - before.at) : null,
          ...(lastChange ? { lastChange } : {}),
        };
      });
      setRows(next.sort((a, b) => b.events - a.events));
      const first = (name: string) => metrics.get(name)?.[0]?.value ?? 0;
      setTotals({
        failures: first('vigil_dead_letters_total'),
        queue: first('vigil_pipeline_queue_events'),
        writeSeconds: first('vigil_store_write_last_seconds'),
      });
    };
    void load().catch(() => undefined);
    const timer = setInterval(() => void load().catch(() => undefined), sampleMs);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, []);
  return (
    <Card
      size="small"
      title={t('sources.health')}
      extra={<Typography.Text type="secondary">{t('sources.healthNote')}</Typography.Text>}
      style={{ marginBottom: 16 }}
    >
      <Row gutter={16} style={{ marginBottom: 12 }}>
        <Col span={8}>
          <Statistic
            title={t('sources.failures')}
            value={totals?.failures ?? '—'}
            valueStyle={totals?.failures ? { color: '#cf1322' } : undefined}
          />
        </Col>
        <Col span={8}>
          <Statistic title={t('sources.queue')} value={totals?.queue ?? '—'} />
        </Col>
        <Col span={8}>
          <Statistic
            title={t('sources.storeWrite')}
            value={totals ? `${(totals.writeSeconds * 1000).toFixed(0)} ms` : '—'}
          />
        </Col>
      </Row>
      <Table<SourceRow>
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={rows}
        loading={!totals}
        columns={[
          { title: t('sources.source'), dataIndex: 'source' },
          { title: t('common.unit'), dataIndex: 'unit' },
          { title: t('sources.events'), dataIndex: 'events', render: (value: number) => value.toLocaleString() },
          {
            title: t('sources.rate'),
            dataIndex: 'rate',
            render: (value: number | null) => (value === null ? '…' : value.toFixed(1)),
          },
          {
            title: t('sources.lastSeen'),
            dataIndex: 'lastChange',
            render: (value?: number) => (value ? new Date(value).toLocaleTimeString() : '—'),
          },
        ]}
      />
    </Card>
  );
}

export function SourcesPage() {
  const { t } = useTranslation();
  const [page, setPage] = useState<DeadLetterPage | undefined>();
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    api
      .get<DeadLetterPage>('/api/v1/dead-letters', { limit: 100 })
      .then(setPage)
      .catch(() => undefined)
      .finally(() => setLoading(false));
  }, []);
  return (
    <>
      <Typography.Title level={3} style={{ margin: '8px 0 16px' }}>
        {t('nav.sources')}
      </Typography.Title>
      <IngestHealth />
      <Card size="small" title={t('sources.deadLetters')} extra={page && `${t('common.total')}: ${page.total}`}>
        <Table<DeadLetter>
          size="small"
          rowKey={(row) => row.id ?? `${row.receivedAt}-${row.original.slice(0, 20)}`}
          loading={loading}
          dataSource={page?.letters ?? []}
          columns={[
            { title: t('common.time'), width: 190, render: (_, row) => new Date(row.receivedAt).toLocaleString() },
            { title: t('common.unit'), dataIndex: 'unit', width: 120 },
            { title: t('sources.source'), width: 160, render: (_, row) => `${row.sourceKind}:${row.sourceName}` },
            { title: t('sources.format'), dataIndex: 'format', width: 110 },
            { title: t('sources.reason'), dataIndex: 'reason' },
            {
              title: t('sources.original'),
              render: (_, row) => (
                <Typography.Text code ellipsis={{ tooltip: row.original }}>
                  {row.original.slice(0, 200)}
                </Typography.Text>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
