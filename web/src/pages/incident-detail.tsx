// One incident, end to end: summary and triage explanation, priority breakdown, the digital
// analyst's report with clickable evidence, timeline, entity graph, alerts (with rule authors),
// raw events, and the analyst's actions (assign, status, verdict feedback, investigate).
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Input,
  List,
  Modal,
  Row,
  Select,
  Space,
  Spin,
  Table,
  Tabs,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import type { StoredChatTurn } from '../../../src/analyst/analyst.ts';
import type { InvestigationJob } from '../../../src/analyst/investigation-jobs.ts';
import type { InvestigationReport } from '../../../src/analyst/investigation-report.ts';
import type { Alert as VigilAlert } from '../../../src/model/alert.ts';
import type { IncidentDetailResponse } from '../../../src/model/console-api.ts';
import type { IncidentStatus, Verdict } from '../../../src/model/incident.ts';
import type { StoredEvent } from '../../../src/model/query.ts';
import { ApiError, api } from '../api/client.ts';
import { LevelTag, PriorityBadge, StatusTag, VerdictTag } from '../components/badges.tsx';
import { EntityGraph } from '../components/entity-graph.tsx';
import { useThemeName } from '../components/theme-name.ts';
import { growthText } from '../i18n/growth.ts';
import { usePhrase } from '../i18n/phrase.ts';
import { useSession } from '../session.tsx';

type ChatTurn = StoredChatTurn;

const suppressDays = [1, 7, 30, 90, 365] as const;

function eventField(alert: VigilAlert, namespace: string): string {
  const value = (alert.event?.[namespace] as { name?: unknown } | undefined)?.name;
  return typeof value === 'string' ? value : (alert.groupBy?.[`${namespace}.name`] ?? '');
}

/** Suppress one alert's rule on its host and user (prefilled, editable), with a reason and an expiry. */
function SuppressDialog({ alert, onClose }: { alert: VigilAlert | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [host, setHost] = useState('');
  const [user, setUser] = useState('');
  const [reason, setReason] = useState('');
  const [days, setDays] = useState<number>(30);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (!alert) return;
    setHost(eventField(alert, 'host'));
    setUser(eventField(alert, 'user'));
    setReason('');
    setDays(30);
  }, [alert]);
  const submit = async () => {
    if (!alert) return;
    if (!reason.trim()) {
      message.warning(t('suppress.reasonRequired'));
      return;
    }
    const match: Record<string, string> = {};
    if (host.trim()) match['host.name'] = host.trim();
    if (user.trim()) match['user.name'] = user.trim();
    setSaving(true);
    try {
      await api.post('/api/v1/suppressions', {
        ruleId: alert.rule.id,
        unit: alert.unit,
        match,
        reason: reason.trim(),
        expiresAt: Date.now() + days * 86_400_000,
      });
      message.success(t('suppress.created'));
      onClose();
    } catch (error) {
      message.error(error instanceof ApiError ? error.message : t('common.error'));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={alert !== undefined}
      title={t('suppress.title')}
      okText={t('suppress.create')}
      confirmLoading={saving}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {alert && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text strong>{alert.rule.title}</Typography.Text>
          <Typography.Text type="secondary">{t('suppress.explain')}</Typography.Text>
          <Input addonBefore="host.name" value={host} onChange={(event) => setHost(event.target.value)} />
          <Input addonBefore="user.name" value={user} onChange={(event) => setUser(event.target.value)} />
          <Input.TextArea
            rows={3}
            placeholder={t('suppress.reason')}
            value={reason}
            maxLength={2000}
            onChange={(event) => setReason(event.target.value)}
          />
          <Space>
            <Typography.Text>{t('suppress.expiry')}</Typography.Text>
            <Select
              style={{ width: 140 }}
              value={days}
              onChange={setDays}
              options={suppressDays.map((count) => ({ value: count, label: t('suppress.days', { count }) }))}
            />
          </Space>
        </Space>
      )}
    </Modal>
  );
}

/** Questions to the digital analyst about this incident; answers cite checked ids. */
function AnalystChat({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const say = usePhrase();
  const { message } = AntApp.useApp();
  const [turns, setTurns] = useState<readonly ChatTurn[]>([]);
  const [question, setQuestion] = useState('');
  const [asking, setAsking] = useState(false);
  useEffect(() => {
    api
      .get<{ turns: ChatTurn[] }>(`/api/v1/incidents/${incidentId}/chat`)
      .then((response) => setTurns(response.turns))
      .catch(() => undefined);
  }, [incidentId]);
  const ask = async () => {
    const text = question.trim();
    if (!text) return;
    setAsking(true);
    try {
      const response = await api.post<{ turns: ChatTurn[] }>(`/api/v1/incidents/${incidentId}/chat`, {
        question: text,
      });
      setTurns(response.turns);
      setQuestion('');
    } catch (caught) {
      message.error(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setAsking(false);
    }
  };
  return (
    <Card size="small" title={t('incidents.chat')}>
      <List
        size="small"
        dataSource={[...turns]}
        locale={{ emptyText: ' ' }}
        style={{ maxHeight: 360, overflow: 'auto', marginBottom: 8 }}
        renderItem={(turn) => (
          <List.Item style={{ display: 'block' }}>
            <Typography.Text strong type={turn.role === 'user' ? undefined : 'success'}>
              {turn.role === 'user' ? (turn.actor ?? t('incidents.you')) : t('incidents.analyst')}
            </Typography.Text>{' '}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {new Date(turn.at).toLocaleTimeString()}
            </Typography.Text>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: '4px 0 0' }}>
              {turn.answer?.answerPhrases
                ? turn.answer.answerPhrases.map((phrase) => say(phrase, '')).join('\n\n') || turn.content
                : turn.content}
            </Typography.Paragraph>
          </List.Item>
        )}
      />
      <Space.Compact style={{ width: '100%' }}>
        <Input
          aria-label={t('incidents.chat')}
          placeholder={t('incidents.chatPlaceholder')}
          value={question}
          onChange={(event) => setQuestion(event.target.value)}
          onPressEnter={() => void ask()}
          disabled={asking}
        />
        <Button type="primary" loading={asking} onClick={() => void ask()}>
          {t('incidents.send')}
        </Button>
      </Space.Compact>
    </Card>
  );
}

export function IncidentDetailPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const say = usePhrase();
  const { message } = AntApp.useApp();
  const { user } = useSession();
  const [detail, setDetail] = useState<IncidentDetailResponse | undefined>();
  const [report, setReport] = useState<InvestigationReport | undefined>();
  const [jobs, setJobs] = useState<readonly InvestigationJob[]>([]);
  const [investigating, setInvestigating] = useState(false);
  const [progress, setProgress] = useState<string | undefined>();
  const stream = useRef<EventSource | undefined>(undefined);
  const themeName = useThemeName();
  const [highlight, setHighlight] = useState<string[]>([]);
  const [tab, setTab] = useState('alerts');
  const [suppressing, setSuppressing] = useState<VigilAlert | undefined>();
  const tabs = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | undefined>();

  const load = useCallback(async () => {
    try {
      setDetail(await api.get<IncidentDetailResponse>(`/api/v1/incidents/${id}`));
      const latest = await api
        .get<{ report?: InvestigationReport }>(`/api/v1/incidents/${id}/investigations/latest`)
        .catch(() => ({ report: undefined }));
      setReport(latest.report);
      const history = await api
        .get<{ jobs: InvestigationJob[] }>('/api/v1/investigations', { incidentId: id })
        .catch(() => ({ jobs: [] }));
      setJobs(history.jobs);
    } catch (caught) {
      setError(caught instanceof ApiError ? `${caught.code}: ${caught.message}` : String(caught));
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => () => stream.current?.close(), []);

  const update = async (change: { status?: IncidentStatus; analystVerdict?: Verdict; assignee?: string }) => {
    await api.patch(`/api/v1/incidents/${id}`, change);
    message.success(t('incidents.saved'));
    await load();
  };

  // The investigation runs as a background job: follow its progress over SSE, then show the report.
  const investigate = async () => {
    setInvestigating(true);
    setProgress(t('incidents.queued'));
    const finish = async (job?: InvestigationJob) => {
      stream.current?.close();
      stream.current = undefined;
      setInvestigating(false);
      setProgress(undefined);
      if (job?.status === 'failed') message.error(t('incidents.failed', { message: job.error?.message ?? '' }));
      await load();
    };
    try {
      const started = await api.post<{ job: InvestigationJob; events: string; report?: InvestigationReport }>(
        `/api/v1/incidents/${id}/investigations`,
        {},
      );
      if (started.report) {
        setReport(started.report);
        await finish();
        return;
      }
      const source = new EventSource(started.events);
      stream.current = source;
      const onEvent = (event: MessageEvent<string>) => {
        const data = JSON.parse(event.data) as {
          status?: InvestigationJob['status'];
          progress?: { message: string };
          job?: InvestigationJob;
        };
        if (data.progress) setProgress(t('incidents.running', { step: data.progress.message }));
        if (data.status === 'succeeded' || data.status === 'failed') void finish(data.job);
      };
      source.addEventListener('status', onEvent);
      source.addEventListener('progress', onEvent);
      source.addEventListener('end', () => void finish());
      source.onerror = () => {
        // The stream ended or broke: read the job's final state instead of guessing.
        if (source.readyState === EventSource.CLOSED)
          void api
            .get<{ job: InvestigationJob }>(`/api/v1/investigations/${started.job.id}`)
            .then((response) => finish(response.job))
            .catch(() => finish());
      };
    } catch (caught) {
      message.error(caught instanceof Error ? caught.message : String(caught));
      setInvestigating(false);
      setProgress(undefined);
    }
  };

  if (error) return <Alert type="error" showIcon message={error} />;
  if (!detail) return <Spin style={{ display: 'block', marginTop: 80 }} />;
  const { incident } = detail;
  const cited = (ids: readonly string[]) =>
    ids.map((citedId) => (
      <Tag
        key={citedId}
        color={report?.citations.invalidIds.includes(citedId) ? 'red' : 'blue'}
        style={{ cursor: 'pointer' }}
        onClick={() => {
          // Evidence is clickable: open the tab that holds the cited alert or event and show it.
          setHighlight([citedId]);
          setTab(detail.events.some((event) => event.id === citedId) ? 'events' : 'alerts');
          tabs.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
        }}
      >
        {citedId.slice(-8)}
        {report?.citations.invalidIds.includes(citedId) ? ` (${t('incidents.invalidCitation')})` : ''}
      </Tag>
    ));

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%', marginTop: 8 }}>
      <SuppressDialog alert={suppressing} onClose={() => setSuppressing(undefined)} />
      <Space align="center" wrap>
        <PriorityBadge priority={incident.priority} />
        <Typography.Title level={3} style={{ margin: 0 }}>
          {say(incident.titlePhrase, incident.title)}
        </Typography.Title>
        <StatusTag status={incident.status} />
        <VerdictTag verdict={incident.analystVerdict ?? incident.triage?.verdict} />
      </Space>
      <Card size="small" title={t('incidents.actions')}>
        <Space wrap>
          <Button
            onClick={() =>
              void update({
                assignee: user?.username,
                status: incident.status === 'new' ? 'in_progress' : incident.status,
              })
            }
          >
            {t('incidents.assignToMe')}
          </Button>
          <Select
            aria-label={t('incidents.setStatus')}
            placeholder={t('incidents.setStatus')}
            style={{ width: 170 }}
            value={incident.status}
            onChange={(status: IncidentStatus) => void update({ status })}
            options={(['new', 'in_progress', 'escalated', 'resolved', 'closed'] as const).map((value) => ({
              value,
              label: t(`incidents.status_${value}`),
            }))}
          />
          <Select
            aria-label={t('incidents.feedback')}
            placeholder={t('incidents.feedback')}
            style={{ width: 170 }}
            value={incident.analystVerdict}
            onChange={(analystVerdict: Verdict) => void update({ analystVerdict })}
            options={(['malicious', 'suspicious', 'benign'] as const).map((value) => ({
              value,
              label: t(`incidents.verdict_${value}`),
            }))}
          />
          <Button type="primary" loading={investigating} onClick={() => void investigate()}>
            {investigating ? t('incidents.investigating') : t('incidents.investigate')}
          </Button>
          {progress && <Typography.Text type="secondary">{progress}</Typography.Text>}
        </Space>
        {jobs.length > 0 && (
          <div style={{ marginTop: 8 }}>
            <Typography.Text type="secondary">{t('incidents.investigations')}: </Typography.Text>
            {jobs.slice(0, 5).map((job) => (
              <div key={job.id}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {`${new Date(job.createdAt).toLocaleString()} · ${t(`incidents.jobTrigger_${job.trigger}`, {
                    who: job.requestedBy,
                    reason: job.reason ? growthText(job.reason, t) : '',
                  })} · ${t(`incidents.jobStatus_${job.status}`)}`}
                </Typography.Text>
              </div>
            ))}
          </div>
        )}
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('incidents.summary')}>
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={t('common.unit')}>{incident.unit}</Descriptions.Item>
              <Descriptions.Item label={t('incidents.alerts')}>{incident.alertCount}</Descriptions.Item>
              <Descriptions.Item label={t('incidents.lastSeen')}>
                {new Date(incident.firstSeen).toLocaleString()} – {new Date(incident.lastSeen).toLocaleString()}
              </Descriptions.Item>
              <Descriptions.Item label={t('incidents.tactics')}>
                <div style={{ display: 'flex', flexWrap: 'wrap', gap: 4 }}>
                  {incident.tactics.map((tactic) => (
                    <Tag key={tactic.id} style={{ marginInlineEnd: 0 }}>
                      {tactic.name ?? tactic.id}
                    </Tag>
                  ))}
                </div>
              </Descriptions.Item>
              <Descriptions.Item label={t('incidents.assignee')}>{incident.assignee ?? '—'}</Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('incidents.why')}>
            {incident.triage ? (
              <List
                size="small"
                dataSource={[...incident.triage.reasons]}
                renderItem={(reason) => (
                  <List.Item>
                    <Typography.Text>{say(reason.phrase, reason.text)}</Typography.Text>
                    <Tag color={reason.contribution > 0 ? 'red' : 'green'}>
                      {reason.contribution > 0 ? '+' : ''}
                      {reason.contribution.toFixed(2)}
                    </Tag>
                  </List.Item>
                )}
              />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
            )}
            <Typography.Text strong>{t('incidents.priorityWhy')}</Typography.Text>
            <List
              size="small"
              dataSource={[...detail.priorityParts]}
              renderItem={(part) => (
                <List.Item>{`${say(part.phrase, part.text)} (+${part.points.toFixed(1)})`}</List.Item>
              )}
            />
          </Card>
        </Col>
      </Row>
      {!report && <Alert type="info" showIcon message={t('incidents.noReport')} />}
      {report && (
        <Card
          size="small"
          title={`${t('incidents.report')} — ${report.generator.kind === 'llm' ? t('incidents.generatorLlm') : t('incidents.generatorDeterministic')}${report.generator.model ? ` (${report.generator.model})` : ''}`}
        >
          <Space direction="vertical" style={{ width: '100%' }}>
            <Space>
              <VerdictTag verdict={report.verdict} />
              <Typography.Text type="secondary">{Math.round(report.confidence * 100)}%</Typography.Text>
              <Typography.Text type="secondary">
                {report.citations.valid}/{report.citations.total} ✓
              </Typography.Text>
            </Space>
            <Typography.Paragraph>{say(report.summaryPhrase, report.summary)}</Typography.Paragraph>
            {report.basis &&
              (incident.alertCount > report.basis.alertCount || incident.priority > report.basis.priority ? (
                <Alert
                  type="warning"
                  showIcon
                  message={`${t('incidents.reportBasis', { priority: report.basis.priority, alerts: report.basis.alertCount })} ${t('incidents.reportStale', { priority: incident.priority, alerts: incident.alertCount })}`}
                />
              ) : (
                <Typography.Text type="secondary">
                  {t('incidents.reportBasis', { priority: report.basis.priority, alerts: report.basis.alertCount })}
                </Typography.Text>
              ))}
            <Typography.Text strong>{t('incidents.storyline')}</Typography.Text>
            <Timeline
              items={report.storyline.map((step) => ({
                children: (
                  <>
                    <Typography.Text type="secondary">{new Date(step.time).toLocaleString()} </Typography.Text>
                    {say(step.phrase, step.description)} {cited([...step.alertIds, ...step.eventIds])}
                  </>
                ),
              }))}
            />
            <Typography.Text strong>{t('incidents.evidence')}</Typography.Text>
            <List
              size="small"
              dataSource={[...report.evidence]}
              renderItem={(claim) => (
                <List.Item>
                  {say(claim.phrase, claim.claim)} {cited([...claim.alertIds, ...claim.eventIds])}
                </List.Item>
              )}
            />
            <Typography.Text strong>{t('incidents.recommendations')}</Typography.Text>
            <List
              size="small"
              dataSource={[...report.recommendations]}
              renderItem={(item) => (
                <List.Item>{`${say(item.actionPhrase, item.action)}${item.target ? ` — ${item.target}` : ''}: ${say(item.rationalePhrase, item.rationale)}`}</List.Item>
              )}
            />
            {report.openQuestions.length > 0 && (
              <>
                <Typography.Text strong>{t('incidents.openQuestions')}</Typography.Text>
                <List
                  size="small"
                  dataSource={report.openQuestions.map((question, index) =>
                    say(report.openQuestionPhrases?.[index], question),
                  )}
                  renderItem={(question) => <List.Item>{question}</List.Item>}
                />
              </>
            )}
          </Space>
        </Card>
      )}
      <div ref={tabs} style={{ scrollMarginTop: 16 }} />
      <Card size="small">
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            {
              key: 'alerts',
              label: `${t('overview.alerts')} (${detail.alerts.length})`,
              children: (
                <Table<VigilAlert>
                  size="small"
                  rowKey="id"
                  dataSource={[...detail.alerts]}
                  rowClassName={(row) => (highlight.includes(row.id) ? 'ant-table-row-selected' : '')}
                  columns={[
                    {
                      title: t('common.time'),
                      width: 180,
                      render: (_, row) => new Date(row['@timestamp']).toLocaleString(),
                    },
                    { title: t('incidents.rule'), render: (_, row) => row.rule.title },
                    {
                      title: t('incidents.level'),
                      width: 100,
                      render: (_, row) => <LevelTag level={row.rule.level} />,
                    },
                    { title: t('incidents.author'), width: 200, render: (_, row) => row.rule.author ?? '—' },
                    {
                      title: 'ATT&CK',
                      width: 200,
                      render: (_, row) =>
                        row.attack?.techniques.map((technique) => <Tag key={technique.id}>{technique.id}</Tag>),
                    },
                    {
                      title: '',
                      width: 100,
                      render: (_, row) =>
                        row.suppressed ? (
                          <Tag>{t('suppress.suppressed')}</Tag>
                        ) : (
                          <Button size="small" onClick={() => setSuppressing(row)}>
                            {t('suppress.action')}
                          </Button>
                        ),
                    },
                  ]}
                />
              ),
            },
            {
              key: 'timeline',
              label: t('incidents.timeline'),
              children: (
                <Timeline
                  items={[...detail.groups]
                    .sort((a, b) => a.firstSeen - b.firstSeen)
                    .map((group) => ({
                      color:
                        group.level === 'critical' || group.level === 'high'
                          ? 'red'
                          : group.level === 'medium'
                            ? 'orange'
                            : 'blue',
                      children: `${new Date(group.firstSeen).toLocaleString()} — ${group.ruleTitle} ×${group.count}`,
                    }))}
                />
              ),
            },
            {
              key: 'graph',
              label: t('incidents.graph'),
              children: <EntityGraph groups={detail.groups} entities={incident.entities} dark={themeName === 'dark'} />,
            },
            {
              key: 'events',
              label: `${t('incidents.rawEvents')} (${detail.events.length})`,
              children: (
                <Table<StoredEvent>
                  size="small"
                  rowKey="id"
                  dataSource={[...detail.events]}
                  rowClassName={(row) => (highlight.includes(row.id) ? 'ant-table-row-selected' : '')}
                  expandable={{
                    expandedRowRender: (row) => (
                      <pre style={{ margin: 0, maxHeight: 400, overflow: 'auto', fontSize: 12 }}>
                        {JSON.stringify(row.event, null, 2)}
                      </pre>
                    ),
                  }}
                  columns={[
                    { title: 'id', dataIndex: 'id', width: 120, render: (value: string) => value.slice(-8) },
                    {
                      title: t('common.time'),
                      width: 180,
                      render: (_, row) => new Date(row.event['@timestamp']).toLocaleString(),
                    },
                    {
                      title: 'event',
                      render: (_, row) =>
                        String(row.event.message ?? (row.event.event as { action?: string } | undefined)?.action ?? ''),
                    },
                  ]}
                />
              ),
            },
          ]}
        />
      </Card>
      <AnalystChat incidentId={incident.id} />
    </Space>
  );
}
