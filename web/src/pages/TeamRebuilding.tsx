import { Card, DatePicker, Descriptions, Flex, Form, Input, List, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { answer, api, newIdempotencyKey, type Schemas } from '../api';
import { ActionForm, dayField } from '../components/forms';
import { formatDay, formatMoment } from '../format';
import { useI18n } from '../i18n';
import { ProblemAlert, useLoaded } from '../loaded';

type Rebuilding = Schemas['TeamRebuilding'];
type TalkValues = { heldOn: string; notes: string };

const stepOf = (memberId?: string) => (memberId ? `one-to-one/${memberId}` : 'team-meeting');

/** 团队重建: after a departure, the head's team meeting and one-to-ones; each recorded here once held. */
export function TeamRebuildingPage({ resignationId }: { resignationId: string }) {
  const { t, locale } = useI18n();
  const loaded = useLoaded(() => answer(api.GET('/api/v1/team-rebuildings/{resignationId}', { params: { path: { resignationId } } })), resignationId);
  if (loaded.problem) return <ProblemAlert problem={loaded.problem} />;
  const r = loaded.data;
  if (!r) return null;
  const talks = [{ memberId: undefined, name: t('team.meeting') }, ...r.members.map((m) => ({ memberId: m.id, name: t('team.oneToOne', { who: m.name }) }))];
  return (
    <Flex vertical gap="middle">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('team.title', { who: r.leaver.name })} <Tag color={r.status === 'done' ? 'default' : 'green'}>{t(`team.status.${r.status as 'open'}`)}</Tag>
      </Typography.Title>
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('team.head')}>{r.head.name}</Descriptions.Item>
        <Descriptions.Item label={t('team.due')}>{formatMoment(locale, r.dueAt)}</Descriptions.Item>
      </Descriptions>
      <List
        className="team-talks"
        dataSource={talks}
        renderItem={({ memberId, name }) => {
          const step = stepOf(memberId);
          const held = r.talks.find((k) => k.step === step);
          return (
            <List.Item key={step} data-step={step}>
              <Card size="small" title={name} style={{ width: '100%' }}>
                {held ? (
                  <Descriptions size="small" column={1}>
                    <Descriptions.Item label={t('team.heldOn')}>{formatDay(locale, held.heldOn)}</Descriptions.Item>
                    <Descriptions.Item label={t('team.notes')}>
                      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{held.notes}</Typography.Paragraph>
                    </Descriptions.Item>
                  </Descriptions>
                ) : r.mayRecord.includes(step) ? (
                  <TalkForm rebuilding={r} memberId={memberId} onRecorded={loaded.reload} />
                ) : (
                  <Typography.Text type="secondary">{t('team.notYet')}</Typography.Text>
                )}
              </Card>
            </List.Item>
          );
        }}
      />
    </Flex>
  );
}

function TalkForm({ rebuilding, memberId, onRecorded }: { rebuilding: Rebuilding; memberId?: string; onRecorded(): unknown }) {
  const { t } = useI18n();
  // One key per talk: a resent form is the same record, not a second one.
  const key = useMemo(newIdempotencyKey, [rebuilding.resignationId, memberId]);
  return (
    <ActionForm<TalkValues>
      className="team-talk"
      name={`talk-${memberId ?? 'team'}`}
      submit={t('team.record')}
      initialValues={{ heldOn: dayjs().format('YYYY-MM-DD') }}
      send={(body) =>
        answer(api.POST('/api/v1/team-rebuildings/{resignationId}/talks', { params: { path: { resignationId: rebuilding.resignationId } }, headers: { 'Idempotency-Key': key }, body: { ...body, memberId } }))
      }
      onSent={onRecorded}
    >
      <Form.Item name="heldOn" label={t('team.heldOn')} rules={[{ required: true, message: t('team.needDay') }]} {...dayField}>
        <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
      </Form.Item>
      <Form.Item name="notes" label={t('team.notes')} rules={[{ required: true, whitespace: true, message: t('team.needNotes') }]}>
        <Input.TextArea rows={3} maxLength={4000} />
      </Form.Item>
    </ActionForm>
  );
}
