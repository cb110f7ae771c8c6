// Overview for SOC managers: the noise funnel with the reduction, KPIs, ATT&CK heatmap, alerts
// over time, top entities and per-unit risk. Every number comes from the API (stored facts).
import { Card, Col, Empty, Row, Segmented, Spin, Statistic, Table, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OverviewResponse } from '../../../src/model/console-api.ts';
import { api } from '../api/client.ts';
import { EChart } from '../components/echart.tsx';

const periods = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;

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
    const tactics = [...new Map(cells.map((cell) => [cell.tactic.id, cell.tactic.name ?? cell.tactic.id])).entries()];
    const techniques = [
      ...new Map(
        cells.map((cell) => [cell.technique.id, `${cell.technique.id} ${cell.technique.name ?? ''}`.trim()]),
      ).entries(),
    ].slice(0, 30);
    return {
      tooltip: { position: 'top' },
      grid: { left: 220, right: 20, top: 10, bottom: 80 },
      xAxis: { type: 'category', data: tactics.map(([, name]) => name), axisLabel: { rotate: 35, fontSize: 10 } },
      yAxis: { type: 'category', data: techniques.map(([, name]) => name), axisLabel: { fontSize: 10 } },
      visualMap: {
        min: 0,
        max: Math.max(1, ...cells.map((cell) => cell.count)),
        calculable: true,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        show: false,
        inRange: { color: ['#fff1f0', '#cf1322'] },
      },
      series: [
        {
          type: 'heatmap',
          data: cells
            .map((cell) => [
              tactics.findIndex(([id]) => id === cell.tactic.id),
              techniques.findIndex(([id]) => id === cell.technique.id),
              cell.count,
            ])
            .filter(([x, y]) => (x as number) >= 0 && (y as number) >= 0),
          label: { show: true, fontSize: 10 },
        },
      ],
    };
  }, [data]);

  const timeOption = useMemo(
    () => ({
      grid: { left: 40, right: 16, top: 16, bottom: 24 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'time' },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          type: 'line',
          areaStyle: {},
          smooth: true,
          showSymbol: false,
          data: (data?.alertsOverTime ?? []).map((bucket) => [bucket.start, bucket.count]),
        },
      ],
    }),
    [data],
  );

  if (error) return <Empty description={`${t('common.error')}: ${error}`} />;
  if (!data) return <Spin style={{ display: 'block', marginTop: 80 }} />;
  const kpis = data.kpis;
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
              title={t('overview.mttd')}
              value={kpis.mttdMinutes === null ? '—' : t('overview.minutes', { value: kpis.mttdMinutes.toFixed(1) })}
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic
              title={t('overview.mttr')}
              value={kpis.mttrMinutes === null ? '—' : t('overview.minutes', { value: kpis.mttrMinutes.toFixed(1) })}
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
        <Col xs={24} lg={16}>
          <Card title={t('overview.heatmap')} size="small">
            {data.attack.length === 0 ? (
              <Empty description={t('overview.noData')} />
            ) : (
              <EChart option={heatmapOption} style={{ height: 420 }} />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card title={t('overview.openByPriority')} size="small" style={{ marginBottom: 16 }}>
            <Row>
              {(['critical', 'high', 'medium', 'low'] as const).map((key) => (
                <Col span={6} key={key}>
                  <Statistic title={key} value={kpis.openByPriority[key]} />
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
                { title: 'kind', dataIndex: 'kind', width: 70 },
                { title: 'value', dataIndex: 'value', ellipsis: true },
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
