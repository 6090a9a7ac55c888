import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Empty, Form, Input, List, Space, Typography, Upload, type UploadFile } from 'antd';
import { useEffect, useState } from 'react';
import { answer, api, ApiProblem, newIdempotencyKey, type Schemas } from '../api';
import { formatMoment } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { ActionForm } from './forms';

type Comment = Schemas['Comment'];
type Attachment = Schemas['Attachment'];

/** What the upload field offers to pick; the API checks again, by the file's first bytes too. */
const ACCEPT = '.pdf,.png,.jpg,.jpeg,.xlsx,.docx,.csv,.txt';
/** A refused upload, by the problem's code, in the reader's language. */
const REFUSALS: Record<string, MessageKey> = { attachment_too_large: 'comments.tooLarge', attachment_type: 'comments.wrongType', attachment_content: 'comments.wrongContent' };

const sizeOf = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : bytes >= 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${bytes} B`);

/** Fetches a file with the caller's token and hands it to the browser as a download. */
async function download(file: Attachment) {
  const { data } = await api.GET('/api/v1/attachments/{id}', { params: { path: { id: file.id } }, parseAs: 'blob' });
  if (!(data instanceof Blob)) return;
  const link = document.createElement('a');
  link.href = URL.createObjectURL(data);
  link.download = file.name;
  link.click();
  URL.revokeObjectURL(link.href);
}

/** A flow's comments and the form to add one, with files (uploaded as they are picked). */
export function FlowComments({ flowId }: { flowId: string }) {
  const { t, locale } = useI18n();
  const [comments, setComments] = useState<Comment[]>();
  const [error, setError] = useState<string>();
  const [files, setFiles] = useState<UploadFile<Attachment>[]>([]);
  const [loaded, setLoaded] = useState(0);
  const [refused, setRefused] = useState<string>();
  useEffect(() => {
    answer(api.GET('/api/v1/flows/{id}/comments', { params: { path: { id: flowId }, query: { limit: 200 } } })).then(
      (page) => setComments(page.items),
      (err: unknown) => setError(err instanceof ApiProblem ? err.message : String(err)),
    );
  }, [flowId, loaded]);

  /** Why the API refused a file: its known reasons translated, the limit read from the problem. */
  const refusal = (err: unknown) => {
    if (!(err instanceof ApiProblem)) return String(err);
    const key = err.code ? REFUSALS[err.code] : undefined;
    if (!key) return err.detail ?? err.title;
    const limit = Number(/\((\d+) bytes\)/.exec(err.detail ?? '')?.[1] ?? 0);
    return t(key, { limit: sizeOf(limit), types: ACCEPT.replaceAll('.', '').replaceAll(',', ', ') });
  };

  const upload = async (file: File) =>
    answer(
      api.POST('/api/v1/flows/{id}/attachments', {
        params: { path: { id: flowId }, header: { 'x-file-name': encodeURIComponent(file.name), 'content-type': file.type || 'application/octet-stream' } },
        body: file as never,
        bodySerializer: (b: unknown) => b as File,
      }),
    );

  if (error) return <Alert type="warning" message={error} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }} className="flow-comments">
      <Typography.Title level={4}>{t('comments.title')}</Typography.Title>
      {comments?.length ? (
        <List
          dataSource={comments}
          renderItem={(c) => (
            <List.Item key={c.id} className="flow-comment">
              <List.Item.Meta
                title={
                  <Space wrap>
                    <strong>{c.authorName}</strong>
                    <Typography.Text type="secondary">{formatMoment(locale, c.createdAt)}</Typography.Text>
                  </Space>
                }
                description={
                  <Space direction="vertical" style={{ width: '100%' }}>
                    <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{c.text}</Typography.Paragraph>
                    {c.attachments.map((a) => (
                      <Button key={a.id} type="link" size="small" icon={<PaperClipOutlined />} onClick={() => void download(a)} className="comment-attachment">
                        {a.name} ({sizeOf(a.size)})
                      </Button>
                    ))}
                  </Space>
                }
              />
            </List.Item>
          )}
        />
      ) : (
        comments && <Empty description={t('comments.none')} />
      )}
      <ActionForm<{ text: string }>
        submit={t('comments.send')}
        send={(values) =>
          answer(
            api.POST('/api/v1/flows/{id}/comments', {
              params: { path: { id: flowId } },
              headers: { 'Idempotency-Key': newIdempotencyKey() },
              body: { text: values.text, attachmentIds: files.flatMap((f) => (f.status === 'done' && f.response ? [f.response.id] : [])) },
            }),
          )
        }
        onSent={() => {
          setFiles([]);
          setLoaded((n) => n + 1);
        }}
      >
        <Form.Item name="text" label={t('comments.text')} rules={[{ required: true, whitespace: true, message: t('comments.textRequired') }]}>
          <Input.TextArea rows={3} maxLength={4000} showCount />
        </Form.Item>
        <Form.Item label={t('comments.files')} extra={t('comments.filesHint', { types: ACCEPT.replaceAll('.', '').replaceAll(',', ', ') })}>
          <Upload<Attachment>
            accept={ACCEPT}
            multiple
            maxCount={10}
            fileList={files}
            onChange={({ fileList }) => setFiles(fileList)}
            customRequest={({ file, onSuccess, onError }) => {
              upload(file as File).then(
                (stored) => {
                  setRefused(undefined);
                  onSuccess?.(stored);
                },
                (err: unknown) => {
                  setRefused(`${(file as File).name}: ${refusal(err)}`);
                  onError?.(new Error(refusal(err)));
                },
              );
            }}
          >
            <Button icon={<UploadOutlined />}>{t('comments.attach')}</Button>
          </Upload>
          {refused && <Alert type="error" showIcon className="upload-refused" style={{ marginTop: 8 }} message={refused} closable onClose={() => setRefused(undefined)} />}
        </Form.Item>
      </ActionForm>
    </Space>
  );
}
