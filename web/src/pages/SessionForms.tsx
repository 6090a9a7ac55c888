import { Card, Collapse, DatePicker, Form, Input, List, Select, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { answer, api, type Schemas } from '../api';
import { ActionForm, PersonSelect } from '../components/forms';
import { formatMoment } from '../format';
import { useI18n } from '../i18n';
import { hasRole, useSession } from '../session';

type Session = Schemas['TrainingSession'];
const NOTE_CATEGORIES = ['issue', 'participation', 'other'] as const;

/**
 * HR's handling of one session: move it (sending the schedule version it shows, so a move made
 * meanwhile by someone else is refused rather than overwritten), change who takes part, name a
 * monitor or a trainer, cancel it. Each only while the flow still accepts it.
 */
export function SessionAdmin({ session, onSent }: { session: Session; onSent(what: string): unknown }) {
  const { t } = useI18n();
  const { caller } = useSession();
  const path = { params: { path: { id: session.id } } };
  if (!hasRole(caller, 'hr') || session.status === 'completed' || session.status === 'cancelled') return null;
  const beforeSignIn = session.status === 'scheduled';
  const beforeStart = Date.parse(session.startsAt) > Date.now();
  const trainerWanted = session.openTasks?.some((task) => task.type === 'session_trainer_replace') ?? false;
  const participants = new Set(session.participants.map((p) => p.employeeId));

  const panels = [
    beforeSignIn && {
      key: 'reschedule',
      label: t('sessions.reschedule'),
      children: (
        <ActionForm<{ when: [Dayjs, Dayjs]; location?: string; reason: string }>
          className="reschedule-form"
          submit={t('sessions.rescheduleSend')}
          initialValues={{ when: [dayjs(session.startsAt), dayjs(session.endsAt)], location: session.location ?? undefined }}
          send={({ when: [startsAt, endsAt], location, reason }) =>
            answer(api.POST('/api/v1/training-sessions/{id}/reschedule', { ...path, body: { startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString(), location, reason, version: session.scheduleVersion } }))
          }
          onSent={() => onSent(t('sessions.rescheduled'))}
        >
          <Form.Item name="when" label={t('sessions.when')} rules={[{ required: true }]}>
            <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
          <Form.Item name="location" label={t('editor.location')}><Input maxLength={200} /></Form.Item>
          <Form.Item name="reason" label={t('sessions.rescheduleWhy')} rules={[{ required: true }]}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
        </ActionForm>
      ),
    },
    beforeSignIn && {
      key: 'participants',
      label: t('sessions.changeParticipants'),
      children: (
        <ActionForm<{ add?: string[]; remove?: string[] }>
          className="participants-form"
          submit={t('sessions.changeParticipantsSend')}
          send={(body) => answer(api.POST('/api/v1/training-sessions/{id}/participants', { ...path, body: { add: body.add ?? [], remove: body.remove ?? [] } }))}
          onSent={() => onSent(t('sessions.participantsChanged'))}
        >
          <Form.Item name="add" label={t('sessions.add')}><PersonSelect mode="multiple" allowClear only={(p) => p.status === 'active' && !participants.has(p.id)} /></Form.Item>
          <Form.Item name="remove" label={t('sessions.remove')}><PersonSelect mode="multiple" allowClear only={(p) => participants.has(p.id)} /></Form.Item>
        </ActionForm>
      ),
    },
    {
      key: 'monitor',
      label: t('sessions.nameMonitor'),
      children: (
        <ActionForm<{ monitorId: string }>
          layout="inline"
          submit={t('sessions.nameMonitorSend')}
          initialValues={{ monitorId: session.monitorId ?? undefined }}
          send={(body) => answer(api.POST('/api/v1/training-sessions/{id}/monitor', { ...path, body }))}
          onSent={() => onSent(t('sessions.monitorNamed'))}
        >
          <Form.Item name="monitorId" label={t('sessions.monitor')} rules={[{ required: true }]}><PersonSelect only={(p) => p.status === 'active' && !participants.has(p.id)} /></Form.Item>
        </ActionForm>
      ),
    },
    trainerWanted && {
      key: 'trainer',
      label: t('sessions.nameTrainer'),
      children: (
        <ActionForm<{ trainerId: string }> layout="inline" submit={t('sessions.nameTrainerSend')} send={(body) => answer(api.POST('/api/v1/training-sessions/{id}/trainer', { ...path, body }))} onSent={() => onSent(t('sessions.trainerNamed'))}>
          <Form.Item name="trainerId" label={t('editor.trainer')} rules={[{ required: true }]}><PersonSelect only={(p) => p.status === 'active' && p.id !== session.trainerId} /></Form.Item>
        </ActionForm>
      ),
    },
    beforeStart && {
      key: 'cancel',
      label: t('sessions.cancel'),
      children: (
        <ActionForm<{ reason: string }> className="cancel-session-form" submit={t('sessions.cancelSend')} send={(body) => answer(api.POST('/api/v1/training-sessions/{id}/cancel', { ...path, body }))} onSent={() => onSent(t('sessions.cancelled'))}>
          <Form.Item name="reason" label={t('sessions.reason')} rules={[{ required: true }]}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
        </ActionForm>
      ),
    },
  ].filter((p) => !!p);
  return (
    <Card size="small" title={t('sessions.manage')}>
      <Collapse ghost items={panels} defaultActiveKey={trainerWanted ? ['trainer'] : []} />
    </Card>
  );
}

/** What the trainer, the monitor and HR note while the session runs. */
export function SessionNotes({ session, onSent }: { session: Session; onSent(what: string): unknown }) {
  const { t, lookup, locale } = useI18n();
  const { caller, nameOf } = useSession();
  const writes = (session.trainerId === caller.id || session.monitorId === caller.id || hasRole(caller, 'hr')) && (session.status === 'signing_in' || session.status === 'in_progress');
  if (!session.notes || (!session.notes.length && !writes)) return null;
  return (
    <Card size="small" title={t('sessions.notes', { count: session.notes.length })}>
      <List
        size="small"
        dataSource={session.notes}
        locale={{ emptyText: '—' }}
        renderItem={(n) => (
          <List.Item>
            <Tag>{lookup(`noteCategory.${n.category}`, n.category)}</Tag>
            {`${formatMoment(locale, n.createdAt)} · ${nameOf(n.authorId)}${n.participantId ? ` → ${nameOf(n.participantId)}` : ''}: ${n.text}`}
          </List.Item>
        )}
      />
      {writes && (
        <ActionForm<{ category: (typeof NOTE_CATEGORIES)[number]; text: string; participantId?: string }>
          className="note-form"
          submit={t('sessions.addNote')}
          send={(body) => answer(api.POST('/api/v1/training-sessions/{id}/notes', { params: { path: { id: session.id } }, body }))}
          onSent={() => onSent(t('sessions.noteAdded'))}
        >
          <Form.Item name="category" label={t('handover.category')} rules={[{ required: true }]}>
            <Select options={NOTE_CATEGORIES.map((c) => ({ value: c, label: lookup(`noteCategory.${c}`, c) }))} />
          </Form.Item>
          <Form.Item name="participantId" label={t('needs.participant')}>
            <PersonSelect allowClear only={(p) => session.participants.some((x) => x.employeeId === p.id)} />
          </Form.Item>
          <Form.Item name="text" label={t('sessions.note')} rules={[{ required: true }]}><Input.TextArea rows={2} maxLength={4000} /></Form.Item>
        </ActionForm>
      )}
    </Card>
  );
}
