import { Alert, Empty, Space, Tag, Timeline, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { answer, api, ApiProblem, type Schemas } from '../api';
import { useWebConfig } from '../config';
import { formatMoment } from '../format';
import { useI18n } from '../i18n';
import { useSession } from '../session';

type Flow = Schemas['Flow'];
const COLOURS: Record<string, string> = { 'task.decided': 'green', 'task.reminded': 'orange', 'task.escalated': 'red', 'flow.stalled': 'red' };

/** A flow's story from its audit trail: who did what, for whom, and who was chased when. */
export function FlowTimeline({ flowId, refresh }: { flowId: string; refresh?: unknown }) {
  const { t, lookup, locale } = useI18n();
  const { nameOf: named } = useSession();
  const config = useWebConfig();
  const [flow, setFlow] = useState<Flow>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    answer(api.GET('/api/v1/flows/{id}', { params: { path: { id: flowId }, query: { auditLimit: 200 } } })).then(setFlow, (err: unknown) =>
      setError(err instanceof ApiProblem ? err.message : String(err)),
    );
  }, [flowId, refresh]);
  if (error) return <Alert type="warning" message={error} />;
  if (!flow) return null;
  const nameOf = (id: string | null) => named(id, t('timeline.system'));
  /** What an entry adds to its action: the answer given (tasks record it as `outcome`), whose task
   *  it opened, to whom it went, what was said. */
  const detail = (action: string, payload: unknown) => {
    const p = (payload ?? {}) as Record<string, unknown>;
    const answer = p.outcome ?? p.decision;
    const holder = action === 'task.opened' && typeof p.assigneeId === 'string' ? p.assigneeId : undefined;
    return [
      typeof answer === 'string' && lookup(`outcome.${answer}`, answer),
      holder && (typeof p.actingForId === 'string' ? t('timeline.taskForActing', { who: nameOf(holder), owner: nameOf(p.actingForId) }) : t('timeline.taskFor', { who: nameOf(holder) })),
      typeof p.toId === 'string' && t('timeline.transferredTo', { who: nameOf(p.toId) }),
      p.comment && `“${String(p.comment)}”`,
      p.reason && `“${String(p.reason)}”`,
      p.title,
    ]
      .filter(Boolean)
      .join(' · ');
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Tag>{lookup(`flowStatus.${flow.status}`, flow.status)}</Tag>
        {config?.temporalWebUrl && (
          <Typography.Link href={`${config.temporalWebUrl}/namespaces/${config.namespace}/workflows/${encodeURIComponent(flow.id)}`} target="_blank" rel="noreferrer">
            {t('timeline.temporal')}
          </Typography.Link>
        )}
      </Space>
      {flow.cc.length > 0 && (
        <Typography.Text className="flow-cc">
          {t('timeline.cc', { who: flow.cc.map((c) => named(c.employeeId)).join(t('action.namesJoin')) })}
        </Typography.Text>
      )}
      {flow.audit.length === 0 ? (
        <Empty />
      ) : (
        <Timeline
          className="flow-timeline"
          items={flow.audit.map((e) => ({
            key: e.id,
            color: COLOURS[e.action] ?? 'blue',
            children: (
              <div>
                <strong>{lookup(`audit.${e.action}`, e.action)}</strong> · {nameOf(e.actorId)}
                {e.onBehalfOfId ? ` (${t('timeline.onBehalfOf', { who: nameOf(e.onBehalfOfId) })})` : ''}
                <div className="muted">
                  {formatMoment(locale, e.at)} {detail(e.action, e.payload)}
                </div>
              </div>
            ),
          }))}
        />
      )}
      {flow.auditTotal > flow.audit.length && <Typography.Text type="secondary">{t('timeline.more', { count: flow.auditTotal - flow.audit.length })}</Typography.Text>}
    </Space>
  );
}
