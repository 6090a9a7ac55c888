import { App, Button, Card, DatePicker, Flex, Form, Input, Table, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { answer, api, newIdempotencyKey, type Delegation } from '../api';
import { ActionForm, momentField, PersonSelect } from '../components/forms';
import { formatSpan } from '../format';
import { useI18n } from '../i18n';
import { ProblemAlert, useLoaded } from '../loaded';
import { hasRole, useSession } from '../session';

type Values = { ownerId?: string; delegateId: string; startsAt?: string; endsAt: string; reason: string };
type Whose = 'owner' | 'delegate' | 'all';
const STATUS_COLOURS: Record<Delegation['status'], string> = { scheduled: 'blue', active: 'green', ended: 'default', cancelled: 'default' };

/** 外出代理: who acts for me while I am away (HR may set it for anyone), and the periods I am in. */
export function AwayPage() {
  const { t } = useI18n();
  const { caller, nameOf } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const ownerId = Form.useWatch('ownerId', form) ?? caller.id;
  // One key per delegation set: a send repeated after a lost answer finds the same one; the next is new.
  const key = useRef(newIdempotencyKey());
  const [changed, setChanged] = useState(0);
  const hr = hasRole(caller, 'hr');

  async function send(v: Values) {
    await answer(api.POST('/api/v1/delegations', { body: v, headers: { 'Idempotency-Key': key.current } }));
    message.success(t('away.set', { who: nameOf(v.delegateId), owner: nameOf(v.ownerId ?? caller.id) }));
  }

  return (
    <Flex vertical gap="middle">
      <Typography.Title level={3} style={{ margin: 0 }}>{t('away.title')}</Typography.Title>
      <ActionForm<Values>
        title={t('away.new')}
        className="delegation-form"
        form={form}
        submit={t('away.submit')}
        send={send}
        onSent={() => {
          key.current = newIdempotencyKey();
          setChanged((n) => n + 1);
        }}
      >
        {hr && (
          <Form.Item name="ownerId" label={t('away.owner')} extra={t('away.ownerHint')}>
            <PersonSelect allowClear placeholder={nameOf(caller.id)} only={(p) => p.status === 'active'} />
          </Form.Item>
        )}
        <Form.Item name="delegateId" label={t('away.delegate')} rules={[{ required: true, message: t('action.needPerson') }]}>
          <PersonSelect placeholder={t('action.search')} only={(p) => p.status === 'active' && p.id !== ownerId} />
        </Form.Item>
        <Flex gap="small" wrap>
          <Form.Item name="startsAt" label={t('away.startsAt')} extra={t('away.startsAtHint')} {...momentField}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
          <Form.Item name="endsAt" label={t('away.endsAt')} rules={[{ required: true, message: t('away.needEnd') }]} {...momentField}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
        </Flex>
        <Form.Item name="reason" label={t('away.reason')} rules={[{ required: true, whitespace: true, message: t('away.needReason') }]}>
          <Input.TextArea rows={2} maxLength={2000} placeholder={t('away.reasonHint')} />
        </Form.Item>
      </ActionForm>
      <Delegations whose="owner" title={t('away.mine')} changed={changed} onEnded={() => setChanged((n) => n + 1)} />
      <Delegations whose="delegate" title={t('away.forOthers')} changed={changed} onEnded={() => setChanged((n) => n + 1)} />
      {hasRole(caller, 'hr', 'admin') && <Delegations whose="all" title={t('away.all')} changed={changed} onEnded={() => setChanged((n) => n + 1)} />}
    </Flex>
  );
}

function Delegations({ whose, title, changed, onEnded }: { whose: Whose; title: string; changed: number; onEnded(): void }) {
  const { t, lookup, locale } = useI18n();
  const { caller, nameOf } = useSession();
  const { message } = App.useApp();
  const query = whose === 'owner' ? { owner: 'me' } : whose === 'delegate' ? { delegate: 'me' } : {};
  const { data, problem, reload } = useLoaded(() => answer(api.GET('/api/v1/delegations', { params: { query: { ...query, limit: 50 } } })), `${whose}:${changed}`);
  // A period whose start has come is being started by its flow: read again until it says so.
  const starting = data?.items.some((d) => d.status === 'scheduled' && Date.parse(d.startsAt) <= Date.now());
  useEffect(() => {
    if (!starting) return;
    const again = setTimeout(() => void reload(), 1000);
    return () => clearTimeout(again);
  }, [data, starting, reload]);
  if (problem) return <ProblemAlert problem={problem} />;
  const mayEnd = (d: Delegation) => (d.status === 'scheduled' || d.status === 'active') && (d.ownerId === caller.id || d.createdById === caller.id || hasRole(caller, 'hr'));
  async function end(d: Delegation) {
    try {
      const ended = await answer(api.POST('/api/v1/delegations/{id}/end', { params: { path: { id: d.id } }, body: {} }));
      message.success(t('away.ended', { status: lookup(`delegationStatus.${ended.status}`, ended.status) }));
    } catch (err) {
      message.error(err instanceof Error ? err.message : String(err));
    }
    onEnded();
  }
  return (
    <Card size="small" title={title}>
      <Table<Delegation>
        className={`delegations delegations-${whose}`}
        rowKey="id"
        size="small"
        loading={!data}
        dataSource={data?.items}
        pagination={false}
        scroll={{ x: true }}
        columns={[
          { title: t('away.owner'), dataIndex: 'ownerId', render: (id: string) => nameOf(id) },
          { title: t('away.delegate'), dataIndex: 'delegateId', render: (id: string) => nameOf(id) },
          { title: t('away.period'), key: 'period', render: (_, d) => formatSpan(locale, d.startsAt, d.endedAt ?? d.endsAt) },
          { title: t('away.reason'), dataIndex: 'reason' },
          { title: t('plans.status'), dataIndex: 'status', render: (s: Delegation['status']) => <Tag color={STATUS_COLOURS[s]}>{lookup(`delegationStatus.${s}`, s)}</Tag> },
          {
            title: <span className="sr-only">{t('away.actions')}</span>,
            key: 'end',
            render: (_, d) =>
              mayEnd(d) && (
                <Button size="small" onClick={() => end(d)}>
                  {d.status === 'scheduled' ? t('away.cancel') : t('away.end')}
                </Button>
              ),
          },
        ]}
      />
    </Card>
  );
}
