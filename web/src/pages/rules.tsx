// Rules: the loaded detection and correlation rules with search, level, ATT&CK technique and
// enabled filters, noise statistics (alerts, share judged benign), a live on/off switch, the
// validation errors of the last load, and importing Sigma YAML. Authors are always shown
// (Detection Rule License). A second tab lists the analysts' suppressions to review, extend,
// re-word or remove them.
import { DeleteOutlined, DownOutlined, EditOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Drawer,
  Dropdown,
  Empty,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { AlertLevel } from '../../../src/model/alert.ts';
import type {
  RuleDetailResponse,
  RuleImportResponse,
  RuleListResponse,
  RuleSummary,
  RuleValidationResponse,
} from '../../../src/model/console-api.ts';
import { maxSuppressionDays, type Suppression, type SuppressionListItem } from '../../../src/model/suppression.ts';
import { ApiError, api } from '../api/client.ts';
import { LevelTag } from '../components/badges.tsx';
import { relativeTime } from '../components/relative-time.ts';
import { useSession } from '../session.tsx';

const levels: AlertLevel[] = ['critical', 'high', 'medium', 'low', 'informational'];
const pageSize = 25;
const day = 86_400_000;

/** Epoch ms as the value of a `datetime-local` input (local time, minutes). */
function localInput(at: number): string {
  const date = new Date(at - new Date(at).getTimezoneOffset() * 60_000);
  return date.toISOString().slice(0, 16);
}

/** An error as the user should read it. */
const messageOf = (caught: unknown): string => (caught instanceof Error ? caught.message : String(caught));

/** The caller's suppressions: active ones (expired ones on a switch), with hits and actions. */
function SuppressionsTab() {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const [includeExpired, setIncludeExpired] = useState(false);
  const [items, setItems] = useState<SuppressionListItem[] | undefined>();
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();
  const [now, setNow] = useState(Date.now());
  const [current, setCurrent] = useState(1);
  const [editing, setEditing] = useState<{ item: SuppressionListItem; reason: string } | undefined>();
  const [choosing, setChoosing] = useState<{ item: SuppressionListItem; value: string } | undefined>();

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const response = await api.get<{ suppressions: SuppressionListItem[] }>('/api/v1/suppressions', {
        all: includeExpired ? 'true' : undefined,
      });
      setNow(Date.now());
      setItems(response.suppressions);
      setFailure(undefined);
    } catch (caught) {
      setFailure(messageOf(caught));
    } finally {
      setLoading(false);
    }
  }, [includeExpired]);
  useEffect(() => {
    void load();
  }, [load]);

  const change = async (item: SuppressionListItem, body: Partial<Pick<Suppression, 'reason' | 'expiresAt'>>) => {
    try {
      const updated = await api.patch<Suppression>(`/api/v1/suppressions/${encodeURIComponent(item.id)}`, body);
      message.success(
        body.expiresAt !== undefined
          ? t('rules.extended', { date: new Date(updated.expiresAt).toLocaleString() })
          : t('rules.reasonSaved'),
      );
      await load();
      return true;
    } catch (caught) {
      message.error(messageOf(caught));
      return false;
    }
  };
  const remove = async (item: SuppressionListItem) => {
    try {
      await api.delete(`/api/v1/suppressions/${encodeURIComponent(item.id)}`);
      message.success(t('rules.removed'));
      await load();
    } catch (caught) {
      message.error(messageOf(caught));
    }
  };
  /** An extension counts from the current expiry, or from now once it has passed. */
  const extendedBy = (item: SuppressionListItem, days: number) => Math.max(item.expiresAt, Date.now()) + days * day;
  const latest = () => Date.now() + maxSuppressionDays * day;
  const saveReason = async () => {
    if (!editing) return;
    const reason = editing.reason.trim();
    if (!reason) {
      message.warning(t('rules.reasonRequired'));
      return;
    }
    if (await change(editing.item, { reason })) setEditing(undefined);
  };
  const saveCustom = async () => {
    if (!choosing) return;
    const expiresAt = new Date(choosing.value).getTime();
    if (!Number.isFinite(expiresAt) || expiresAt <= Date.now() || expiresAt > latest()) {
      message.warning(t('rules.extendHint', { days: maxSuppressionDays }));
      return;
    }
    if (await change(choosing.item, { expiresAt })) setChoosing(undefined);
  };

  if (failure && !items) {
    return (
      <Alert
        type="error"
        showIcon
        message={t('rules.loadFailed')}
        description={failure}
        action={<Button onClick={() => void load()}>{t('common.retry')}</Button>}
      />
    );
  }
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Text type="secondary">{t('rules.suppressionsExplain')}</Typography.Text>
        <Space>
          <Switch
            size="small"
            checked={includeExpired}
            aria-label={t('rules.includeExpired')}
            onChange={(on) => {
              setIncludeExpired(on);
              setCurrent(1);
            }}
          />
          <Typography.Text>{t('rules.includeExpired')}</Typography.Text>
          <Button size="small" onClick={() => void load()}>
            {t('common.refresh')}
          </Button>
        </Space>
      </Space>
      {failure && <Alert type="error" showIcon message={t('rules.loadFailed')} description={failure} />}
      <Table<SuppressionListItem>
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={items ?? []}
        tableLayout="fixed"
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={includeExpired ? t('rules.suppressionsNone') : t('rules.suppressionsEmpty')}
            />
          ),
        }}
        pagination={{
          current,
          pageSize,
          hideOnSinglePage: true,
          showSizeChanger: false,
          showTotal: (total) => `${t('common.total')}: ${total}`,
          onChange: setCurrent,
        }}
        columns={[
          {
            title: t('rules.rule'),
            render: (_, item) => (
              <div style={{ minWidth: 0 }}>
                <Typography.Paragraph style={{ margin: 0 }} ellipsis={{ rows: 2, tooltip: true }}>
                  {item.ruleTitle ?? item.ruleId}
                </Typography.Paragraph>
                <Typography.Text
                  type="secondary"
                  style={{ fontSize: 12, display: 'block' }}
                  ellipsis={{ tooltip: item.ruleId }}
                >
                  {item.ruleId}
                </Typography.Text>
              </div>
            ),
          },
          { title: t('common.unit'), dataIndex: 'unit', width: 90, ellipsis: true },
          {
            title: t('rules.matches'),
            width: 230,
            render: (_, item) => {
              const pairs = Object.entries(item.match);
              if (pairs.length === 0) return <Tag>{t('rules.matchAll')}</Tag>;
              return pairs.map(([field, value]) => (
                <div key={field} style={{ fontFamily: 'monospace', fontSize: 12, wordBreak: 'break-all' }}>
                  <Typography.Text type="secondary">{field}</Typography.Text> = {value}
                </div>
              ));
            },
          },
          {
            title: t('rules.reason'),
            render: (_, item) => (
              <Typography.Paragraph style={{ margin: 0 }} ellipsis={{ rows: 3, tooltip: item.reason }}>
                {item.reason}
              </Typography.Paragraph>
            ),
          },
          { title: t('rules.owner'), dataIndex: 'owner', width: 110, ellipsis: true },
          {
            title: t('rules.created'),
            width: 105,
            sorter: (a, b) => a.createdAt - b.createdAt,
            render: (_, item) => (
              <Tooltip title={`${new Date(item.createdAt).toLocaleString()} · ${item.createdBy}`}>
                {new Date(item.createdAt).toLocaleDateString()}
              </Tooltip>
            ),
          },
          {
            title: t('rules.expires'),
            width: 115,
            sorter: (a, b) => a.expiresAt - b.expiresAt,
            render: (_, item) => (
              <Tooltip title={new Date(item.expiresAt).toLocaleString()}>
                {item.expiresAt <= now ? (
                  <Tag color="default">{t('rules.expired')}</Tag>
                ) : (
                  <Typography.Text type={item.expiresAt - now < 2 * day ? 'warning' : undefined}>
                    {relativeTime(item.expiresAt, now, i18n.language)}
                  </Typography.Text>
                )}
              </Tooltip>
            ),
          },
          {
            title: t('rules.hits'),
            dataIndex: 'hits',
            width: 80,
            align: 'right',
            sorter: (a, b) => a.hits - b.hits,
          },
          {
            title: t('common.actions'),
            width: 150,
            render: (_, item) => (
              <Space size={4}>
                <Dropdown
                  trigger={['click']}
                  menu={{
                    items: [
                      ...[7, 30].map((days) => ({
                        key: String(days),
                        label: t(days === 7 ? 'rules.extend7' : 'rules.extend30'),
                        disabled: extendedBy(item, days) > latest(),
                        title:
                          extendedBy(item, days) > latest()
                            ? t('rules.tooFar', { days: maxSuppressionDays })
                            : undefined,
                      })),
                      { key: 'custom', label: t('rules.extendCustom') },
                    ],
                    onClick: ({ key }) => {
                      if (key === 'custom') {
                        const proposal = Math.min(extendedBy(item, 7), latest());
                        setChoosing({ item, value: localInput(proposal) });
                      } else void change(item, { expiresAt: extendedBy(item, Number(key)) });
                    },
                  }}
                >
                  <Button size="small" aria-label={`${t('rules.extend')}: ${item.id}`}>
                    {t('rules.extend')} <DownOutlined />
                  </Button>
                </Dropdown>
                <Tooltip title={t('rules.editReason')}>
                  <Button
                    size="small"
                    icon={<EditOutlined />}
                    aria-label={`${t('rules.editReason')}: ${item.id}`}
                    onClick={() => setEditing({ item, reason: item.reason })}
                  />
                </Tooltip>
                <Popconfirm
                  title={t('rules.removeConfirm')}
                  okText={t('rules.remove')}
                  cancelText={t('common.cancel')}
                  okButtonProps={{ danger: true }}
                  onConfirm={() => remove(item)}
                >
                  <Tooltip title={t('rules.remove')}>
                    <Button
                      size="small"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label={`${t('rules.remove')}: ${item.id}`}
                    />
                  </Tooltip>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== undefined}
        title={t('rules.editReason')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        onCancel={() => setEditing(undefined)}
        onOk={() => void saveReason()}
      >
        <Input.TextArea
          aria-label={t('rules.reason')}
          rows={4}
          maxLength={2000}
          showCount
          value={editing?.reason ?? ''}
          onChange={(event) => setEditing((previous) => previous && { ...previous, reason: event.target.value })}
        />
      </Modal>
      <Modal
        open={choosing !== undefined}
        title={t('rules.extendTitle')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        onCancel={() => setChoosing(undefined)}
        onOk={() => void saveCustom()}
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <Input
            type="datetime-local"
            aria-label={t('rules.extendTitle')}
            value={choosing?.value ?? ''}
            min={localInput(Date.now())}
            max={localInput(latest())}
            onChange={(event) => setChoosing((previous) => previous && { ...previous, value: event.target.value })}
          />
          <Typography.Text type="secondary">{t('rules.extendHint', { days: maxSuppressionDays })}</Typography.Text>
        </Space>
      </Modal>
    </Space>
  );
}

export function RulesPage() {
  const { t } = useTranslation();
  const [searchParams, setSearchParams] = useSearchParams();
  const tab = searchParams.get('tab') === 'suppressions' ? 'suppressions' : 'rules';
  const { message } = AntApp.useApp();
  const { user } = useSession();
  const [search, setSearch] = useState('');
  const [level, setLevel] = useState<AlertLevel | undefined>();
  const [tag, setTag] = useState('');
  const [enabled, setEnabled] = useState<'true' | 'false' | undefined>();
  const [sort, setSort] = useState<'alerts' | 'level' | 'title'>('alerts');
  const [current, setCurrent] = useState(1);
  const [page, setPage] = useState<RuleListResponse | undefined>();
  const [loading, setLoading] = useState(false);
  const [validation, setValidation] = useState<RuleValidationResponse | undefined>();
  const [detail, setDetail] = useState<RuleDetailResponse | undefined>();
  const [importing, setImporting] = useState(false);
  const [yaml, setYaml] = useState('');

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const offset = (current - 1) * pageSize;
      setPage(
        await api.get<RuleListResponse>('/api/v1/rules', {
          q: search || undefined,
          level,
          tag: tag || undefined,
          enabled,
          sort,
          limit: pageSize,
          // The server's cursor is the base64url offset: pages can be opened directly.
          cursor: offset ? btoa(String(offset)).replace(/=+$/, '') : undefined,
        }),
      );
    } catch (caught) {
      message.error(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setLoading(false);
    }
  }, [search, level, tag, enabled, sort, current, message]);
  useEffect(() => {
    void load();
  }, [load]);
  const loadValidation = useCallback(() => {
    api
      .get<RuleValidationResponse>('/api/v1/rules/validation')
      .then(setValidation)
      .catch(() => undefined);
  }, []);
  useEffect(loadValidation, [loadValidation]);

  const toggle = async (rule: RuleSummary, on: boolean) => {
    try {
      await api.patch(`/api/v1/rules/${encodeURIComponent(rule.id)}`, { enabled: on });
      message.success(t('rules.switched'));
      await load();
    } catch (caught) {
      message.error(caught instanceof Error ? caught.message : String(caught));
    }
  };
  const open = async (rule: RuleSummary) => {
    setDetail(await api.get<RuleDetailResponse>(`/api/v1/rules/${encodeURIComponent(rule.id)}`));
  };
  const submitImport = async () => {
    try {
      const result = await api.post<RuleImportResponse>('/api/v1/rules/import', { yaml });
      message.success(t('rules.imported', { imported: result.imported, files: result.files }));
      setImporting(false);
      setYaml('');
      loadValidation();
      await load();
    } catch (caught) {
      const rejected = caught instanceof ApiError ? (caught.details as { rejected?: { reason: string }[] }) : undefined;
      message.error(
        [caught instanceof Error ? caught.message : String(caught), ...(rejected?.rejected ?? []).map((r) => r.reason)]
          .join(' — ')
          .slice(0, 400),
      );
    }
  };
  const isAdmin = user?.role === 'admin';
  const filtersChanged =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setCurrent(1);
    };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%', marginTop: 8 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('rules.title')}
        </Typography.Title>
        {isAdmin && (
          <Button type="primary" onClick={() => setImporting(true)}>
            {t('rules.import')}
          </Button>
        )}
      </Space>
      <Tabs
        activeKey={tab}
        onChange={(key) => setSearchParams(key === 'suppressions' ? { tab: key } : {}, { replace: true })}
        items={[
          {
            key: 'rules',
            label: t('rules.tabRules'),
            children: (
              <Space direction="vertical" size="middle" style={{ width: '100%' }}>
                {validation && (
                  <Card size="small">
                    <Typography.Text>
                      {t('rules.loaded', {
                        count: validation.loaded,
                        files: validation.files,
                        correlations: validation.correlations,
                      })}
                    </Typography.Text>
                    {validation.rejected.length === 0 ? (
                      <Typography.Text type="success" style={{ marginLeft: 12 }}>
                        {t('rules.noRejected')}
                      </Typography.Text>
                    ) : (
                      <Alert
                        style={{ marginTop: 8 }}
                        type="warning"
                        showIcon
                        message={t('rules.rejected', { count: validation.rejected.length })}
                        description={
                          <ul style={{ margin: 0, paddingInlineStart: 18, maxHeight: 160, overflow: 'auto' }}>
                            {validation.rejected.slice(0, 50).map((rejection) => (
                              <li key={`${rejection.path}:${rejection.line}:${rejection.reason}`}>
                                <Typography.Text
                                  code
                                >{`${rejection.path.split('/').slice(-2).join('/')}:${rejection.line}`}</Typography.Text>{' '}
                                {rejection.reason}
                              </li>
                            ))}
                          </ul>
                        }
                      />
                    )}
                    {validation.warnings.length > 0 && (
                      <Alert
                        style={{ marginTop: 8 }}
                        type="info"
                        showIcon
                        message={t('rules.warnings', { count: validation.warnings.length })}
                        description={
                          <ul style={{ margin: 0, paddingInlineStart: 18, maxHeight: 160, overflow: 'auto' }}>
                            {validation.warnings.slice(0, 50).map((warning) => (
                              <li key={`${warning.path}:${warning.line}:${warning.reason}`}>
                                <Typography.Text
                                  code
                                >{`${warning.path.split('/').slice(-2).join('/')}:${warning.line}`}</Typography.Text>{' '}
                                {warning.reason}
                              </li>
                            ))}
                          </ul>
                        }
                      />
                    )}
                  </Card>
                )}
                <Space wrap>
                  <Input.Search
                    aria-label={t('rules.search')}
                    placeholder={t('rules.search')}
                    allowClear
                    onSearch={filtersChanged(setSearch)}
                    style={{ width: 300 }}
                  />
                  <Select
                    aria-label={t('rules.level')}
                    placeholder={t('rules.level')}
                    allowClear
                    value={level}
                    onChange={filtersChanged(setLevel)}
                    style={{ width: 140 }}
                    options={levels.map((value) => ({ value, label: t(`priority.${value}`) }))}
                  />
                  <Input.Search
                    aria-label={t('rules.technique')}
                    placeholder={t('rules.technique')}
                    allowClear
                    onSearch={filtersChanged(setTag)}
                    style={{ width: 240 }}
                  />
                  <Select
                    aria-label={t('rules.enabled')}
                    placeholder={t('rules.enabled')}
                    allowClear
                    value={enabled}
                    onChange={filtersChanged(setEnabled)}
                    style={{ width: 130 }}
                    options={[
                      { value: 'true', label: t('common.enabled') },
                      { value: 'false', label: t('common.disabled') },
                    ]}
                  />
                  <Select
                    aria-label="sort"
                    value={sort}
                    onChange={filtersChanged(setSort)}
                    style={{ width: 170 }}
                    options={[
                      { value: 'alerts', label: t('rules.alerts') },
                      { value: 'level', label: t('rules.level') },
                      { value: 'title', label: t('common.name') },
                    ]}
                  />
                </Space>
                <Table<RuleSummary>
                  size="small"
                  rowKey="id"
                  loading={loading}
                  dataSource={[...(page?.rules ?? [])]}
                  tableLayout="fixed"
                  pagination={{
                    current,
                    pageSize,
                    total: page?.total ?? 0,
                    showSizeChanger: false,
                    showTotal: (total) => `${t('common.total')}: ${total}`,
                    onChange: setCurrent,
                  }}
                  columns={[
                    {
                      title: t('common.name'),
                      render: (_, rule) => (
                        <Space direction="vertical" size={0}>
                          <Typography.Link onClick={() => void open(rule)}>{rule.title}</Typography.Link>
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            {t('rules.author')}: {rule.author ?? '—'}
                          </Typography.Text>
                        </Space>
                      ),
                    },
                    { title: t('rules.level'), width: 110, render: (_, rule) => <LevelTag level={rule.level} /> },
                    { title: t('rules.kind'), dataIndex: 'kind', width: 110 },
                    {
                      title: t('rules.attack'),
                      width: 200,
                      render: (_, rule) =>
                        rule.attack.techniques.slice(0, 3).map((technique) => (
                          <Tag key={technique.id} title={technique.name}>
                            {technique.id}
                          </Tag>
                        )),
                    },
                    {
                      title: t('rules.alerts'),
                      width: 150,
                      render: (_, rule) => `${rule.alerts.total} / ${rule.alerts.last24h}`,
                    },
                    {
                      title: t('rules.falsePositive'),
                      width: 120,
                      render: (_, rule) =>
                        rule.alerts.falsePositiveShare === null
                          ? '—'
                          : `${Math.round(rule.alerts.falsePositiveShare * 100)}% (${rule.alerts.judged})`,
                    },
                    {
                      title: t('rules.enabled'),
                      width: 90,
                      render: (_, rule) => (
                        <Switch
                          size="small"
                          checked={rule.enabled}
                          disabled={!isAdmin}
                          aria-label={`${t('rules.enabled')}: ${rule.title}`}
                          onChange={(on) => void toggle(rule, on)}
                        />
                      ),
                    },
                  ]}
                />
              </Space>
            ),
          },
          { key: 'suppressions', label: t('rules.tabSuppressions'), children: <SuppressionsTab /> },
        ]}
      />
      <Drawer width={720} open={detail !== undefined} onClose={() => setDetail(undefined)} title={detail?.rule.title}>
        {detail && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Space wrap>
              <LevelTag level={detail.rule.level} />
              {detail.rule.status && <Tag>{detail.rule.status}</Tag>}
              {detail.rule.attack.tactics.map((tactic) => (
                <Tag key={tactic.id}>{tactic.name ?? tactic.id}</Tag>
              ))}
            </Space>
            <Typography.Text>
              {t('rules.author')}: {detail.rule.author ?? '—'}
            </Typography.Text>
            {detail.rule.description && <Typography.Paragraph>{detail.rule.description}</Typography.Paragraph>}
            <Typography.Text type="secondary">{`${detail.rule.path}:${detail.rule.line}`}</Typography.Text>
            <pre style={{ fontSize: 12, maxHeight: 520, overflow: 'auto', margin: 0 }}>{detail.source}</pre>
          </Space>
        )}
      </Drawer>
      <Modal
        open={importing}
        title={t('rules.import')}
        onCancel={() => setImporting(false)}
        onOk={() => void submitImport()}
        okButtonProps={{ disabled: !yaml.trim() }}
        width={720}
      >
        <Input.TextArea
          aria-label={t('rules.importYaml')}
          placeholder={t('rules.importYaml')}
          rows={14}
          value={yaml}
          onChange={(event) => setYaml(event.target.value)}
          style={{ fontFamily: 'monospace' }}
        />
      </Modal>
    </Space>
  );
}
