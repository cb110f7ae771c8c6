// Rules: the loaded detection and correlation rules with search, level, ATT&CK technique and
// enabled filters, noise statistics (alerts, share judged benign), a live on/off switch, the
// validation errors of the last load, and importing Sigma YAML. Authors are always shown
// (Detection Rule License).
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Drawer,
  Input,
  Modal,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlertLevel } from '../../../src/model/alert.ts';
import type {
  RuleDetailResponse,
  RuleImportResponse,
  RuleListResponse,
  RuleSummary,
  RuleValidationResponse,
} from '../../../src/model/console-api.ts';
import { ApiError, api } from '../api/client.ts';
import { LevelTag } from '../components/badges.tsx';
import { useSession } from '../session.tsx';

const levels: AlertLevel[] = ['critical', 'high', 'medium', 'low', 'informational'];
const pageSize = 25;

export function RulesPage() {
  const { t } = useTranslation();
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
