// The incident queue: what needs attention first, with filters, sort, priority and verdict
// badges, and bulk actions. Held-back incidents stay one click away with their reason.
import { App as AntApp, Button, Input, Segmented, Select, Space, Table, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { IncidentListResponse } from '../../../src/model/console-api.ts';
import type { Incident, IncidentStatus, Verdict } from '../../../src/model/incident.ts';
import { api } from '../api/client.ts';
import { PriorityBadge, StatusTag, VerdictTag } from '../components/badges.tsx';
import { usePhrase } from '../i18n/phrase.ts';
import { useSession } from '../session.tsx';

type Attention = 'needs' | 'held' | 'all';

/** The queue's default view: open incidents needing attention, by priority. */
const defaultQuery = { needsAttention: 'true', status: 'open', sort: 'priority', limit: 50 } as const;

/**
 * Opened at /incidents, the default view's first page is asked for as soon as this code loads, so
 * the request runs while the console renders its first frame instead of after it (first load ≤ 2 s).
 * Used once; a failure falls back to asking again.
 */
let prefetched: Promise<IncidentListResponse | undefined> | undefined =
  location.pathname === '/incidents'
    ? api.get<IncidentListResponse>('/api/v1/incidents', defaultQuery).catch(() => undefined)
    : undefined;

export function IncidentsPage() {
  const { t } = useTranslation();
  const say = usePhrase();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const { user } = useSession();
  const [attention, setAttention] = useState<Attention>('needs');
  const [status, setStatus] = useState<IncidentStatus | 'open' | undefined>('open');
  const [verdict, setVerdict] = useState<Verdict | undefined>();
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<'priority' | 'lastSeen'>('priority');
  const [page, setPage] = useState<IncidentListResponse | undefined>();
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);

  const load = useCallback(
    async (cursor?: string) => {
      setLoading(true);
      try {
        const query = {
          needsAttention: attention === 'all' ? undefined : attention === 'needs' ? 'true' : 'false',
          status,
          verdict,
          q: search || undefined,
          sort,
          limit: 50,
          cursor,
        };
        const early = prefetched;
        prefetched = undefined;
        const isDefault =
          query.needsAttention === defaultQuery.needsAttention &&
          query.status === defaultQuery.status &&
          query.sort === defaultQuery.sort &&
          !query.verdict &&
          !query.q &&
          !query.cursor;
        const response =
          (isDefault ? await early : undefined) ?? (await api.get<IncidentListResponse>('/api/v1/incidents', query));
        setPage((previous) =>
          cursor && previous ? { ...response, incidents: [...previous.incidents, ...response.incidents] } : response,
        );
      } finally {
        setLoading(false);
      }
    },
    [attention, status, verdict, search, sort],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const bulk = async (update: Record<string, unknown>) => {
    await Promise.all(selected.map((id) => api.patch(`/api/v1/incidents/${id}`, update)));
    message.success(t('incidents.saved'));
    setSelected([]);
    await load();
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: '8px 0 0' }}>
        {t('incidents.title')}
      </Typography.Title>
      <Space wrap>
        <Segmented
          value={attention}
          onChange={(value) => setAttention(value as Attention)}
          options={[
            { value: 'needs', label: t('incidents.needsAttention') },
            { value: 'held', label: t('incidents.heldBack') },
            { value: 'all', label: t('incidents.all') },
          ]}
        />
        <Select
          aria-label={t('incidents.status')}
          allowClear
          placeholder={t('incidents.status')}
          value={status}
          onChange={setStatus}
          style={{ width: 150 }}
          options={[
            { value: 'open', label: `${t('incidents.status_new')} + ${t('incidents.status_in_progress')}` },
            ...(['new', 'in_progress', 'escalated', 'resolved', 'closed'] as const).map((value) => ({
              value,
              label: t(`incidents.status_${value}`),
            })),
          ]}
        />
        <Select
          aria-label={t('incidents.verdict')}
          allowClear
          placeholder={t('incidents.verdict')}
          value={verdict}
          onChange={setVerdict}
          style={{ width: 140 }}
          options={(['malicious', 'suspicious', 'benign'] as const).map((value) => ({
            value,
            label: t(`incidents.verdict_${value}`),
          }))}
        />
        <Input.Search
          aria-label={t('incidents.search')}
          placeholder={t('incidents.search')}
          allowClear
          onSearch={setSearch}
          style={{ width: 240 }}
        />
        <Select
          aria-label="sort"
          value={sort}
          onChange={setSort}
          style={{ width: 150 }}
          options={[
            { value: 'priority', label: t('incidents.priority') },
            { value: 'lastSeen', label: t('incidents.lastSeen') },
          ]}
        />
        {selected.length > 0 && (
          <Space>
            <Typography.Text>{t('incidents.selected', { count: selected.length })}</Typography.Text>
            <Button onClick={() => void bulk({ assignee: user?.username, status: 'in_progress' })}>
              {t('incidents.assignToMe')}
            </Button>
            <Button onClick={() => void bulk({ status: 'resolved' })}>{t('incidents.markResolved')}</Button>
          </Space>
        )}
      </Space>
      <Table<Incident>
        size="middle"
        rowKey="id"
        loading={loading}
        dataSource={[...(page?.incidents ?? [])]}
        pagination={false}
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }}
        onRow={(row) => ({ onClick: () => navigate(`/incidents/${row.id}`), style: { cursor: 'pointer' } })}
        columns={[
          {
            title: t('incidents.priority'),
            dataIndex: 'priority',
            width: 90,
            render: (value: number) => <PriorityBadge priority={value} />,
          },
          {
            title: t('incidents.incident'),
            dataIndex: 'title',
            render: (title: string, row) => (
              <Space direction="vertical" size={0}>
                <Typography.Text strong>{say(row.titlePhrase, title)}</Typography.Text>
                {row.heldBackReason && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('incidents.heldBackReason', { reason: say(row.heldBackPhrase, row.heldBackReason) })}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: t('incidents.verdict'),
            width: 120,
            render: (_, row) => (
              <Tooltip title={row.triage?.reasons[0] && say(row.triage.reasons[0].phrase, row.triage.reasons[0].text)}>
                {<VerdictTag verdict={row.analystVerdict ?? row.triage?.verdict} />}
              </Tooltip>
            ),
          },
          {
            title: t('incidents.status'),
            dataIndex: 'status',
            width: 120,
            render: (value: IncidentStatus) => <StatusTag status={value} />,
          },
          { title: t('common.unit'), dataIndex: 'unit', width: 130 },
          { title: t('incidents.alerts'), dataIndex: 'alertCount', width: 90 },
          { title: t('incidents.assignee'), dataIndex: 'assignee', width: 120 },
          {
            title: t('incidents.lastSeen'),
            dataIndex: 'lastSeen',
            width: 180,
            render: (value: number) => new Date(value).toLocaleString(),
          },
        ]}
      />
      {page?.nextCursor && <Button onClick={() => void load(page.nextCursor)}>{t('hunt.loadMore')}</Button>}
      {page && (
        <Typography.Text type="secondary">
          {t('common.total')}: {page.total}
        </Typography.Text>
      )}
    </Space>
  );
}
