import { App, Button, Flex, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { answer, api, ApiProblem, type Schemas } from '../api';
import { formatMoment } from '../format';
import { useI18n } from '../i18n';
import { ProblemAlert, useLoaded } from '../loaded';
import { Link } from '../router';
import { useSession } from '../session';

type Delivery = Schemas['Delivery'];
const PAGE = 20;
const STATUS_COLOURS: Record<Delivery['status'], string> = { pending: 'blue', sent: 'green', failed: 'red' };

/** What the notifications did (HR, admins): the failed ones first, each sent again with one click. */
export function DeliveriesPage() {
  const { t, lookup, locale } = useI18n();
  const { nameOf } = useSession();
  const { message } = App.useApp();
  const [status, setStatus] = useState<Delivery['status'] | undefined>('failed');
  const [page, setPage] = useState(1);
  const { data, problem, reload } = useLoaded(() => answer(api.GET('/api/v1/notifications/deliveries', { params: { query: { status, limit: PAGE, offset: (page - 1) * PAGE } } })), `${status}/${page}`);

  async function retry(d: Delivery) {
    try {
      await answer(api.POST('/api/v1/notifications/deliveries/{id}/retry', { params: { path: { id: d.id } } }));
      message.success(t('deliveries.retried'));
    } catch (err) {
      if (!(err instanceof ApiProblem)) throw err;
      message.error(err.detail ?? err.title);
    }
    await reload();
  }

  return (
    <Flex vertical gap="middle">
      <Typography.Title level={3} style={{ margin: 0 }}>{t('deliveries.title')}</Typography.Title>
      <Select
        allowClear
        aria-label={t('plans.status')}
        placeholder={t('plans.status')}
        style={{ maxWidth: 200 }}
        value={status}
        onChange={(v) => (setStatus(v), setPage(1))}
        options={(['failed', 'pending', 'sent'] as const).map((s) => ({ value: s, label: t(`deliveries.status.${s}`) }))}
      />
      {problem && <ProblemAlert problem={problem} />}
      <Table<Delivery>
        className="deliveries"
        rowKey="id"
        size="small"
        loading={!data}
        dataSource={data?.items}
        scroll={{ x: true }}
        pagination={{ current: page, pageSize: PAGE, total: data?.total, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('deliveries.created'), dataIndex: 'createdAt', render: (at: string) => formatMoment(locale, at) },
          { title: t('deliveries.recipient'), dataIndex: ['notification', 'recipientId'], render: (id: string) => nameOf(id) },
          { title: t('deliveries.channel'), dataIndex: 'channel', render: (c: string) => lookup(`channel.${c}`, c) },
          { title: t('deliveries.what'), dataIndex: ['notification', 'template'], render: (k: string, d) => <span>{d.notification.critical && <Tag color="red">{t('handover.critical')}</Tag>}{k}</span> },
          { title: t('plans.status'), dataIndex: 'status', render: (s: Delivery['status']) => <Tag color={STATUS_COLOURS[s]}>{t(`deliveries.status.${s}`)}</Tag> },
          { title: t('deliveries.attempts'), dataIndex: 'attempts' },
          { title: t('deliveries.lastError'), dataIndex: 'lastError', render: (e: string | null) => e ?? '' },
          { title: t('deliveries.flow'), dataIndex: ['notification', 'flowId'], render: (id: string | null) => (id ? <Link to={`/flows/${encodeURIComponent(id)}`}>{t('inbox.openFlow')}</Link> : '') },
          { title: '', key: 'retry', render: (_: unknown, d) => d.status === 'failed' && <Button size="small" onClick={() => retry(d)}>{t('deliveries.retry')}</Button> },
        ]}
      />
    </Flex>
  );
}
