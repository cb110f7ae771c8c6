// Sources: ingest health per source and unit from GET /api/v1/sources (records received, stored,
// failures, rate over the last minute, last seen, status), pipeline pressure from the server's
// Prometheus metrics, and the dead-letter viewer (records that could not be parsed).
import { Alert, Card, Col, Row, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeadLetter } from '../../../src/model/event.ts';
import type { SourceHealthResponse, SourceHealthRow, SourceStatus } from '../../../src/model/source-health.ts';
import { api } from '../api/client.ts';
import { relativeTime } from '../components/relative-time.ts';

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

const refreshMs = 10_000;

const statusColors: Record<SourceStatus, string> = { ok: 'success', idle: 'default', failing: 'error' };

/** Node-wide pipeline pressure, from the Prometheus metrics. */
function usePipelinePressure(): { queue: number; writeSeconds: number } | undefined {
  const [pressure, setPressure] = useState<{ queue: number; writeSeconds: number } | undefined>();
  useEffect(() => {
    let cancelled = false;
    const load = async () => {
      const response = await fetch('/metrics', { credentials: 'same-origin' });
      if (!response.ok || cancelled) return;
      const metrics = parseMetrics(await response.text());
      const first = (name: string) => metrics.get(name)?.[0]?.value ?? 0;
      if (!cancelled) {
        setPressure({
          queue: first('vigil_pipeline_queue_events'),
          writeSeconds: first('vigil_store_write_last_seconds'),
        });
      }
    };
    void load().catch(() => undefined);
    const timer = setInterval(() => void load().catch(() => undefined), refreshMs);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, []);
  return pressure;
}

function IngestHealth() {
  const { t, i18n } = useTranslation();
  const [health, setHealth] = useState<SourceHealthResponse | undefined>();
  const [failed, setFailed] = useState(false);
  const pressure = usePipelinePressure();
  useEffect(() => {
    let cancelled = false;
    const load = async () => {
      try {
        const next = await api.get<SourceHealthResponse>('/api/v1/sources');
        if (cancelled) return;
        setHealth(next);
        setFailed(false);
      } catch {
        // The last answer stays on screen; the error says it is stale.
        if (!cancelled) setFailed(true);
      }
    };
    void load();
    const timer = setInterval(() => void load(), refreshMs);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, []);
  const failures = health?.sources.reduce((sum, row) => sum + row.failures, 0);
  const now = health?.now ?? Date.now();
  const when = (at: number | null) => (at === null ? t('sources.never') : relativeTime(at, now, i18n.language));
  return (
    <Card
      size="small"
      title={t('sources.health')}
      extra={<Typography.Text type="secondary">{t('sources.healthNote')}</Typography.Text>}
      style={{ marginBottom: 16 }}
    >
      {failed && <Alert type="error" showIcon title={t('sources.loadFailed')} style={{ marginBottom: 12 }} />}
      <Row gutter={16} style={{ marginBottom: 12 }}>
        <Col span={8}>
          <Statistic
            title={t('sources.failures')}
            value={failures ?? '—'}
            styles={failures ? { content: { color: '#cf1322' } } : undefined}
          />
        </Col>
        <Col span={8}>
          <Statistic title={t('sources.queue')} value={pressure?.queue ?? '—'} />
        </Col>
        <Col span={8}>
          <Statistic
            title={t('sources.storeWrite')}
            value={pressure ? `${(pressure.writeSeconds * 1000).toFixed(0)} ms` : '—'}
          />
        </Col>
      </Row>
      <Table<SourceHealthRow>
        size="small"
        rowKey={(row) => `${row.kind}\u0000${row.name}\u0000${row.unit}`}
        pagination={false}
        dataSource={health?.sources ?? []}
        loading={!health && !failed}
        locale={{ emptyText: t('sources.noSources') }}
        columns={[
          {
            title: t('sources.source'),
            render: (_, row) => (
              <>
                <Tag>{row.kind}</Tag>
                <Typography.Text>{row.name}</Typography.Text>
              </>
            ),
          },
          { title: t('common.unit'), dataIndex: 'unit' },
          {
            title: t('sources.rate'),
            dataIndex: 'rate',
            align: 'right',
            render: (value: number) => value.toLocaleString(undefined, { maximumFractionDigits: 2 }),
          },
          {
            title: t('sources.events'),
            dataIndex: 'eventsIn',
            align: 'right',
            render: (value: number) => value.toLocaleString(),
          },
          {
            title: t('sources.stored'),
            dataIndex: 'eventsStored',
            align: 'right',
            render: (value: number) => value.toLocaleString(),
          },
          {
            title: t('sources.failed'),
            align: 'right',
            render: (_, row) => {
              if (row.failures === 0) return '0';
              const tip = [
                row.lastFailureAt !== null &&
                  t('sources.lastFailure', { when: when(row.lastFailureAt), reason: row.lastFailureReason ?? '' }),
                t('sources.deadLetterCount', { count: row.deadLetters }),
              ]
                .filter(Boolean)
                .join(' · ');
              return (
                <Tooltip title={tip}>
                  <Typography.Text type="danger">{row.failures.toLocaleString()}</Typography.Text>
                </Tooltip>
              );
            },
          },
          {
            title: t('sources.lastSeen'),
            dataIndex: 'lastEventAt',
            render: (value: number | null) => (
              <Tooltip title={value === null ? undefined : new Date(value).toLocaleString()}>{when(value)}</Tooltip>
            ),
          },
          {
            title: health ? (
              <Tooltip
                title={t('sources.statusHelp', {
                  share: Math.round(health.thresholds.failingShare * 100),
                  minutes: Math.round(health.thresholds.idleAfterMs / 60_000),
                })}
              >
                {t('sources.status')}
              </Tooltip>
            ) : (
              t('sources.status')
            ),
            dataIndex: 'status',
            render: (status: SourceStatus) => <Tag color={statusColors[status]}>{t(`sources.status_${status}`)}</Tag>,
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
