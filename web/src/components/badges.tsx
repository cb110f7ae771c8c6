// Priority, verdict, level and status badges used across the SOC screens.
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AlertLevel } from '../../../src/model/alert.ts';
import type { IncidentStatus, Verdict } from '../../../src/model/incident.ts';

export function priorityColor(priority: number): string {
  return priority >= 80 ? '#cf1322' : priority >= 60 ? '#fa541c' : priority >= 40 ? '#faad14' : '#8c8c8c';
}

export function PriorityBadge({ priority }: { priority: number }) {
  return (
    <Tag
      color={priorityColor(priority)}
      style={{ minWidth: 40, textAlign: 'center', fontWeight: 600 }}
      aria-label={`priority ${priority}`}
    >
      {priority}
    </Tag>
  );
}

const verdictColors: Record<Verdict, string> = { malicious: 'red', suspicious: 'orange', benign: 'green' };

export function VerdictTag({ verdict }: { verdict?: Verdict }) {
  const { t } = useTranslation();
  if (!verdict) return null;
  return <Tag color={verdictColors[verdict]}>{t(`incidents.verdict_${verdict}`)}</Tag>;
}

const levelColors: Record<AlertLevel, string> = {
  critical: 'magenta',
  high: 'red',
  medium: 'orange',
  low: 'blue',
  informational: 'default',
};

export function LevelTag({ level }: { level: AlertLevel }) {
  const { t } = useTranslation();
  return <Tag color={levelColors[level]}>{t(`priority.${level}`)}</Tag>;
}

export function StatusTag({ status }: { status: IncidentStatus }) {
  const { t } = useTranslation();
  const color =
    status === 'new'
      ? 'blue'
      : status === 'in_progress'
        ? 'processing'
        : status === 'escalated'
          ? 'volcano'
          : 'default';
  return <Tag color={color}>{t(`incidents.status_${status}`)}</Tag>;
}
