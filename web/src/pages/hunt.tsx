// Hunt: search all events with the query language, a time range, a histogram, a field sidebar
// with top values (click to filter) and expandable ECS documents. Syntax errors show in place.
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Input,
  List,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EcsEvent } from '../../../src/model/event.ts';
import { ApiError, api } from '../api/client.ts';
import { EChart } from '../components/echart.tsx';

interface StoredEvent {
  id: string;
  event: EcsEvent;
}
interface EventPage {
  events: StoredEvent[];
  total: number;
  totalIsExact: boolean;
  nextCursor?: string;
}
interface Histogram {
  interval: number;
  buckets: { start: number; count: number }[];
}
interface TopValues {
  field: string;
  values: { value: string | number | boolean | null; count: number }[];
}

const ranges = {
  last15m: 15 * 60_000,
  last1h: 3_600_000,
  last24h: 86_400_000,
  last7d: 7 * 86_400_000,
  last30d: 30 * 86_400_000,
  all: 0,
} as const;
type RangeKey = keyof typeof ranges;
const sidebarFields = [
  'event.code',
  'event.action',
  'event.category',
  'host.name',
  'user.name',
  'process.name',
  'source.ip',
  'destination.ip',
  'event.dataset',
  'unit',
];

function get(event: EcsEvent, path: string): unknown {
  let value: unknown = event;
  for (const part of path.split('.'))
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  return value;
}

function summary(event: EcsEvent): string {
  const process = get(event, 'process.command_line') ?? get(event, 'process.executable');
  const text = event.message ?? process ?? get(event, 'event.original') ?? '';
  return String(text).slice(0, 240);
}

function quoteValue(value: unknown): string {
  const text = String(value);
  return /^[A-Za-z0-9_.\-@:/]+$/.test(text) ? text.replace(/:/g, '\\:') : `"${text.replace(/(["\\])/g, '\\$1')}"`;
}

export function HuntPage() {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [submitted, setSubmitted] = useState('');
  const [range, setRange] = useState<RangeKey>('last24h');
  const [page, setPage] = useState<EventPage | undefined>();
  const [histogram, setHistogram] = useState<Histogram | undefined>();
  const [top, setTop] = useState<TopValues[]>([]);
  const [error, setError] = useState<{ message: string; position?: number } | undefined>();
  const [loading, setLoading] = useState(false);

  // The window is fixed when a search runs, so "load more" pages through the same range.
  const [window, setWindow] = useState<{ from?: string; to?: string }>({});
  const [generation, setGeneration] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: generation re-runs the same search (refresh)
  const run = useCallback(async () => {
    setLoading(true);
    setError(undefined);
    const to = Date.now();
    const searchWindow = ranges[range] ? { from: String(to - ranges[range]), to: String(to) } : {};
    setWindow(searchWindow);
    try {
      const params = { q: submitted, ...searchWindow };
      const [events, buckets, fields] = await Promise.all([
        api.get<EventPage>('/api/v1/events', { ...params, limit: 50 }),
        api.get<Histogram>('/api/v1/events/histogram', params),
        Promise.all(
          sidebarFields.map((field) =>
            api
              .get<TopValues>(`/api/v1/events/fields/${field}/top`, { ...params, limit: 5 })
              .catch(() => ({ field, values: [] })),
          ),
        ),
      ]);
      setPage(events);
      setHistogram(buckets);
      setTop(fields.filter((field) => field.values.length > 0));
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'VIGIL_ERR_QUERY_SYNTAX') {
        const details = caught.details as { position?: number } | undefined;
        setError({ message: caught.message, position: details?.position });
      } else setError({ message: caught instanceof Error ? caught.message : String(caught) });
      setPage(undefined);
    } finally {
      setLoading(false);
    }
  }, [submitted, range, generation]);

  useEffect(() => {
    void run();
  }, [run]);

  const loadMore = async () => {
    if (!page?.nextCursor) return;
    const next = await api.get<EventPage>('/api/v1/events', {
      q: submitted,
      ...window,
      limit: 50,
      cursor: page.nextCursor,
    });
    setPage({ ...next, events: [...page.events, ...next.events] });
  };

  const addFilter = (field: string, value: unknown) => {
    const clause = value === null ? `NOT ${field}:*` : `${field}:${quoteValue(value)}`;
    const next = query.trim() ? `${query.trim()} AND ${clause}` : clause;
    setQuery(next);
    setSubmitted(next);
  };

  const chart = useMemo(
    () => ({
      grid: { left: 40, right: 16, top: 16, bottom: 24 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'time' },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          type: 'bar',
          name: t('common.count'),
          data: (histogram?.buckets ?? []).map((bucket) => [bucket.start, bucket.count]),
          itemStyle: { color: '#1668dc' },
        },
      ],
    }),
    [histogram, t],
  );

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: '8px 0 0' }}>
        {t('nav.hunt')}
      </Typography.Title>
      <Space.Compact style={{ width: '100%' }}>
        <Input.Search
          aria-label={t('common.search')}
          placeholder={t('hunt.placeholder')}
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          onSearch={(value) => {
            setSubmitted(value);
            setGeneration((count) => count + 1);
          }}
          enterButton={t('common.search')}
          loading={loading}
          status={error?.position !== undefined ? 'error' : undefined}
          allowClear
        />
        <Select
          aria-label={t('hunt.range')}
          value={range}
          onChange={setRange}
          style={{ width: 170 }}
          options={(Object.keys(ranges) as RangeKey[]).map((key) => ({ value: key, label: t(`hunt.${key}`) }))}
        />
        <Tooltip title={t('hunt.helpText')}>
          <Button>{t('hunt.help')}</Button>
        </Tooltip>
      </Space.Compact>
      {error && (
        <Alert
          type="error"
          showIcon
          role="alert"
          message={error.message}
          description={
            error.position !== undefined ? (
              <Typography.Text code>
                {submitted.slice(0, error.position)}
                <span style={{ background: '#ff4d4f', color: 'white' }}>
                  {submitted.slice(error.position, error.position + 1) || ' '}
                </span>
                {submitted.slice(error.position + 1)}
              </Typography.Text>
            ) : undefined
          }
        />
      )}
      <Card
        size="small"
        title={t('hunt.histogram')}
        extra={
          page && (
            <Typography.Text type="secondary">
              {page.totalIsExact
                ? t('hunt.results', { count: page.total })
                : t('hunt.resultsCapped', { count: page.total })}
            </Typography.Text>
          )
        }
      >
        <EChart option={chart} />
      </Card>
      <Row gutter={16}>
        <Col xs={24} md={6}>
          <Card size="small" title={t('hunt.fields')}>
            {top.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.empty')} />
            ) : (
              top.map((field) => (
                <div key={field.field} style={{ marginBottom: 12 }}>
                  <Typography.Text strong>{field.field}</Typography.Text>
                  <List
                    size="small"
                    dataSource={field.values}
                    renderItem={(item) => (
                      <List.Item
                        style={{ padding: '2px 0', cursor: 'pointer' }}
                        onClick={() => addFilter(field.field, item.value)}
                        title={t('hunt.filterOn')}
                      >
                        <Typography.Text ellipsis style={{ maxWidth: '75%' }}>
                          {item.value === null ? '—' : String(item.value)}
                        </Typography.Text>
                        <Tag>{item.count}</Tag>
                      </List.Item>
                    )}
                  />
                </div>
              ))
            )}
          </Card>
        </Col>
        <Col xs={24} md={18}>
          <Table<StoredEvent>
            size="small"
            rowKey="id"
            loading={loading}
            dataSource={page?.events ?? []}
            pagination={false}
            locale={{ emptyText: <Empty description={t('hunt.noResults')} /> }}
            expandable={{
              expandedRowRender: (row) => (
                <pre style={{ margin: 0, maxHeight: 480, overflow: 'auto', fontSize: 12 }}>
                  {JSON.stringify(row.event, null, 2)}
                </pre>
              ),
            }}
            columns={[
              {
                title: t('common.time'),
                width: 190,
                render: (_, row) => new Date(row.event['@timestamp']).toLocaleString(),
              },
              { title: t('common.host'), width: 160, render: (_, row) => String(get(row.event, 'host.name') ?? '') },
              { title: 'event.code', width: 90, render: (_, row) => String(get(row.event, 'event.code') ?? '') },
              { title: 'event.action', width: 160, render: (_, row) => String(get(row.event, 'event.action') ?? '') },
              {
                title: t('hunt.document'),
                render: (_, row) => (
                  <Typography.Text ellipsis={{ tooltip: summary(row.event) }}>{summary(row.event)}</Typography.Text>
                ),
              },
            ]}
          />
          {page?.nextCursor && (
            <Button style={{ marginTop: 12 }} onClick={() => void loadMore()}>
              {t('hunt.loadMore')}
            </Button>
          )}
        </Col>
      </Row>
    </Space>
  );
}
