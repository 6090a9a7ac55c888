/**
 * Comments on a flow, with attachments: what a comment may say, which files may travel with it,
 * and the name a file is shown under. Pure: the API streams the bytes, this says whether they pass.
 */
import { z } from 'zod';

export const COMMENT_TEXT_MAX = 4000;
export const ATTACHMENTS_PER_COMMENT = 10;
/** The deployment's default limit for one file (ATTACHMENT_MAX_BYTES). */
export const DEFAULT_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

export const commentRequest = z.object({
  text: z.string().trim().min(1).max(COMMENT_TEXT_MAX),
  attachmentIds: z
    .array(z.uuid())
    .max(ATTACHMENTS_PER_COMMENT)
    .refine((ids) => new Set(ids).size === ids.length, 'an attachment is listed twice')
    .optional(),
});
export type CommentRequest = z.infer<typeof commentRequest>;

/** What the API sends the flow: the comment, who writes it, and its id (from the request's
 *  Idempotency-Key when it has one, so a retried request names the same comment). */
export const commentArgs = commentRequest.extend({ actorId: z.string().min(1), commentId: z.uuid() });
export type CommentArgs = z.infer<typeof commentArgs>;

/** A kind of file people may attach: its extensions, the content types a browser declares for
 *  it, and what its first bytes must be (a renamed .exe is not a PDF). */
export interface AttachmentKind {
  extensions: string[];
  contentTypes: string[];
  /** The type the file is served as. */
  servedAs: string;
  leadingBytesFit: (head: Uint8Array) => boolean;
}

const startsWith = (...signature: number[]) => (head: Uint8Array) => signature.every((b, i) => head[i] === b);
const ZIP = startsWith(0x50, 0x4b, 0x03, 0x04);
/** Plain text: no control characters other than tab, line ends and form feed (binaries have them early). */
const looksLikeText = (head: Uint8Array) => head.every((b) => b >= 0x20 || b === 0x09 || b === 0x0a || b === 0x0c || b === 0x0d || b === 0x1b);

export const ATTACHMENT_KINDS: Record<string, AttachmentKind> = {
  pdf: { extensions: ['pdf'], contentTypes: ['application/pdf'], servedAs: 'application/pdf', leadingBytesFit: startsWith(0x25, 0x50, 0x44, 0x46, 0x2d) },
  png: { extensions: ['png'], contentTypes: ['image/png'], servedAs: 'image/png', leadingBytesFit: startsWith(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a) },
  jpeg: { extensions: ['jpg', 'jpeg'], contentTypes: ['image/jpeg'], servedAs: 'image/jpeg', leadingBytesFit: startsWith(0xff, 0xd8, 0xff) },
  xlsx: {
    extensions: ['xlsx'],
    contentTypes: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    servedAs: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    leadingBytesFit: ZIP,
  },
  docx: {
    extensions: ['docx'],
    contentTypes: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    servedAs: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    leadingBytesFit: ZIP,
  },
  // Browsers on Windows declare a .csv as Excel's.
  csv: { extensions: ['csv'], contentTypes: ['text/csv', 'text/plain', 'application/vnd.ms-excel'], servedAs: 'text/csv; charset=utf-8', leadingBytesFit: looksLikeText },
  txt: { extensions: ['txt'], contentTypes: ['text/plain'], servedAs: 'text/plain; charset=utf-8', leadingBytesFit: looksLikeText },
};

export const ALLOWED_EXTENSIONS = Object.values(ATTACHMENT_KINDS).flatMap((k) => k.extensions);
/** How many leading bytes the content check reads (a text file's are all checked up to here). */
export const LEADING_BYTES = 512;

const MAX_NAME_LENGTH = 200;

/**
 * The name a file is shown and downloaded under: the last segment of what the client sent (either
 * slash), without control characters, `..` or leading dots, at most 200 characters with its
 * extension kept. Only ever shown; files are stored under a random id.
 */
export function safeFileName(raw: string): string {
  const last = raw.split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = last.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '').replace(/\.{2,}/g, '.').replace(/^[\s.]+/, '').trim();
  const dot = cleaned.lastIndexOf('.');
  const extension = dot > 0 ? cleaned.slice(dot) : '';
  const stem = dot > 0 ? cleaned.slice(0, dot) : cleaned;
  if (extension.length > 20) return cleaned.slice(0, MAX_NAME_LENGTH) || 'attachment';
  return (stem.slice(0, MAX_NAME_LENGTH - extension.length) || 'attachment') + extension;
}

export type AttachmentRefusal = { status: 415 | 422; field: string; reason: string };

const extensionOf = (name: string) => (name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '');

/** The kind of a file by its (safe) name and declared content type, or why it is refused (415). */
export function attachmentKindOf(name: string, declaredType: string | undefined): { kind: AttachmentKind } | { refused: AttachmentRefusal } {
  const extension = extensionOf(name);
  const kind = Object.values(ATTACHMENT_KINDS).find((k) => k.extensions.includes(extension));
  if (!kind) return { refused: { status: 415, field: 'X-File-Name', reason: `files of this type (.${extension || '?'}) cannot be attached; allowed: ${ALLOWED_EXTENSIONS.join(', ')}` } };
  const declared = (declaredType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!kind.contentTypes.includes(declared)) {
    return { refused: { status: 415, field: 'Content-Type', reason: `a .${extension} file is sent as ${kind.contentTypes.join(' or ')}, not ${declared || 'no type'}` } };
  }
  return { kind };
}

/** Whether the file's first bytes are what its kind starts with; an empty file is refused too (422). */
export function leadingBytesRefusal(kind: AttachmentKind, head: Uint8Array): AttachmentRefusal | undefined {
  if (head.length === 0) return { status: 422, field: 'body', reason: 'the file is empty' };
  if (!kind.leadingBytesFit(head)) return { status: 422, field: 'body', reason: `the file's contents are not ${kind.extensions[0]!.toUpperCase()}: its first bytes do not match its name` };
  return undefined;
}

/** A size for people: 10 MiB, 512 KiB, 300 bytes. */
export function sizeInWords(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / 1024 / 1024} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
