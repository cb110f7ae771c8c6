// Overview for SOC managers: the noise funnel with the reduction, KPIs, ATT&CK heatmap, alerts
// over time, top entities and per-unit risk. Every number comes from the API (stored facts).
import { Card, Col, Empty, List, Row, Segmented, Spin, Statistic, Table, Tooltip, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { tacticRank } from '../../../src/detect/attack/tactic-order.ts';
import type { Alert } from '../../../src/model/alert.ts';
import type { AlertListResponse, OverviewResponse } from '../../../src/model/console-api.ts';
import { api } from '../api/client.ts';
import { LevelTag } from '../components/badges.tsx';
import { EChart, timeAxisLabels } from '../components/echart.tsx';

const periods = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
const liveAlertCount = 12;
/** What the live list shows of an alert (the stream sends these fields, the list API more). */
type LiveAlert = Pick<Alert, 'id' | '@timestamp' | 'unit'> & {
  readonly rule: Pick<Alert['rule'], 'id' | 'title' | 'level' | 'author'>;
};

/** The newest live alerts: the latest from the API, then each new one as detection raises it (SSE). */
function LiveAlerts() {
  const { t } = useTranslation();
  const [alerts, setAlerts] = useState<readonly LiveAlert[] | undefined>();
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    let cancelled = false;
    const load = () =>
      api
        .get<AlertListResponse>('/api/v1/alerts', { origin: 'live', limit: liveAlertCount })
        .then((response) => !cancelled && setAlerts(response.alerts))
        .catch(() => undefined);
    void load();
    // The browser reconnects by itself; after a gap, the list is loaded again so nothing is missed.
    const source = new EventSource('/api/v1/alerts/stream');
    let wasOpen = false;
    source.onopen = () => {
      if (wasOpen) void load();
      wasOpen = true;
      setConnected(true);
    };
    source.onerror = () => setConnected(false);
    source.addEventListener('alert', (message) => {
      const alert = JSON.parse((message as MessageEvent<string>).data) as LiveAlert;
      setAlerts((current) =>
        [alert, ...(current ?? []).filter((item) => item.id !== alert.id)].slice(0, liveAlertCount),
      );
    });
    return () => {
      cancelled = true;
      source.close();
    };
  }, []);
  return (
    <Card
      title={t('overview.liveAlerts')}
      size="small"
      extra={
        <Typography.Text type={connected ? 'success' : 'secondary'}>
          {t(connected ? 'overview.liveNote' : 'overview.liveReconnecting')}
        </Typography.Text>
      }
    >
      <List
        size="small"
        loading={alerts === undefined}
        dataSource={[...(alerts ?? [])]}
        locale={{ emptyText: t('overview.noAlerts') }}
        style={{ height: 420, overflow: 'auto' }}
        renderItem={(alert) => (
          <List.Item style={{ display: 'block' }}>
            <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
              <LevelTag level={alert.rule.level} />
              <Typography.Text ellipsis style={{ flex: 1 }} title={alert.rule.title}>
                {alert.rule.title}
              </Typography.Text>
            </div>
            <Typography.Text
              type="secondary"
              style={{ fontSize: 12, display: 'block' }}
              ellipsis={{ tooltip: alert.rule.author }}
            >
              {new Date(alert['@timestamp']).toLocaleTimeString()} · {alert.unit}
              {alert.rule.author ? ` · ${alert.rule.author}` : ''}
            </Typography.Text>
          </List.Item>
        )}
      />
    </Card>
  );
}

export function OverviewPage() {
  const { t } = useTranslation();
  const [period, setPeriod] = useState<keyof typeof periods>('7d');
  const [data, setData] = useState<OverviewResponse | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    const to = Date.now();
    api
      .get<OverviewResponse>('/api/v1/overview', { from: to - periods[period], to })
      .then((response) => {
        setData(response);
        setError(undefined);
      })
      .catch((caught: Error) => setError(caught.message));
  }, [period]);

  const funnel = data?.funnel;
  const funnelOption = useMemo(() => {
    if (!funnel) return {};
    const stages = [
      [t('overview.events'), funnel.events],
      [t('overview.alerts'), funnel.alerts],
      [t('overview.alertGroups'), funnel.alertGroups],
      [t('overview.incidents'), funnel.incidents],
      [t('overview.needingAttention'), funnel.needingAttention],
      [t('overview.escalated'), funnel.escalated],
    ] as const;
    return {
      tooltip: { trigger: 'item' },
      grid: { left: 110, right: 60, top: 8, bottom: 8 },
      xAxis: { type: 'log', show: false, min: 1 },
      yAxis: { type: 'category', inverse: true, data: stages.map(([name]) => name) },
      series: [
        {
          type: 'bar',
          data: stages.map(([, value]) => Math.max(value, 1)),
          label: {
            show: true,
            position: 'right',
            formatter: (params: { dataIndex: number }) => String(stages[params.dataIndex]![1]),
          },
          itemStyle: {
            color: (params: { dataIndex: number }) =>
              ['#8c8c8c', '#1668dc', '#2f54eb', '#722ed1', '#cf1322', '#fa541c'][params.dataIndex],
          },
        },
      ],
    };
  }, [funnel, t]);

  const heatmapOption = useMemo(() => {
    const cells = data?.attack ?? [];
    // Tactics in kill-chain order; the most frequent techniques first (a heatmap of hundreds is unreadable).
    const tactics = [
      ...new Map(cells.map((cell) => [cell.tactic.id, cell.tactic.name ?? cell.tactic.id])).entries(),
    ].sort(([a], [b]) => tacticRank(a) - tacticRank(b));
    const totals = new Map<string, { name: string; count: number }>();
    for (const cell of cells) {
      const entry = totals.get(cell.technique.id) ?? {
        name: `${cell.technique.id} ${cell.technique.name ?? ''}`.trim(),
        count: 0,
      };
      entry.count += cell.count;
      totals.set(cell.technique.id, entry);
    }
    const techniques = [...totals.entries()]
      .sort(([, a], [, b]) => b.count - a.count)
      .slice(0, 20)
      .map(([id, entry]) => [id, entry.name] as const)
      .reverse();
    return {
      tooltip: {
        position: 'top',
        formatter: (params: { value: number[] }) =>
          `${tactics[params.value[0]!]?.[1]}<br/>${techniques[params.value[1]!]?.[1]}: <b>${params.value[2]}</b>`,
      },
      grid: { left: 230, right: 20, top: 10, bottom: 90 },
      xAxis: { type: 'category', data: tactics.map(([, name]) => name), axisLabel: { rotate: 35, fontSize: 10 } },
      yAxis: { type: 'category', data: techniques.map(([, name]) => name), axisLabel: { fontSize: 10 } },
      visualMap: {
        // Colour by log(count): a few noisy techniques must not wash out the rare, telling ones.
        dimension: 3,
        min: 0,
        max: Math.log10(1 + Math.max(1, ...cells.map((cell) => cell.count))),
        calculable: true,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        show: false,
        inRange: { color: ['#ffccc7', '#cf1322'] },
      },
      series: [
        {
          type: 'heatmap',
          data: cells
            .map((cell) => [
              tactics.findIndex(([id]) => id === cell.tactic.id),
              techniques.findIndex(([id]) => id === cell.technique.id),
              cell.count,
              Math.log10(1 + cell.count),
            ])
            .filter(([x, y]) => (x as number) >= 0 && (y as number) >= 0),
          label: { show: true, fontSize: 10, formatter: (params: { value: number[] }) => String(params.value[2]) },
        },
      ],
    };
  }, [data]);

  const timeOption = useMemo(
    () => ({
      grid: { left: 40, right: 16, top: 16, bottom: 24 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'time', axisLabel: { hideOverlap: true, formatter: timeAxisLabels } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          type: 'bar',
          name: t('overview.alerts'),
          itemStyle: { color: '#1668dc' },
          data: (data?.alertsOverTime ?? []).map((bucket) => [bucket.start, bucket.count]),
        },
      ],
    }),
    [data, t],
  );

  if (error) return <Empty description={`${t('common.error')}: ${error}`} />;
  if (!data) return <Spin style={{ display: 'block', marginTop: 80 }} />;
  const kpis = data.kpis;
  // Minutes up to two hours, then hours: a day of replayed history reads "21.7 h", not "1302.0 min".
  const duration = (minutes: number): string =>
    minutes < 120
      ? t('overview.minutes', { value: minutes.toFixed(1) })
      : t('overview.hours', { value: (minutes / 60).toFixed(1) });
  return (
    <>
      <Row justify="space-between" align="middle" style={{ margin: '8px 0 16px' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('nav.overview')}
        </Typography.Title>
        <Segmented
          value={period}
          onChange={(value) => setPeriod(value as keyof typeof periods)}
          options={Object.keys(periods)}
          aria-label="period"
        />
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Card>
            <Statistic
              title={t('overview.reduction')}
              value={(data.funnel.reduction * 100).toFixed(1)}
              suffix="%"
              valueStyle={{ color: '#389e0d' }}
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic
              title={t('overview.needingAttention')}
              value={data.funnel.needingAttention}
              valueStyle={{ color: '#cf1322' }}
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic
              title={
                <Tooltip title={t('overview.mttdHelp')}>
                  <span>{t('overview.mttd')} ⓘ</span>
                </Tooltip>
              }
              value={kpis.mttdMinutes === null ? '—' : duration(kpis.mttdMinutes)}
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic
              title={t('overview.mttr')}
              value={kpis.mttrMinutes === null ? '—' : duration(kpis.mttrMinutes)}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('overview.funnel')} size="small">
            {data.funnel.events === 0 ? (
              <Empty description={t('overview.noData')} />
            ) : (
              <EChart option={funnelOption} style={{ height: 240 }} />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('overview.alertsOverTime')} size="small">
            <EChart option={timeOption} style={{ height: 240 }} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('overview.heatmap')} size="small">
            {data.attack.length === 0 ? (
              <Empty description={t('overview.noData')} />
            ) : (
              <EChart option={heatmapOption} style={{ height: 420 }} />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={6}>
          <LiveAlerts />
        </Col>
        <Col xs={24} lg={6}>
          <Card title={t('overview.openByPriority')} size="small" style={{ marginBottom: 16 }}>
            <Row>
              {(['critical', 'high', 'medium', 'low'] as const).map((key) => (
                <Col span={6} key={key}>
                  <Statistic
                    title={t(`priority.${key}`)}
                    value={kpis.openByPriority[key]}
                    valueStyle={key === 'critical' && kpis.openByPriority[key] > 0 ? { color: '#cf1322' } : undefined}
                  />
                </Col>
              ))}
            </Row>
            <Statistic title={t('overview.slaBreaches')} value={kpis.slaBreaches} style={{ marginTop: 12 }} />
          </Card>
          <Card title={t('overview.topEntities')} size="small">
            <Table
              size="small"
              pagination={false}
              rowKey={(row) => `${row.kind}:${row.value}`}
              dataSource={[...data.topEntities]}
              columns={[
                { title: t('common.kind'), dataIndex: 'kind', width: 70 },
                { title: t('common.value'), dataIndex: 'value', ellipsis: true },
                { title: t('overview.incidents'), dataIndex: 'incidents', width: 80 },
              ]}
            />
          </Card>
        </Col>
        <Col span={24}>
          <Card title={t('overview.units')} size="small">
            <Table
              size="small"
              rowKey="unit"
              pagination={{ pageSize: 10 }}
              dataSource={[...data.perUnit]}
              columns={[
                { title: t('common.unit'), dataIndex: 'name' },
                { title: t('overview.open'), dataIndex: 'open', width: 100, sorter: (a, b) => a.open - b.open },
                {
                  title: t('overview.needingAttention'),
                  dataIndex: 'needingAttention',
                  width: 140,
                  sorter: (a, b) => a.needingAttention - b.needingAttention,
                },
                {
                  title: t('overview.risk'),
                  dataIndex: 'risk',
                  width: 100,
                  defaultSortOrder: 'descend',
                  sorter: (a, b) => a.risk - b.risk,
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
