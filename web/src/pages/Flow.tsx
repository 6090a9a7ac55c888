import { Typography } from 'antd';
import { FlowComments } from '../components/FlowComments';
import { FlowTimeline } from '../components/Timeline';
import { useI18n } from '../i18n';

/** Any flow's timeline and its comments, as a notification's link opens it. */
export function FlowPage({ flowId }: { flowId: string }) {
  const { t } = useI18n();
  return (
    <>
      <Typography.Title level={3}>{t('timeline.title')}</Typography.Title>
      <Typography.Paragraph type="secondary"><code>{flowId}</code></Typography.Paragraph>
      <FlowTimeline flowId={flowId} />
      <FlowComments flowId={flowId} />
    </>
  );
}
