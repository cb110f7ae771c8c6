// How an incident grew before the digital analyst investigated it again, in the reader's language:
// built from the job's structured reason, not from the server's English summary.
import type { GrowthReason } from '../../../src/analyst/investigation-jobs.ts';

type Translate = (key: string, options?: Record<string, unknown>) => string;

export function growthText(reason: GrowthReason, t: Translate): string {
  const parts: string[] = [];
  if (reason.priority) parts.push(t('incidents.growthPriority', reason.priority));
  if (reason.newTactics?.length)
    parts.push(
      t('incidents.growthTactics', { count: reason.newTactics.length, tactics: reason.newTactics.join(', ') }),
    );
  if (reason.alerts) parts.push(t('incidents.growthAlerts', reason.alerts));
  // A ground this console does not know yet keeps the server's own summary.
  return parts.length ? parts.join(t('incidents.growthSeparator')) : reason.summary;
}
