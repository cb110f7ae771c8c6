// The incident's entity graph: detections (rules) linked to the hosts, users, addresses,
// processes, files and domains they involve, drawn with Cytoscape.
import cytoscape from 'cytoscape';
import { useEffect, useRef } from 'react';
import type { AlertGroup, Entity } from '../../../src/model/incident.ts';

const colors: Record<string, string> = {
  host: '#1668dc',
  user: '#13a8a8',
  ip: '#fa8c16',
  process: '#722ed1',
  file: '#8c8c8c',
  domain: '#eb2f96',
  rule: '#cf1322',
};

export function EntityGraph({
  groups,
  entities,
  dark,
}: {
  groups: readonly AlertGroup[];
  entities: readonly Entity[];
  dark?: boolean;
}) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!element.current) return;
    const nodes = new Map<string, cytoscape.ElementDefinition>();
    const edges: cytoscape.ElementDefinition[] = [];
    for (const entity of entities) {
      const id = `${entity.kind}:${entity.value}`;
      nodes.set(id, {
        data: {
          id,
          label: entity.value.length > 28 ? `${entity.value.slice(0, 26)}…` : entity.value,
          kind: entity.kind,
        },
      });
    }
    for (const group of groups) {
      const id = `rule:${group.id}`;
      nodes.set(id, {
        data: {
          id,
          label: group.ruleTitle.length > 34 ? `${group.ruleTitle.slice(0, 32)}…` : group.ruleTitle,
          kind: 'rule',
        },
      });
      for (const entity of group.entities) {
        const target = `${entity.kind}:${entity.value}`;
        if (nodes.has(target)) edges.push({ data: { id: `${id}->${target}`, source: id, target } });
      }
    }
    const graph = cytoscape({
      container: element.current,
      elements: [...nodes.values(), ...edges],
      style: [
        {
          selector: 'node',
          style: {
            label: 'data(label)',
            'font-size': 10,
            color: dark ? '#e6e6e6' : '#262626',
            'text-valign': 'bottom',
            'text-margin-y': 4,
            width: 22,
            height: 22,
            'background-color': (node: cytoscape.NodeSingular) => colors[node.data('kind') as string] ?? '#595959',
            shape: (node: cytoscape.NodeSingular) => (node.data('kind') === 'rule' ? 'round-rectangle' : 'ellipse'),
          },
        },
        {
          selector: 'edge',
          style: { width: 1.5, 'line-color': dark ? '#434343' : '#bfbfbf', 'curve-style': 'bezier' },
        },
      ],
      layout: { name: 'cose', animate: false, padding: 20 },
      userZoomingEnabled: true,
    });
    return () => graph.destroy();
  }, [groups, entities, dark]);
  return <div ref={element} style={{ width: '100%', height: 360 }} role="img" aria-label="entity graph" />;
}
