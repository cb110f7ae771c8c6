// Hunt: search all events with the query language, a time range, a histogram, a field sidebar
// with top values (click to filter) and expandable ECS documents. Syntax errors show in place.
// Saved searches live on the server (own and shared by colleagues of the unit); searches the
// earlier console kept in this browser's localStorage are offered for import once, then cleared.
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Col,
  Collapse,
  Drawer,
  Empty,
  Input,
  List,
  Modal,
  Popconfirm,
  Progress,
  Row,
  Select,
  Space,
  Switch,
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
import type {
  SavedSearchLimits,
  SavedSearchListItem,
  SavedSearchListResponse,
  SavedSearchTimeRange,
} from '../../../src/model/saved-search.ts';
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

/** The time ranges of the range menu, as saved searches store them. */
const presets = [
  { key: 'last15m', relative: '15m' },
  { key: 'last1h', relative: '1h' },
  { key: 'last24h', relative: '24h' },
  { key: 'last7d', relative: '7d' },
  { key: 'last30d', relative: '30d' },
  { key: 'all', relative: 'all' },
] as const;
const durationMs = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The from/to parameters of a search over `range`, fixed at `now`. */
function windowOf(range: SavedSearchTimeRange, now: number): { from?: string; to?: string } {
  if ('from' in range) return { from: String(range.from), to: String(range.to) };
  const match = /^(\d+)([mhd])$/.exec(range.relative);
  if (!match) return {};
  return { from: String(now - Number(match[1]) * durationMs[match[2] as keyof typeof durationMs]), to: String(now) };
}

const rangeValue = (range: SavedSearchTimeRange): string =>
  'from' in range ? `absolute:${range.from}:${range.to}` : `relative:${range.relative}`;

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

/** What the earlier console kept in localStorage (before saved searches moved to the server). */
interface LegacySavedSearch {
  readonly name: string;
  readonly query: string;
  readonly range?: string;
}
const legacyKey = 'vigil.savedSearches';

function loadLegacy(): LegacySavedSearch[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(legacyKey) ?? '[]') as unknown;
    return Array.isArray(parsed)
      ? (parsed as LegacySavedSearch[]).filter(
          (entry) => typeof entry?.name === 'string' && typeof entry.query === 'string',
        )
      : [];
  } catch {
    return [];
  }
}

type SavedState =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly message: string }
  | { readonly status: 'ready'; readonly searches: readonly SavedSearchListItem[]; readonly limits: SavedSearchLimits };

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
    // Detection and correlation rules: a correlation counts the matches of the rules it names.
    const response = await api.get<RuleListResponse>('/api/v1/rules', { q: text, limit: 20 });
    setOptions(
      response.rules.map((rule) => ({
        value: rule.id,
        label:
          rule.kind === 'correlation'
            ? `${rule.title} (${rule.level}, ${t('hunt.correlationRule')})`
            : `${rule.title} (${rule.level})`,
      })),
    );
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
              count: job.alerts,
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

/** Create a saved search from the current one, or rename / (un)share one. */
function SaveSearchDialog({
  editing,
  query,
  timeRange,
  onClose,
  onSaved,
}: {
  /** The search being changed; undefined = save the current search. */
  editing: SavedSearchListItem | undefined;
  query: string;
  timeRange: SavedSearchTimeRange;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [name, setName] = useState(editing?.name ?? '');
  const [shared, setShared] = useState(editing?.shared ?? false);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (!name.trim()) {
      setError(t('hunt.savedNameRequired'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      if (editing) await api.patch(`/api/v1/saved-searches/${editing.id}`, { name, shared });
      else await api.post('/api/v1/saved-searches', { name, query, timeRange, shared });
      message.success(t('hunt.savedDone'));
      onSaved();
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'VIGIL_ERR_CONFLICT') setError(t('hunt.savedNameTaken'));
      else if (caught instanceof ApiError && caught.code === 'VIGIL_ERR_LIMIT_REACHED') setError(t('hunt.savedLimit'));
      else if (caught instanceof ApiError && caught.code === 'VIGIL_ERR_QUERY_SYNTAX')
        setError(t('hunt.savedQueryInvalid', { message: caught.message }));
      else setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={editing ? t('hunt.savedEdit') : t('hunt.saveSearch')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Input
          aria-label={t('hunt.saveName')}
          placeholder={t('hunt.saveName')}
          value={name}
          maxLength={120}
          status={error ? 'error' : undefined}
          onChange={(event) => setName(event.target.value)}
          onPressEnter={() => void submit()}
          autoFocus
        />
        {!editing && (
          <Typography.Text code style={{ wordBreak: 'break-all' }}>
            {query || '*'}
          </Typography.Text>
        )}
        <Space>
          <Switch aria-label={t('hunt.savedShare')} checked={shared} onChange={setShared} />
          <Typography.Text>{t('hunt.savedShare')}</Typography.Text>
        </Space>
        <Typography.Text type="secondary">{t('hunt.savedShareHelp')}</Typography.Text>
        {error && <Alert type="error" showIcon message={error} />}
      </Space>
    </Modal>
  );
}

/** The saved searches: the caller's own and those colleagues shared; run, rename, share, delete. */
function SavedSearchesDrawer({
  open,
  state,
  rangeLabel,
  onClose,
  onRun,
  onEdit,
  onChanged,
}: {
  open: boolean;
  state: SavedState;
  rangeLabel: (range: SavedSearchTimeRange) => string;
  onClose: () => void;
  onRun: (search: SavedSearchListItem) => void;
  onEdit: (search: SavedSearchListItem) => void;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const remove = async (search: SavedSearchListItem) => {
    try {
      await api.delete(`/api/v1/saved-searches/${search.id}`);
      message.success(t('hunt.savedDeleted'));
    } catch (caught) {
      message.error(caught instanceof Error ? caught.message : String(caught));
    }
    onChanged();
  };
  const section = (title: string, searches: readonly SavedSearchListItem[], empty: string) => (
    <List<SavedSearchListItem>
      size="small"
      header={<Typography.Text strong>{title}</Typography.Text>}
      dataSource={[...searches]}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> }}
      renderItem={(search) => (
        <List.Item
          actions={
            search.editable
              ? [
                  <Button key="edit" type="link" size="small" onClick={() => onEdit(search)}>
                    {t('hunt.savedEdit')}
                  </Button>,
                  <Popconfirm
                    key="delete"
                    title={t('hunt.savedDeleteConfirm', { name: search.name })}
                    okText={t('common.delete')}
                    cancelText={t('common.cancel')}
                    okButtonProps={{ danger: true }}
                    onConfirm={() => remove(search)}
                  >
                    <Button type="link" size="small" danger>
                      {t('common.delete')}
                    </Button>
                  </Popconfirm>,
                ]
              : []
          }
        >
          <List.Item.Meta
            title={
              // A button: reachable with the keyboard, and the name is what runs the search.
              <Button
                type="link"
                title={t('hunt.savedRun')}
                onClick={() => onRun(search)}
                style={{ padding: 0, height: 'auto', fontWeight: 600, whiteSpace: 'normal', textAlign: 'left' }}
              >
                {search.name}
              </Button>
            }
            description={
              <Space direction="vertical" size={2} style={{ width: '100%' }}>
                <Typography.Text code ellipsis={{ tooltip: search.query || '*' }} style={{ maxWidth: 380 }}>
                  {search.query || '*'}
                </Typography.Text>
                <Space size={4} wrap>
                  <Tag>{rangeLabel(search.timeRange)}</Tag>
                  {search.shared && (
                    <Tag color="blue">
                      {t('hunt.savedSharedWith', { unit: search.unit === '*' ? t('common.all') : search.unit })}
                    </Tag>
                  )}
                  {!search.mine && (
                    <Typography.Text type="secondary">{t('hunt.savedBy', { owner: search.ownerName })}</Typography.Text>
                  )}
                </Space>
              </Space>
            }
          />
        </List.Item>
      )}
    />
  );
  return (
    <Drawer width={560} open={open} onClose={onClose} title={t('hunt.savedSearches')}>
      {state.status === 'loading' && <List loading dataSource={[]} locale={{ emptyText: t('common.loading') }} />}
      {state.status === 'error' && (
        <Alert
          type="error"
          showIcon
          message={t('hunt.savedLoadFailed')}
          description={state.message}
          action={
            <Button size="small" onClick={onChanged}>
              {t('common.retry')}
            </Button>
          }
        />
      )}
      {state.status === 'ready' && (
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          {section(
            t('hunt.savedMine', {
              count: state.searches.filter((search) => search.mine).length,
              limit: state.limits.maxPerOwner,
            }),
            state.searches.filter((search) => search.mine),
            t('hunt.noSaved'),
          )}
          {section(
            t('hunt.savedShared'),
            state.searches.filter((search) => !search.mine),
            t('hunt.savedNoneShared'),
          )}
        </Space>
      )}
    </Drawer>
  );
}

export function HuntPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [saved, setSaved] = useState<SavedState>({ status: 'loading' });
  const [savedOpen, setSavedOpen] = useState(false);
  // undefined: closed; 'new': save the current search; a search: rename / share it.
  const [dialog, setDialog] = useState<'new' | SavedSearchListItem | undefined>();
  const [legacy, setLegacy] = useState<LegacySavedSearch[]>(loadLegacy);
  const [importing, setImporting] = useState(false);
  const [question, setQuestion] = useState('');
  const [asking, setAsking] = useState(false);
  const [suggestion, setSuggestion] = useState<AskSuggestion | undefined>();
  const [query, setQuery] = useState('');
  const [submitted, setSubmitted] = useState('');
  const [range, setRange] = useState<SavedSearchTimeRange>({ relative: '24h' });
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
    const searchWindow = windowOf(range, to);
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

  const loadSaved = useCallback(async () => {
    try {
      const response = await api.get<SavedSearchListResponse>('/api/v1/saved-searches');
      setSaved({ status: 'ready', searches: response.searches, limits: response.limits });
    } catch (caught) {
      setSaved({ status: 'error', message: caught instanceof Error ? caught.message : String(caught) });
    }
  }, []);
  useEffect(() => {
    void loadSaved();
  }, [loadSaved]);

  /** Moves the searches of the earlier console from this browser to the server, then forgets them. */
  const importLegacy = async () => {
    setImporting(true);
    let imported = 0;
    let skipped = 0;
    try {
      for (const entry of legacy) {
        const preset = presets.find((candidate) => candidate.key === entry.range);
        try {
          await api.post('/api/v1/saved-searches', {
            name: entry.name.trim().slice(0, 120) || entry.query.slice(0, 120) || '*',
            query: entry.query,
            timeRange: { relative: preset?.relative ?? '24h' },
            shared: false,
          });
          imported++;
        } catch (caught) {
          // Already imported (same name) or no longer a valid query: nothing more to do with it.
          if (caught instanceof ApiError && caught.status >= 400 && caught.status < 500 && caught.status !== 401)
            skipped++;
          else throw caught;
        }
      }
      localStorage.removeItem(legacyKey);
      setLegacy([]);
      const done = t('hunt.importDone', { imported });
      message.success(skipped ? `${done}; ${t('hunt.importSkipped', { skipped })}` : done);
    } catch (caught) {
      message.error(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setImporting(false);
      void loadSaved();
    }
  };
  const discardLegacy = () => {
    localStorage.removeItem(legacyKey);
    setLegacy([]);
  };

  const rangeLabel = (value: SavedSearchTimeRange): string => {
    if ('from' in value) return `${shortTime(value.from)} – ${shortTime(value.to)}`;
    const preset = presets.find((candidate) => candidate.relative === value.relative);
    return preset ? t(`hunt.${preset.key}`) : t('hunt.lastCustom', { value: value.relative });
  };
  const rangeOptions = [
    ...presets.map((preset) => ({ value: `relative:${preset.relative}`, label: t(`hunt.${preset.key}`) })),
    // A saved search may carry a range the menu does not offer (set through the API).
    ...(presets.some((preset) => rangeValue({ relative: preset.relative }) === rangeValue(range))
      ? []
      : [{ value: rangeValue(range), label: rangeLabel(range) }]),
  ];
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
  const runQuery = (text: string, nextRange: SavedSearchTimeRange = range) => {
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
          // No `loading` here: Ant Design's search box ignores Enter while it is set, so a search
          // typed while the previous one still ran was silently dropped (the table shows progress).
          status={error?.position !== undefined ? 'error' : undefined}
          allowClear
        />
        <Select
          aria-label={t('hunt.range')}
          value={rangeValue(range)}
          onChange={(value: string) => {
            const preset = presets.find((candidate) => `relative:${candidate.relative}` === value);
            if (preset) setRange({ relative: preset.relative });
          }}
          style={{ width: 170 }}
          options={rangeOptions}
        />
        <Tooltip title={t('hunt.helpText')}>
          <Button>{t('hunt.help')}</Button>
        </Tooltip>
        <Button onClick={() => setDialog('new')}>{t('hunt.saveSearch')}</Button>
        <Button onClick={() => setSavedOpen(true)}>
          {t('hunt.savedSearches')}
          {saved.status === 'ready' && saved.searches.length > 0 ? ` (${saved.searches.length})` : ''}
        </Button>
      </Space.Compact>
      {legacy.length > 0 && saved.status === 'ready' && (
        <Alert
          type="info"
          showIcon
          message={t('hunt.importFound', { count: legacy.length })}
          description={t('hunt.importHelp')}
          action={
            <Space direction="vertical">
              <Button size="small" type="primary" loading={importing} onClick={() => void importLegacy()}>
                {t('hunt.importAction')}
              </Button>
              <Button size="small" disabled={importing} onClick={discardLegacy}>
                {t('hunt.importDiscard')}
              </Button>
            </Space>
          }
        />
      )}
      {dialog && (
        <SaveSearchDialog
          editing={dialog === 'new' ? undefined : dialog}
          query={submitted}
          timeRange={range}
          onClose={() => setDialog(undefined)}
          onSaved={() => {
            setDialog(undefined);
            void loadSaved();
          }}
        />
      )}
      <SavedSearchesDrawer
        open={savedOpen}
        state={saved}
        rangeLabel={rangeLabel}
        onClose={() => setSavedOpen(false)}
        onRun={(search) => {
          setSavedOpen(false);
          runQuery(search.query, search.timeRange);
        }}
        onEdit={(search) => setDialog(search)}
        onChanged={() => void loadSaved()}
      />
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
