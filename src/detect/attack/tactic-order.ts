// Enterprise ATT&CK tactics in kill-chain order, shared by the incident engine (the order of an
// incident's tactics) and the console (the heatmap's columns). No imports: the console bundles it.

export const tacticOrder: readonly string[] = [
  'TA0043',
  'TA0042',
  'TA0001',
  'TA0002',
  'TA0003',
  'TA0004',
  'TA0005',
  'TA0006',
  'TA0007',
  'TA0008',
  'TA0009',
  'TA0011',
  'TA0010',
  'TA0040',
];

/** A tactic's place in the kill chain; unknown ids come last. */
export function tacticRank(id: string): number {
  const index = tacticOrder.indexOf(id);
  return index < 0 ? tacticOrder.length : index;
}
