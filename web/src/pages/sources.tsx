// Sources: ingest health and the dead-letter viewer (records that could not be parsed).
import { Card, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeadLetter } from '../../../src/model/event.ts';
import { api } from '../api/client.ts';

interface DeadLetterPage {
  letters: DeadLetter[];
  total: number;
  nextCursor?: string;
}

export function SourcesPage() {
  const { t } = useTranslation();
  const [page, setPage] = useState<DeadLetterPage | undefined>();
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    api
      .get<DeadLetterPage>('/api/v1/dead-letters', { limit: 100 })
      .then(setPage)
      .finally(() => setLoading(false));
  }, []);
  return (
    <>
      <Typography.Title level={3} style={{ margin: '8px 0 16px' }}>
        {t('nav.sources')}
      </Typography.Title>
      <Card size="small" title={t('sources.deadLetters')} extra={page && `${t('common.total')}: ${page.total}`}>
        <Table<DeadLetter>
          size="small"
          rowKey={(row) => row.id ?? `${row.receivedAt}-${row.original.slice(0, 20)}`}
          loading={loading}
          dataSource={page?.letters ?? []}
          columns={[
            { title: t('common.time'), width: 190, render: (_, row) => new Date(row.receivedAt).toLocaleString() },
            { title: t('common.unit'), dataIndex: 'unit', width: 120 },
            { title: t('sources.source'), width: 160, render: (_, row) => `${row.sourceKind}:${row.sourceName}` },
            { title: t('sources.format'), dataIndex: 'format', width: 110 },
            { title: t('sources.reason'), dataIndex: 'reason' },
            {
              title: t('sources.original'),
              render: (_, row) => (
                <Typography.Text code ellipsis={{ tooltip: row.original }}>
                  {row.original.slice(0, 200)}
                </Typography.Text>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
