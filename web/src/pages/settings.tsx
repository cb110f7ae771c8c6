// Settings for administrators: API keys (create with a secret shown once, delete), units with
// their networks and map locations, the asset inventory, and the digital analyst's LLM endpoint.
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiKey, Asset, Unit } from '../../../src/model/unit.ts';
import { api } from '../api/client.ts';

function ApiKeys({ units }: { units: readonly Unit[] }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [keys, setKeys] = useState<readonly ApiKey[] | undefined>();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | undefined>();
  const [form] = Form.useForm<{ name: string; unit: string; role: ApiKey['role'] }>();
  const load = useCallback(() => {
    api
      .get<{ keys: ApiKey[] }>('/api/v1/api-keys')
      .then((response) => setKeys(response.keys))
      .catch((caught: Error) => message.error(caught.message));
  }, [message]);
  useEffect(load, [load]);
  const create = async () => {
    const values = await form.validateFields();
    try {
      const created = await api.post<{ key: ApiKey; secret: string }>('/api/v1/api-keys', values);
      setSecret(created.secret);
      setCreating(false);
      form.resetFields();
      load();
    } catch (caught) {
      message.error(caught instanceof Error ? caught.message : String(caught));
    }
  };
  const remove = async (id: string) => {
    await api.delete(`/api/v1/api-keys/${encodeURIComponent(id)}`);
    load();
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {secret && (
        <Alert
          type="success"
          showIcon
          closable
          onClose={() => setSecret(undefined)}
          message={t('settings.secretOnce')}
          description={
            <Typography.Text code copyable>
              {secret}
            </Typography.Text>
          }
        />
      )}
      <Button type="primary" onClick={() => setCreating(true)}>
        {t('settings.newKey')}
      </Button>
      <Table<ApiKey>
        size="small"
        rowKey="id"
        loading={keys === undefined}
        dataSource={[...(keys ?? [])]}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: t('common.name'), dataIndex: 'name' },
          { title: 'id', dataIndex: 'id', render: (value: string) => <Typography.Text code>{value}</Typography.Text> },
          { title: t('common.unit'), dataIndex: 'unit', width: 140 },
          { title: t('settings.role'), dataIndex: 'role', width: 100, render: (value: string) => <Tag>{value}</Tag> },
          {
            title: t('settings.created'),
            dataIndex: 'createdAt',
            width: 190,
            render: (value: number) => new Date(value).toLocaleString(),
          },
          {
            title: t('common.actions'),
            width: 100,
            render: (_, row) => (
              <Popconfirm title={t('settings.deleteKey')} onConfirm={() => void remove(row.id)}>
                <Button size="small" danger>
                  {t('common.delete')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <Modal
        open={creating}
        title={t('settings.newKey')}
        onCancel={() => setCreating(false)}
        onOk={() => void create()}
      >
        <Form form={form} layout="vertical" initialValues={{ role: 'ingest', unit: units[0]?.id ?? '*' }}>
          <Form.Item name="name" label={t('common.name')} rules={[{ required: true, message: t('signIn.required') }]}>
            <Input />
          </Form.Item>
          <Form.Item name="unit" label={t('common.unit')} rules={[{ required: true, message: t('signIn.required') }]}>
            <Select
              options={[
                { value: '*', label: `* (${t('common.all')})` },
                ...units.map((unit) => ({ value: unit.id, label: `${unit.name} (${unit.id})` })),
              ]}
            />
          </Form.Item>
          <Form.Item name="role" label={t('settings.role')}>
            <Select options={['ingest', 'read', 'admin'].map((value) => ({ value, label: value }))} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

function Units({ units }: { units: readonly Unit[] | undefined }) {
  const { t } = useTranslation();
  return (
    <Table<Unit>
      size="small"
      rowKey="id"
      loading={units === undefined}
      dataSource={[...(units ?? [])]}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      columns={[
        { title: 'id', dataIndex: 'id', width: 160 },
        { title: t('common.name'), dataIndex: 'name' },
        { title: t('settings.parent'), dataIndex: 'parent', width: 160 },
        {
          title: t('settings.cidrs'),
          render: (_, unit) =>
            [...(unit.cidrs ?? []), ...(unit.hostPatterns ?? [])].map((value) => <Tag key={value}>{value}</Tag>),
        },
        {
          title: t('settings.location'),
          width: 200,
          render: (_, unit) =>
            unit.location ? `${unit.location.name ?? ''} (${unit.location.lat}, ${unit.location.lon})` : '—',
        },
      ]}
    />
  );
}

function Assets() {
  const { t } = useTranslation();
  const [assets, setAssets] = useState<readonly Asset[] | undefined>();
  const [filter, setFilter] = useState('');
  useEffect(() => {
    api
      .get<{ assets: Asset[] }>('/api/v1/assets')
      .then((response) => setAssets(response.assets))
      .catch(() => setAssets([]));
  }, []);
  const text = filter.toLowerCase();
  const shown = (assets ?? []).filter(
    (asset) =>
      !text ||
      `${asset.id} ${asset.hostname ?? ''} ${asset.ip?.join(' ') ?? ''} ${asset.unit}`.toLowerCase().includes(text),
  );
  const criticalityColor = { critical: 'red', high: 'orange', medium: 'gold', low: 'default' } as const;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Input.Search
        aria-label={t('common.search')}
        placeholder={t('common.search')}
        allowClear
        onSearch={setFilter}
        style={{ width: 300 }}
      />
      <Table<Asset>
        size="small"
        rowKey="id"
        loading={assets === undefined}
        dataSource={shown}
        pagination={{ pageSize: 20, showSizeChanger: false, showTotal: (total) => `${t('common.total')}: ${total}` }}
        columns={[
          { title: t('settings.hostname'), render: (_, asset) => asset.hostname ?? asset.id },
          { title: t('common.unit'), dataIndex: 'unit', width: 140 },
          {
            title: t('settings.criticality'),
            dataIndex: 'criticality',
            width: 120,
            render: (value: Asset['criticality']) => (
              <Tag color={criticalityColor[value]}>{t(`priority.${value}`)}</Tag>
            ),
          },
          { title: t('settings.ip'), render: (_, asset) => asset.ip?.join(', ') ?? '—' },
          { title: t('settings.os'), dataIndex: 'os', width: 120 },
        ]}
      />
    </Space>
  );
}

interface AnalystInfo {
  readonly kind: 'llm' | 'deterministic';
  readonly model?: string;
  readonly queue: Record<string, number>;
}

function LlmEndpoint() {
  const { t } = useTranslation();
  const [info, setInfo] = useState<AnalystInfo | undefined>();
  useEffect(() => {
    api
      .get<AnalystInfo>('/api/v1/analyst')
      .then(setInfo)
      .catch(() => undefined);
  }, []);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('settings.llmKind')}>
          {info ? (info.kind === 'llm' ? 'LLM' : t('settings.llmDeterministic')) : '…'}
        </Descriptions.Item>
        <Descriptions.Item label={t('settings.llmModel')}>{info?.model ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('settings.queue')}>
          {info ? Object.entries(info.queue).map(([key, value]) => <Tag key={key}>{`${key}: ${value}`}</Tag>) : '…'}
        </Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph type="secondary">{t('settings.llmHow')}</Typography.Paragraph>
    </Space>
  );
}

export function SettingsPage() {
  const { t } = useTranslation();
  const [units, setUnits] = useState<readonly Unit[] | undefined>();
  useEffect(() => {
    api
      .get<{ units: Unit[] }>('/api/v1/units')
      .then((response) => setUnits(response.units))
      .catch(() => setUnits([]));
  }, []);
  return (
    <>
      <Typography.Title level={3} style={{ margin: '8px 0 16px' }}>
        {t('settings.title')}
      </Typography.Title>
      <Card size="small">
        <Tabs
          items={[
            { key: 'keys', label: t('settings.apiKeys'), children: <ApiKeys units={units ?? []} /> },
            { key: 'units', label: t('settings.units'), children: <Units units={units} /> },
            { key: 'assets', label: t('settings.assets'), children: <Assets /> },
            { key: 'llm', label: t('settings.llm'), children: <LlmEndpoint /> },
          ]}
        />
      </Card>
    </>
  );
}
