// Hunt: search all events with the query language, a time range, a histogram, a field sidebar
// with top values (click to filter) and expandable ECS documents. Syntax errors show in place.
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Col,
  Collapse,
  Dropdown,
  Empty,
  Input,
  List,
  Progress,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Alert as VigilAlert } from '../../../src/model/alert.ts';
import type { AlertListResponse, HuntJob, RuleListResponse } from '../../../src/model/console-api.ts';
import type { EcsEvent } from '../../../src/model/event.ts';
import type { QueryValidation } from '../../../src/store/query/validate-query.ts';
import { ApiError, api } from '../api/client.ts';
import { LevelTag } from '../components/badges.tsx';
import { EChart, timeAxisLabels } from '../components/echart.tsx';

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

interface SavedSearch {
  readonly name: string;
  readonly query: string;
  readonly range: RangeKey;
}
const savedKey = 'vigil.savedSearches';

function loadSaved(): SavedSearch[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(savedKey) ?? '[]') as unknown;
    return Array.isArray(parsed) ? (parsed as SavedSearch[]) : [];
  } catch {
    return [];
  }
}

/** Short, one-line time for dense tables: the date only when it is not today. */
export function shortTime(value: string | number): string {
  const date = new Date(value);
  const today = new Date().toDateString() === date.toDateString();
  return today
    ? date.toLocaleTimeString()
    : `${date.toLocaleDateString(undefined, { month: '2-digit', day: '2-digit' })} ${date.toLocaleTimeString()}`;
}

interface AskSuggestion {
  readonly query: string;
  readonly explanation: string;
  readonly validation: QueryValidation;
  readonly search: { readonly q: string; readonly from?: string; readonly to?: string };
}

/** "Run a Sigma rule over this time range": a retro-hunt job with progress, then its alerts. */
function SigmaHunt({ from, to }: { from?: string; to?: string }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const [ruleIds, setRuleIds] = useState<string[]>([]);
  const [yaml, setYaml] = useState('');
  const [job, setJob] = useState<HuntJob | undefined>();
  const [alerts, setAlerts] = useState<readonly VigilAlert[]>([]);
  const timer = useRef<ReturnType<typeof setInterval> | undefined>(undefined);
  useEffect(() => () => clearInterval(timer.current), []);
  const searchRules = async (text: string) => {
    const response = await api.get<RuleListResponse>('/api/v1/rules', { q: text, kind: 'detection', limit: 20 });
    setOptions(response.rules.map((rule) => ({ value: rule.id, label: `${rule.title} (${rule.level})` })));
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, to fill the list before typing
  useEffect(() => {
    void searchRules('').catch(() => undefined);
  }, []);
  const start = async () => {
    if (ruleIds.length === 0 && !yaml.trim()) {
      message.warning(t('hunt.sigmaNeedRule'));
      return;
    }
    try {
      const started = await api.post<HuntJob>('/api/v1/hunts', {
        ...(yaml.trim() ? { yaml } : { ruleIds }),
        from: from ? Number(from) : 0,
        ...(to ? { to: Number(to) } : {}),
      });
      setJob(started);
      setAlerts([]);
      clearInterval(timer.current);
      timer.current = setInterval(async () => {
        const current = await api.get<HuntJob>(`/api/v1/hunts/${started.id}`).catch(() => undefined);
        if (!current) return;
        setJob(current);
        if (current.status !== 'queued' && current.status !== 'running') {
          clearInterval(timer.current);
          const found = await api.get<AlertListResponse>('/api/v1/alerts', { hunt: current.id, limit: 100 });
          setAlerts(found.alerts);
        }
      }, 1000);
    } catch (caught) {
      message.error(caught instanceof Error ? caught.message : String(caught));
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Select
        mode="multiple"
        aria-label={t('hunt.sigmaRules')}
        placeholder={t('hunt.sigmaRules')}
        style={{ width: '100%' }}
        filterOption={false}
        showSearch
        onSearch={(text) => void searchRules(text).catch(() => undefined)}
        value={ruleIds}
        onChange={setRuleIds}
        options={options}
      />
      <Input.TextArea
        aria-label={t('hunt.sigmaYaml')}
        placeholder={t('hunt.sigmaYaml')}
        rows={4}
        value={yaml}
        onChange={(event) => setYaml(event.target.value)}
        style={{ fontFamily: 'monospace' }}
      />
      <Space>
        <Button
          type="primary"
          onClick={() => void start()}
          loading={job?.status === 'running' || job?.status === 'queued'}
        >
          {t('hunt.sigmaStart')}
        </Button>
        {job && (
          <Typography.Text type={job.status === 'failed' ? 'danger' : 'secondary'}>
            {t('hunt.sigmaProgress', {
              status: t(`hunt.status_${job.status}`),
              scanned: job.scanned,
              total: job.total,
              alerts: job.alerts,
            })}
            {job.error ? ` — ${job.error}` : ''}
          </Typography.Text>
        )}
      </Space>
      {job && (
        <Progress percent={Math.round(job.progress * 100)} status={job.status === 'failed' ? 'exception' : undefined} />
      )}
      {job && job.status === 'done' && (
        <Table<VigilAlert>
          size="small"
          rowKey="id"
          title={() => t('hunt.sigmaAlerts')}
          dataSource={[...alerts]}
          pagination={{ pageSize: 10 }}
          columns={[
            { title: t('common.time'), width: 170, render: (_, row) => shortTime(row['@timestamp']) },
            { title: t('common.unit'), dataIndex: 'unit', width: 120 },
            { title: t('incidents.rule'), render: (_, row) => row.rule.title },
            { title: t('incidents.level'), width: 100, render: (_, row) => <LevelTag level={row.rule.level} /> },
            { title: t('incidents.author'), width: 200, render: (_, row) => row.rule.author ?? '—' },
          ]}
        />
      )}
    </Space>
  );
}

function get(event: EcsEvent, path: string): unknown {
  let value: unknown = event;
  for (const part of path.split('.'))
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  return value;
}

function summary(event: EcsEvent): string {
  if (event.message) return String(event.message).slice(0, 240);
  // Who did what from where, for the events analysts scan most (logons, connections).
  const user = get(event, 'user.name');
  const source = get(event, 'source.ip');
  const destination = get(event, 'destination.ip');
  const process = get(event, 'process.command_line') ?? get(event, 'process.executable');
  const parts = [
    user ? `user ${String(user)}` : '',
    source
      ? `${String(source)}${destination ? ` → ${String(destination)}:${String(get(event, 'destination.port') ?? '')}` : ''}`
      : '',
    process ? String(process) : '',
  ].filter(Boolean);
  const text = parts.length ? parts.join(' · ') : (get(event, 'event.original') ?? '');
  return String(text).slice(0, 240);
}

function quoteValue(value: unknown): string {
  const text = String(value);
  return /^[A-Za-z0-9_.\-@:/]+$/.test(text) ? text.replace(/:/g, '\\:') : `"${text.replace(/(["\\])/g, '\\$1')}"`;
}

export function HuntPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [saved, setSaved] = useState<SavedSearch[]>(loadSaved);
  const [question, setQuestion] = useState('');
  const [asking, setAsking] = useState(false);
  const [suggestion, setSuggestion] = useState<AskSuggestion | undefined>();
  const [query, setQuery] = useState('');
  const [submitted, setSubmitted] = useState('');
  const [range, setRange] = useState<RangeKey>('last24h');
  const [page, setPage] = useState<EventPage | undefined>();
  const [histogram, setHistogram] = useState<Histogram | undefined>();
  const [top, setTop] = useState<TopValues[]>([]);
  const [error, setError] = useState<{ message: string; position?: number } | undefined>();
  const [loading, setLoading] = useState(false);

  // The window is fixed when a search runs, so "load more" pages through the same range.
  const [searchRange, setSearchRange] = useState<{ from?: string; to?: string }>({});
  const [generation, setGeneration] = useState(0);
  // Only the latest search may fill the page: an earlier, slower one must not overwrite it.
  const latestSearch = useRef(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: generation re-runs the same search (refresh)
  const run = useCallback(async () => {
    const ticket = ++latestSearch.current;
    setLoading(true);
    setError(undefined);
    const to = Date.now();
    const searchWindow = ranges[range] ? { from: String(to - ranges[range]), to: String(to) } : {};
    setSearchRange(searchWindow);
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
      if (ticket !== latestSearch.current) return;
      setPage(events);
      setHistogram(buckets);
      setTop(fields.filter((field) => field.values.length > 0));
    } catch (caught) {
      if (ticket !== latestSearch.current) return;
      if (caught instanceof ApiError && caught.code === 'VIGIL_ERR_QUERY_SYNTAX') {
        const details = caught.details as { position?: number } | undefined;
        setError({ message: caught.message, position: details?.position });
      } else setError({ message: caught instanceof Error ? caught.message : String(caught) });
      setPage(undefined);
    } finally {
      if (ticket === latestSearch.current) setLoading(false);
    }
  }, [submitted, range, generation]);

  useEffect(() => {
    void run();
  }, [run]);

  const loadMore = async () => {
    if (!page?.nextCursor) return;
    const next = await api.get<EventPage>('/api/v1/events', {
      q: submitted,
      ...searchRange,
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

  const saveSearch = () => {
    const name = window.prompt(t('hunt.saveName'), submitted || '*');
    if (!name) return;
    const next = [...saved.filter((entry) => entry.name !== name), { name, query: submitted, range }];
    localStorage.setItem(savedKey, JSON.stringify(next));
    setSaved(next);
  };
  const removeSaved = (name: string) => {
    const next = saved.filter((entry) => entry.name !== name);
    localStorage.setItem(savedKey, JSON.stringify(next));
    setSaved(next);
  };
  const ask = async () => {
    if (!question.trim()) return;
    setAsking(true);
    try {
      setSuggestion(await api.post<AskSuggestion>('/api/v1/ask', { question }));
    } catch (caught) {
      message.error(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setAsking(false);
    }
  };
  const runQuery = (text: string, nextRange: RangeKey = range) => {
    setQuery(text);
    setSubmitted(text);
    setRange(nextRange);
    setGeneration((count) => count + 1);
  };

  const chart = useMemo(
    () => ({
      grid: { left: 40, right: 16, top: 16, bottom: 24 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'time', axisLabel: { hideOverlap: true, formatter: timeAxisLabels } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          type: 'bar',
          name: t('common.count'),
          barMaxWidth: 24,
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
        <Button onClick={saveSearch}>{t('hunt.saveSearch')}</Button>
        <Dropdown
          menu={{
            items: saved.length
              ? saved.map((entry) => ({
                  key: entry.name,
                  label: (
                    <Space style={{ justifyContent: 'space-between', width: '100%' }}>
                      <span>{entry.name}</span>
                      <Typography.Link
                        onClick={(event) => {
                          event.stopPropagation();
                          removeSaved(entry.name);
                        }}
                      >
                        {t('common.delete')}
                      </Typography.Link>
                    </Space>
                  ),
                }))
              : [{ key: '', label: t('hunt.noSaved'), disabled: true }],
            onClick: ({ key }) => {
              const entry = saved.find((candidate) => candidate.name === key);
              if (entry) runQuery(entry.query, entry.range);
            },
          }}
        >
          <Button>{t('hunt.savedSearches')}</Button>
        </Dropdown>
      </Space.Compact>
      <Collapse
        size="small"
        items={[
          {
            key: 'ask',
            label: t('hunt.ask'),
            children: (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Input.Search
                  aria-label={t('hunt.ask')}
                  placeholder={t('hunt.askPlaceholder')}
                  value={question}
                  onChange={(event) => setQuestion(event.target.value)}
                  onSearch={() => void ask()}
                  enterButton={t('hunt.ask')}
                  loading={asking}
                />
                {suggestion && (
                  <Alert
                    type={suggestion.validation.ok ? 'info' : 'warning'}
                    message={t('hunt.askExplain')}
                    description={
                      <Space direction="vertical" style={{ width: '100%' }}>
                        <Typography.Text code copyable>
                          {suggestion.query}
                        </Typography.Text>
                        <Typography.Text type="secondary">{suggestion.explanation}</Typography.Text>
                        {!suggestion.validation.ok && (
                          <Typography.Text type="danger">{suggestion.validation.message}</Typography.Text>
                        )}
                      </Space>
                    }
                    action={
                      <Button size="small" type="primary" onClick={() => runQuery(suggestion.search.q)}>
                        {t('hunt.runSuggestion')}
                      </Button>
                    }
                  />
                )}
              </Space>
            ),
          },
          { key: 'sigma', label: t('hunt.sigma'), children: <SigmaHunt {...searchRange} /> },
        ]}
      />
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
            tableLayout="fixed"
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
                width: 150,
                render: (_, row) => <span style={{ whiteSpace: 'nowrap' }}>{shortTime(row.event['@timestamp'])}</span>,
              },
              {
                title: t('common.host'),
                width: 170,
                ellipsis: true,
                render: (_, row) => String(get(row.event, 'host.name') ?? ''),
              },
              {
                title: 'event.code',
                width: 90,
                ellipsis: true,
                render: (_, row) => String(get(row.event, 'event.code') ?? ''),
              },
              {
                title: 'event.action',
                width: 150,
                ellipsis: true,
                render: (_, row) => String(get(row.event, 'event.action') ?? ''),
              },
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
