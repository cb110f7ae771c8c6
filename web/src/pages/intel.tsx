// Threat intel: the loaded feeds with indicator counts per type, indicator search by value prefix
// and type, a lookup of one value (IP ranges, parent domains…), and importing a feed (STIX 2.1,
// MISP, or a plain list), which retro-matches the last days of events in the background.
import { App as AntApp, Button, Card, Col, Input, Modal, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  IndicatorSearchResponse,
  IndicatorView,
  IntelImportResponse,
  IntelSourceSummary,
  IntelSourcesResponse,
} from '../../../src/model/console-api.ts';
import { api } from '../api/client.ts';
import { useSession } from '../session.tsx';

const types = ['ip', 'cidr', 'domain', 'url', 'md5', 'sha1', 'sha256', 'sha512', 'email', 'filename'];
const pageSize = 25;

export function IntelPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const { user } = useSession();
  const [sources, setSources] = useState<IntelSourcesResponse | undefined>();
  const [prefix, setPrefix] = useState('');
  const [type, setType] = useState<string | undefined>();
  const [source, setSource] = useState<string | undefined>();
  const [current, setCurrent] = useState(1);
  const [page, setPage] = useState<IndicatorSearchResponse | undefined>();
  const [loading, setLoading] = useState(false);
  const [lookup, setLookup] = useState<{ value: string; indicators: IndicatorView[] } | undefined>();
  const [importing, setImporting] = useState(false);
  const [content, setContent] = useState('');
  const [importSource, setImportSource] = useState('');

  const loadSources = useCallback(() => {
    api
      .get<IntelSourcesResponse>('/api/v1/intel/sources')
      .then(setSources)
      .catch(() => undefined);
  }, []);
  useEffect(loadSources, [loadSources]);
  useEffect(() => {
    setLoading(true);
    const offset = (current - 1) * pageSize;
    api
      .get<IndicatorSearchResponse>('/api/v1/intel/indicators', {
        prefix: prefix || undefined,
        type,
        source,
        limit: pageSize,
        cursor: offset ? btoa(String(offset)).replace(/=+$/, '') : undefined,
      })
      .then(setPage)
      .catch((caught: Error) => message.error(caught.message))
      .finally(() => setLoading(false));
  }, [prefix, type, source, current, message]);

  const runLookup = async (value: string) => {
    if (!value.trim()) {
      setLookup(undefined);
      return;
    }
    const found = await api.get<{ indicators: IndicatorView[] }>('/api/v1/intel/lookup', { value: value.trim() });
    setLookup({ value: value.trim(), indicators: found.indicators });
  };
  const submitImport = async () => {
    try {
      const result = await api.post<IntelImportResponse>('/api/v1/intel/import', {
        content,
        source: importSource.trim(),
      });
      message.success(
        t('intel.imported', { indicators: result.indicators, added: result.added, source: result.source }),
      );
      setImporting(false);
      setContent('');
      loadSources();
    } catch (caught) {
      message.error(caught instanceof Error ? caught.message : String(caught));
    }
  };
  const columns = [
    { title: t('intel.type'), dataIndex: 'type', width: 90, render: (value: string) => <Tag>{value}</Tag> },
    {
      title: t('common.value'),
      dataIndex: 'value',
      ellipsis: true,
      render: (value: string) => <Typography.Text code>{value}</Typography.Text>,
    },
    { title: t('intel.threat'), dataIndex: 'threatName', ellipsis: true },
    { title: t('intel.confidence'), dataIndex: 'confidence', width: 100 },
    { title: t('sources.source'), dataIndex: 'source', width: 220, ellipsis: true },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%', marginTop: 8 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('intel.title')}
        </Typography.Title>
        {user?.role === 'admin' && (
          <Button type="primary" onClick={() => setImporting(true)}>
            {t('intel.import')}
          </Button>
        )}
      </Space>
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <Card
            size="small"
            title={t('intel.sources')}
            extra={
              sources && (
                <Typography.Text type="secondary">{t('intel.total', { count: sources.indicators })}</Typography.Text>
              )
            }
          >
            <Table<IntelSourceSummary>
              size="small"
              rowKey="source"
              pagination={false}
              loading={!sources}
              dataSource={[...(sources?.sources ?? [])]}
              onRow={(row) => ({ onClick: () => setSource(row.source), style: { cursor: 'pointer' } })}
              columns={[
                { title: t('common.name'), dataIndex: 'source', ellipsis: true },
                { title: 'format', dataIndex: 'format', width: 70 },
                { title: t('intel.indicators'), dataIndex: 'indicators', width: 90 },
                {
                  title: t('intel.type'),
                  render: (_, row) =>
                    Object.entries(row.byType).map(([name, count]) => <Tag key={name}>{`${name} ${count}`}</Tag>),
                },
                {
                  title: t('intel.importedAt'),
                  width: 170,
                  render: (_, row) => new Date(row.importedAt).toLocaleString(),
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('intel.lookup')}>
            <Input.Search
              aria-label={t('intel.lookup')}
              placeholder="203.0.113.7, evil.example, 44d88612fea8a8f36de82e1278abb02f"
              enterButton={t('common.search')}
              onSearch={(value) => void runLookup(value).catch((caught: Error) => message.error(caught.message))}
              allowClear
            />
            {lookup &&
              (lookup.indicators.length === 0 ? (
                <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
                  {t('intel.lookupNone', { value: lookup.value })}
                </Typography.Paragraph>
              ) : (
                <Table<IndicatorView>
                  style={{ marginTop: 12 }}
                  size="small"
                  rowKey={(row) => `${row.source}|${row.type}|${row.value}`}
                  pagination={false}
                  dataSource={lookup.indicators}
                  columns={columns.slice(0, 3)}
                />
              ))}
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('intel.indicators')}>
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search
            aria-label={t('intel.search')}
            placeholder={t('intel.search')}
            allowClear
            onSearch={(value) => {
              setPrefix(value);
              setCurrent(1);
            }}
            style={{ width: 280 }}
          />
          <Select
            aria-label={t('intel.type')}
            placeholder={t('intel.type')}
            allowClear
            value={type}
            onChange={(value) => {
              setType(value);
              setCurrent(1);
            }}
            style={{ width: 140 }}
            options={types.map((value) => ({ value, label: value }))}
          />
          <Select
            aria-label={t('sources.source')}
            placeholder={t('sources.source')}
            allowClear
            value={source}
            onChange={(value) => {
              setSource(value);
              setCurrent(1);
            }}
            style={{ width: 260 }}
            options={(sources?.sources ?? []).map((entry) => ({ value: entry.source, label: entry.source }))}
          />
        </Space>
        <Table<IndicatorView>
          size="small"
          rowKey={(row) => `${row.source}|${row.type}|${row.value}`}
          loading={loading}
          tableLayout="fixed"
          dataSource={[...(page?.indicators ?? [])]}
          pagination={{
            current,
            pageSize,
            total: page?.total ?? 0,
            showSizeChanger: false,
            showTotal: (total) => `${t('common.total')}: ${total}`,
            onChange: setCurrent,
          }}
          columns={columns}
        />
      </Card>
      <Modal
        open={importing}
        title={t('intel.import')}
        onCancel={() => setImporting(false)}
        onOk={() => void submitImport()}
        okButtonProps={{ disabled: !content.trim() || !importSource.trim() }}
        width={720}
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <Input
            aria-label={t('intel.importSource')}
            placeholder={t('intel.importSource')}
            value={importSource}
            onChange={(event) => setImportSource(event.target.value)}
          />
          <Input.TextArea
            aria-label={t('intel.importContent')}
            placeholder={t('intel.importContent')}
            rows={12}
            value={content}
            onChange={(event) => setContent(event.target.value)}
            style={{ fontFamily: 'monospace' }}
          />
        </Space>
      </Modal>
    </Space>
  );
}
