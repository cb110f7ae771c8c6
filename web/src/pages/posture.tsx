// The big-screen posture page for a wall display: dark full-screen layout, an offline world map
// (Natural Earth shapes shipped in the bundle, no tiles from the internet) with attack sources
// flowing to the units they hit, per-unit status, live counters and the most attacked units.
// Refreshes itself every 30 seconds.
import { Button, Col, ConfigProvider, Row, Statistic, Table, Typography, theme } from 'antd';
import * as echarts from 'echarts';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countries from 'world-atlas/countries-110m.json';
import type { PostureResponse } from '../../../src/model/console-api.ts';
import { api } from '../api/client.ts';
import { EChart } from '../components/echart.tsx';

/**
 * Rings that cross the antimeridian (Russia's Chukotka, Fiji) jump from +180 to −180 and would be
 * drawn as lines across the whole map: their western longitudes are moved past +180, so the ring
 * stays whole and ends a little beyond the map's eastern edge.
 */
function unwrapRing(ring: Position[]): Position[] {
  const crosses = ring.some((point, index) => index > 0 && Math.abs(point[0]! - ring[index - 1]![0]!) > 180);
  return crosses ? ring.map(([lon, lat]) => [lon! < 0 ? lon! + 360 : lon!, lat!]) : ring;
}

function unwrapGeometry(geometry: Geometry): Geometry {
  if (geometry.type === 'Polygon') return { ...geometry, coordinates: geometry.coordinates.map(unwrapRing) };
  if (geometry.type === 'MultiPolygon')
    return { ...geometry, coordinates: geometry.coordinates.map((polygon) => polygon.map(unwrapRing)) };
  return geometry;
}

let registered = false;
function registerWorld(): void {
  if (registered) return;
  const topology = countries as unknown as Topology<{ countries: GeometryCollection }>;
  const world = feature(topology, topology.objects.countries) as unknown as FeatureCollection;
  // Antarctica takes a sixth of a wall display and is never a source or a target.
  const features = world.features
    .filter((country: Feature) => country.properties?.name !== 'Antarctica')
    .map((country: Feature) => ({ ...country, geometry: unwrapGeometry(country.geometry) }));
  echarts.registerMap('world', { type: 'FeatureCollection', features } as never);
  registered = true;
}

const panel = {
  background: 'rgba(10, 30, 60, 0.75)',
  border: '1px solid #1d3b66',
  borderRadius: 6,
  padding: 16,
} as const;

type LocatedUnit = PostureResponse['units'][number];

/**
 * Units closer than this (degrees of longitude and latitude) would print their names over each
 * other at the wall display's world view (a label is ~25° wide there, ~5° high).
 */
const neighbourLon = 25;
const neighbourLat = 5;

type LabelPlacement = { show: boolean; position?: string; formatter?: string };

/** Where each unit of a spot puts its name: the western one left, the eastern right, others above and below. */
function spotPlacements(members: readonly LocatedUnit[]): Map<LocatedUnit, LabelPlacement> {
  const placements = new Map<LocatedUnit, LabelPlacement>();
  if (members.length === 1) placements.set(members[0]!, { show: true, position: 'right' });
  else if (members.length <= 4) {
    const byLat = [...members].sort((a, b) => b.location!.lat - a.location!.lat);
    const rest = members.length === 2 ? byLat : byLat.slice(1, -1);
    if (members.length > 2) {
      placements.set(byLat[0]!, { show: true, position: 'top' });
      placements.set(byLat.at(-1)!, { show: true, position: 'bottom' });
    }
    const byLon = [...rest].sort((a, b) => a.location!.lon - b.location!.lon);
    placements.set(byLon[0]!, { show: true, position: 'left' });
    if (byLon[1]) placements.set(byLon[1], { show: true, position: 'right' });
  } else {
    members.forEach((unit, index) => {
      placements.set(
        unit,
        index === 0
          ? { show: true, position: 'right', formatter: `${unit.name} +${members.length - 1}` }
          : { show: false },
      );
    });
  }
  return placements;
}

/**
 * Label placement so units near each other do not print their names over each other: up to four
 * on one spot get a side each; more show one label (the unit needing most attention) with "+N",
 * the others are in the tooltip and the table.
 */
function unitLabels(units: readonly LocatedUnit[]): { unit: LocatedUnit; label: LabelPlacement }[] {
  const spots: LocatedUnit[][] = [];
  for (const unit of [...units].sort((a, b) => b.needingAttention - a.needingAttention || b.risk - a.risk)) {
    const spot = spots.find((members) =>
      members.some(
        (member) =>
          Math.abs(member.location!.lon - unit.location!.lon) < neighbourLon &&
          Math.abs(member.location!.lat - unit.location!.lat) < neighbourLat,
      ),
    );
    if (spot) spot.push(unit);
    else spots.push([unit]);
  }
  return spots.flatMap((members) => {
    const placements = spotPlacements(members);
    return members.map((unit) => ({ unit, label: placements.get(unit)! }));
  });
}

export function PosturePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [data, setData] = useState<PostureResponse | undefined>();
  registerWorld();
  useEffect(() => {
    let cancelled = false;
    const load = () =>
      api
        .get<PostureResponse>('/api/v1/posture')
        .then((response) => !cancelled && setData(response))
        .catch(() => undefined);
    void load();
    const timer = setInterval(load, 30_000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, []);

  const option = useMemo(() => {
    const units = (data?.units ?? []).filter((unit) => unit.location);
    const byUnit = new Map(units.map((unit) => [unit.id, unit]));
    const lines = (data?.attacks ?? []).flatMap((attack) => {
      const target = byUnit.get(attack.unit);
      return target?.location
        ? [
            {
              coords: [
                [attack.lon, attack.lat],
                [target.location.lon, target.location.lat],
              ],
              value: attack.count,
              name: `${attack.source} → ${target.name}`,
            },
          ]
        : [];
    });
    return {
      backgroundColor: 'transparent',
      tooltip: { trigger: 'item' },
      geo: {
        map: 'world',
        roam: true,
        layoutCenter: ['50%', '52%'],
        layoutSize: '135%',
        silent: true,
        itemStyle: { areaColor: '#0d2a4d', borderColor: '#2f5f9a', borderWidth: 0.6 },
        emphasis: { disabled: true },
      },
      series: [
        {
          type: 'lines',
          coordinateSystem: 'geo',
          zlevel: 2,
          effect: { show: true, period: 4, trailLength: 0.2, symbolSize: 4, color: '#ff7a45' },
          lineStyle: { color: '#ff4d4f', width: 1, opacity: 0.5, curveness: 0.25 },
          data: lines,
        },
        {
          type: 'scatter',
          coordinateSystem: 'geo',
          name: t('posture.attackSources'),
          symbolSize: (value: number[]) => Math.min(14, 4 + Math.log2(1 + (value[2] ?? 1)) * 2),
          itemStyle: { color: '#ff7a45' },
          data: (data?.attacks ?? []).map((attack) => ({
            name: `${attack.source}${attack.country ? ` (${attack.country})` : ''}`,
            value: [attack.lon, attack.lat, attack.count],
          })),
        },
        {
          type: 'effectScatter',
          coordinateSystem: 'geo',
          name: t('posture.unitStatus'),
          rippleEffect: { scale: 3, brushType: 'stroke' },
          label: {
            show: true,
            position: 'right',
            formatter: '{b}',
            color: '#e6f0ff',
            fontSize: 13,
            backgroundColor: 'rgba(4, 18, 38, 0.75)',
            padding: [2, 4],
            borderRadius: 3,
          },
          symbolSize: (value: number[]) => 8 + Math.min(16, (value[2] ?? 0) * 2),
          itemStyle: { color: (params: { value: number[] }) => ((params.value[2] ?? 0) > 0 ? '#ff4d4f' : '#52c41a') },
          data: unitLabels(units).map(({ unit, label }) => ({
            name: unit.name,
            value: [unit.location!.lon, unit.location!.lat, unit.needingAttention],
            label,
          })),
        },
      ],
    };
  }, [data, t]);

  const counters = data?.counters;
  const topUnits = [...(data?.units ?? [])].sort((a, b) => b.risk - a.risk).slice(0, 8);
  return (
    <ConfigProvider
      theme={{
        algorithm: theme.darkAlgorithm,
        token: { colorBgContainer: 'transparent' },
        components: { Table: { headerBg: 'rgba(29, 59, 102, 0.6)', rowHoverBg: 'rgba(29, 59, 102, 0.4)' } },
      }}
    >
      <div
        style={{
          position: 'fixed',
          inset: 0,
          background: 'radial-gradient(ellipse at center, #0a1f3d 0%, #020812 100%)',
          color: '#d6e4ff',
          padding: 20,
          overflow: 'auto',
          zIndex: 100,
        }}
      >
        <Row justify="space-between" align="middle">
          <Typography.Title level={2} style={{ color: '#e6f0ff', margin: 0, letterSpacing: 4 }}>
            {t('app.name')} · {t('posture.title')}
          </Typography.Title>
          <Typography.Text style={{ color: '#7aa7e0' }}>
            <span
              role="img"
              aria-label={t('posture.live')}
              style={{
                display: 'inline-block',
                width: 10,
                height: 10,
                borderRadius: 5,
                background: '#52c41a',
                marginRight: 8,
              }}
            />
            {data ? t('posture.updated', { time: new Date(data.generatedAt).toLocaleTimeString() }) : '…'}
            <Button
              size="small"
              type="link"
              onClick={() => void document.documentElement.requestFullscreen?.().catch(() => undefined)}
              style={{ marginLeft: 12 }}
            >
              {t('posture.fullScreen')}
            </Button>
            <Button size="small" type="link" onClick={() => navigate('/overview')} style={{ marginLeft: 12 }}>
              {t('posture.exitFullScreen')}
            </Button>
          </Typography.Text>
        </Row>
        <Row gutter={16} style={{ marginTop: 16 }}>
          {(
            [
              ['eventsToday', counters?.eventsToday],
              ['alertsToday', counters?.alertsToday],
              ['incidentsOpen', counters?.incidentsOpen],
              ['needingAttention', counters?.needingAttention],
            ] as const
          ).map(([key, value]) => (
            <Col span={6} key={key}>
              <div style={panel}>
                <Statistic
                  title={
                    <span style={{ color: '#7aa7e0' }}>
                      {key === 'needingAttention' ? t('overview.needingAttention') : t(`posture.${key}`)}
                    </span>
                  }
                  value={value ?? '—'}
                  valueStyle={{ color: key === 'needingAttention' ? '#ff4d4f' : '#e6f0ff', fontSize: 34 }}
                />
              </div>
            </Col>
          ))}
        </Row>
        <Row gutter={16} style={{ marginTop: 16 }}>
          <Col span={17}>
            <div style={{ ...panel, padding: 0 }}>
              <EChart option={option} style={{ height: 'calc(100vh - 230px)', minHeight: 420 }} theme="dark" />
            </div>
          </Col>
          <Col span={7}>
            <div style={panel}>
              <Typography.Title level={5} style={{ color: '#e6f0ff', marginTop: 0 }}>
                {t('posture.topUnits')}
              </Typography.Title>
              <Table
                size="small"
                pagination={false}
                rowKey="id"
                dataSource={topUnits}
                columns={[
                  { title: t('common.unit'), dataIndex: 'name' },
                  { title: t('overview.open'), dataIndex: 'open', width: 60 },
                  { title: t('overview.needingAttention'), dataIndex: 'needingAttention', width: 80 },
                  { title: t('overview.risk'), dataIndex: 'risk', width: 60 },
                ]}
              />
            </div>
          </Col>
        </Row>
      </div>
    </ConfigProvider>
  );
}
