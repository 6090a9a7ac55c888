/**
 * Comments' files on disk, in the folder the deployment names (ATTACHMENTS_DIR): each under a
 * random id, never under the name people gave it. An upload streams to a temporary file through a
 * byte counter and the content check, so no file is ever held whole in memory; only a complete,
 * accepted file is renamed into place.
 */
import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DEFAULT_ATTACHMENT_MAX_BYTES, LEADING_BYTES, leadingBytesRefusal, sizeInWords, type AttachmentKind, type AttachmentRefusal } from '../domain/comments';
import { HttpProblem } from './problems';

export const DEFAULT_ATTACHMENTS = { dir: '.data/attachments', maxBytes: DEFAULT_ATTACHMENT_MAX_BYTES };

/** A refused file as the API answers it. */
export const attachmentProblem = ({ status, field, reason }: AttachmentRefusal) =>
  new HttpProblem(status, status === 415 ? 'Unsupported file type' : 'Unprocessable file', reason, [{ field, reason }], status === 415 ? 'attachment_type' : 'attachment_content');

export const tooLarge = (maxBytes: number) => {
  const reason = `the file is larger than the limit of ${sizeInWords(maxBytes)} (${maxBytes} bytes)`;
  return new HttpProblem(413, 'File too large', reason, [{ field: 'body', reason }], 'attachment_too_large');
};

/** Counts, hashes and checks the bytes on their way to disk; fails at the first byte over the limit. */
class CheckedBytes extends Transform {
  size = 0;
  private head = Buffer.alloc(0);
  private headChecked = false;
  private readonly hash = createHash('sha256');

  constructor(
    private readonly maxBytes: number,
    private readonly kind: AttachmentKind,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) return done(tooLarge(this.maxBytes));
    if (!this.headChecked) {
      this.head = Buffer.concat([this.head, chunk]).subarray(0, LEADING_BYTES);
      if (this.head.length === LEADING_BYTES) {
        const refused = this.checkHead();
        if (refused) return done(refused);
      }
    }
    this.hash.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    done(this.headChecked ? undefined : this.checkHead());
  }

  private checkHead(): HttpProblem | undefined {
    this.headChecked = true;
    const refused = leadingBytesRefusal(this.kind, this.head);
    return refused && attachmentProblem(refused);
  }

  get sha256(): string {
    return this.hash.digest('hex');
  }
}

export class AttachmentStore {
  constructor(
    private readonly dir: string,
    readonly maxBytes: number,
  ) {}

  private pathOf(id: string): string {
    return path.join(this.dir, id);
  }

  /**
   * Streams the request body to disk as a file of `kind`: its id, size and sha256 once it is
   * complete. Over the limit (413) or not what its name says (422), the temporary file goes and
   * the rest of the body is read and dropped (up to the limit again, then the connection closes
   * after the answer) so the client hears why.
   */
  async receive(req: IncomingMessage, res: ServerResponse, kind: AttachmentKind): Promise<{ id: string; size: number; sha256: string }> {
    const declared = Number(req.headers['content-length']);
    if (declared > this.maxBytes) {
      await this.dropRest(req, res);
      throw tooLarge(this.maxBytes);
    }
    const id = randomUUID();
    const incoming = path.join(this.dir, '.incoming');
    const temporary = path.join(incoming, id);
    await mkdir(incoming, { recursive: true });
    const checked = new CheckedBytes(this.maxBytes, kind);
    // The client went away: nothing to answer, but no error of ours to log either.
    const aborted = () => checked.destroy(new HttpProblem(400, 'Upload aborted', 'the client stopped sending the file'));
    req.once('aborted', aborted);
    try {
      const written = pipeline(checked, createWriteStream(temporary, { flags: 'wx' }));
      req.pipe(checked);
      await written;
    } catch (err) {
      req.unpipe(checked);
      await rm(temporary, { force: true });
      if (err instanceof HttpProblem) await this.dropRest(req, res);
      throw err;
    } finally {
      req.off('aborted', aborted);
    }
    await rename(temporary, this.pathOf(id));
    return { id, size: checked.size, sha256: checked.sha256 };
  }

  private dropRest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.readableEnded || req.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      let left = this.maxBytes;
      const done = () => {
        req.off('data', count);
        resolve();
      };
      const count = (chunk: Buffer) => {
        left -= chunk.length;
        if (left >= 0) return;
        req.pause();
        res.setHeader('Connection', 'close');
        done();
      };
      req.on('data', count);
      req.once('end', done);
      req.once('close', done);
      req.resume();
    });
  }

  /** A file that was stored but whose record could not be written. */
  remove(id: string): Promise<void> {
    return rm(this.pathOf(id), { force: true });
  }

  /** The stored file, opened (undefined when it is missing from the folder). */
  async open(id: string): Promise<ReadStream | undefined> {
    const stream = createReadStream(this.pathOf(id));
    try {
      await once(stream, 'open');
      return stream;
    } catch {
      stream.destroy();
      return undefined;
    }
  }
}
