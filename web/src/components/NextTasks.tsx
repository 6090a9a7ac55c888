import { Alert } from 'antd';
import type { NextTask } from '../api';
import { formatMoment, taskTitle } from '../format';
import { useI18n } from '../i18n';
import { useSession } from '../session';

/** Where a flow went after a message: the tasks it opened, whose and by when; or, when it opened
 *  none, what happened instead (`instead`, e.g. "计划已批准，已安排 1 个场次"). */
export function NextTasks({ next, instead, onClose }: { next: NextTask[]; instead?: string; onClose(): void }) {
  const { t, locale } = useI18n();
  const { nameOf } = useSession();
  return (
    <Alert
      type={next.length ? 'info' : 'success'}
      closable
      onClose={onClose}
      message={next.length ? t('inbox.nextTitle') : (instead ?? t('inbox.nothingNext'))}
      description={
        next.length ? (
          <ul className="next-tasks">
            {next.map((n) => (
              <li key={n.taskId}>{t('inbox.nextLine', { title: taskTitle(locale, n.title), who: nameOf(n.assigneeId), due: formatMoment(locale, n.dueAt) })}</li>
            ))}
          </ul>
        ) : undefined
      }
    />
  );
}
